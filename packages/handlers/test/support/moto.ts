import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { findMotoServer, type MotoServer, startMotoServer } from '@tasktracker/local/testing';
import { afterAll, beforeAll } from 'vitest';

/** The moto server binary, or undefined (outside CI, with the reason printed) when it cannot be had. */
export const motoServer = await findMotoServer();

/** One moto server on a free loopback port for the test file; `endpoint` is set once it answers. */
export function useMoto() {
  const state = { endpoint: '' };
  let server: MotoServer | undefined;
  beforeAll(async () => {
    if (!motoServer) return;
    server = await startMotoServer(motoServer);
    state.endpoint = server.endpoint;
  }, 60_000);
  afterAll(() => {
    server?.stop();
  });
  return state;
}

/** An S3 client on the moto server, with `bucket` created. */
export async function motoBucket(endpoint: string, bucket: string): Promise<S3Client> {
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return s3;
}
