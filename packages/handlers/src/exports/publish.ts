import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface ExportFile {
  bucket: string;
  key: string;
  body: Buffer;
  contentType: string;
  /** The name the browser saves the download as. */
  filename: string;
  /** How long the returned link works. */
  expiresInSeconds: number;
}

/** Stores an export file in the bucket and returns a presigned link that downloads it. */
export async function publishExport(s3: S3Client, file: ExportFile): Promise<string> {
  await s3.send(
    new PutObjectCommand({
      Bucket: file.bucket,
      Key: file.key,
      Body: file.body,
      ContentType: file.contentType,
    }),
  );
  return getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: file.bucket,
      Key: file.key,
      ResponseContentDisposition: `attachment; filename="${file.filename}"`,
    }),
    { expiresIn: file.expiresInSeconds },
  );
}
