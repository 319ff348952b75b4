import { S3Client } from '@aws-sdk/client-s3';

/**
 * An S3 client for the stack's bucket. Local engines (moto, LocalStack) are reached by path-style URLs:
 * `<bucket>.localhost` does not resolve everywhere.
 */
export function createS3Client(env: Record<string, string | undefined> = process.env): S3Client {
  const local = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
  return new S3Client({ ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}), forcePathStyle: local });
}
