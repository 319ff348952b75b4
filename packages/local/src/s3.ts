import { createRequire } from 'node:module';
import type { Logger } from '@tasktracker/core';
import { LOCAL_CREDENTIALS } from './client.ts';

/**
 * s3rver checks access keys against its own registry (it knows only S3RVER/S3RVER); register ours so that
 * one set of fixed dummy credentials serves DynamoDB Local and S3 alike.
 */
function registerLocalCredentials(): void {
  const account = createRequire(import.meta.url)('@20minutes/s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  account.DUMMY_ACCOUNT.createKeyPair(LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);
}

/** One record of an S3 event notification, as S3 delivers it to Lambda. */
export interface S3EventRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  [field: string]: unknown;
}

export interface LocalS3Options {
  /** Where objects are kept on disk. */
  directory: string;
  buckets: string[];
  port?: number;
  /** Called, like an S3 event notification, for each object created whose key starts with `prefix`. */
  onObjectCreated?: { prefix: string; handle: (records: S3EventRecord[]) => Promise<unknown> };
  logger?: Logger;
}

export interface LocalS3 {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * An S3-compatible server on loopback for the local stack, from @20minutes/s3rver: the maintained fork
 * of s3rver (releases in 2026, Node >= 20 in 4.x), which the original (last release 2021) is not.
 * It emits S3-shaped events, which we deliver to the import handler as S3 would.
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  // Loaded here, not on import: only `tt local serve` needs it, and it is not small.
  const { default: S3rver } = await import('@20minutes/s3rver');
  registerLocalCredentials();
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const notification = options.onObjectCreated;
  if (notification) {
    server.on('event', (event: { Records: S3EventRecord[] }) => {
      const records = event.Records.filter(
        (record) =>
          record.eventName.startsWith('ObjectCreated:') &&
          record.s3.object.key.startsWith(notification.prefix),
      );
      if (records.length === 0) return;
      // S3 invokes asynchronously: the upload has already succeeded whatever the handler does.
      notification.handle(records).catch((error: unknown) => {
        options.logger?.error({ err: error, key: records[0]?.s3.object.key }, 'import handler failed');
      });
    });
  }
  const address = await server.run();
  return { endpoint: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}
