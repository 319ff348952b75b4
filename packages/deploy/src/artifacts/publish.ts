import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';
import type { PackageResult } from '../package/package.ts';
import { stackNameOf } from '../stack/status.ts';
import { defaultArtifactBucket, ensureArtifactBucket } from './bucket.ts';
import { uploadMissing } from './store.ts';

export interface PublishOutcome {
  bucket: string;
  /** The bucket did not exist and was made (versioned, encrypted, no public access). */
  created: boolean;
  uploaded: number;
  present: number;
  /** Every key the template expects, zips and the template itself. */
  keys: string[];
  /** The record that keeps them: tt deploy's pruning never deletes a key a record under deployments/ lists. */
  record: string;
}

/** One per stack name, overwritten by each publish: the newest published set is the one kept. */
export const publishedRecordKey = (stackName: string) => `deployments/published/${stackName}.json`;

/**
 * `tt package --upload`: the zips (and the resolved template) at the keys the template names, in the
 * artifact bucket tt deploy would use, and nothing else: no stack is touched, no deploy is recorded.
 * What another tool deploys from there is the same stack `tt deploy` makes. A small record lists the
 * keys, so that a later `tt deploy` (whose pruning deletes what no record names) leaves them alone.
 */
export async function publishArtifacts(
  clients: AwsClients,
  pkg: PackageResult,
  artifactBucket?: string,
): Promise<PublishOutcome> {
  const bucket = artifactBucket ?? (await defaultArtifactBucket(clients));
  const created = await ensureArtifactBucket(clients, bucket);
  const files = [...pkg.manifest.artifacts, pkg.manifest.template];
  const { uploaded, present } = await uploadMissing(clients, bucket, files);
  const keys = files.map((file) => file.key);
  const record = publishedRecordKey(stackNameOf(pkg.manifest.stage));
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: record,
      ContentType: 'application/json',
      Body: JSON.stringify(
        { stage: pkg.manifest.stage, publishedAt: new Date().toISOString(), keys },
        null,
        2,
      ),
    }),
  );
  return { bucket, created, uploaded, present, keys, record };
}
