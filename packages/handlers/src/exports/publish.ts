import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client } from '../s3.ts';
import { uploadInParts } from './multipart.ts';

export interface ExportFile {
  bucket: string;
  key: string;
  /** The file, read once as it is uploaded: it is never held whole. */
  body: AsyncIterable<string | Buffer>;
  contentType: string;
  /** The name the browser saves the download as. */
  filename: string;
  /** How long the returned link works. */
  expiresInSeconds: number;
}

export interface PublishedExport {
  url: string;
  bytes: number;
  parts: number;
}

/** Streams an export file into the bucket and returns a presigned link that downloads it. */
export async function publishExport(s3: S3Client, file: ExportFile): Promise<PublishedExport> {
  const uploaded = await uploadInParts(
    s3,
    { bucket: file.bucket, key: file.key, contentType: file.contentType },
    file.body,
  );
  const url = await getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: file.bucket,
      Key: file.key,
      ResponseContentDisposition: `attachment; filename="${file.filename}"`,
    }),
    { expiresIn: file.expiresInSeconds },
  );
  return { url, ...uploaded };
}

/**
 * What the export handler loads on its first large export: an S3 client, made once and reused by the
 * container, and the function that publishes with it. In a Lambda this module is its own file beside
 * index.mjs (see ON_DEMAND_MODULES), so the handler's init never parses the S3 client.
 */
export function createPublisher(env: Record<string, string | undefined>) {
  const s3 = createS3Client(env);
  return (file: ExportFile) => publishExport(s3, file);
}
