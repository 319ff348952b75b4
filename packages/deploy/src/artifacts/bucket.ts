import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients.ts';
import { isNotFound } from '../aws/errors.ts';

/** One artifact bucket per account and region, shared by every stage (keys are content-addressed). */
export async function defaultArtifactBucket(clients: AwsClients): Promise<string> {
  const { Account } = await clients.sts.send(new GetCallerIdentityCommand({}));
  return `tasktracker-artifacts-${Account}-${await clients.region()}`;
}

/**
 * The artifact bucket, created when missing with versioning, default encryption and every public
 * access blocked. Returns whether it had to be created.
 */
export async function ensureArtifactBucket(clients: AwsClients, bucket: string): Promise<boolean> {
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const region = await clients.region();
  await clients.s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      // us-east-1 is the one region that must not be named as a location constraint.
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
    }),
  );
  await clients.s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await clients.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    }),
  );
  await clients.s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  return true;
}
