import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

/** S3's smallest part but the last: memory holds one part filling and one uploading, whatever the file. */
export const PART_BYTES = 5 * 1024 * 1024;

export interface UploadTarget {
  bucket: string;
  key: string;
  contentType: string;
}

export interface UploadSummary {
  bytes: number;
  /** 1 when the whole body fitted in one part and went up as a single PutObject. */
  parts: number;
}

/**
 * Streams a body into an object: parts of PART_BYTES (or a little more: a part ends on a chunk
 * boundary) go up as they fill, one in flight while the next fills, so memory does not grow with the
 * file. A body smaller than a part is one PutObject. On any failure the upload is aborted, so no
 * invisible parts are left to bill.
 */
export async function uploadInParts(
  s3: S3Client,
  target: UploadTarget,
  body: AsyncIterable<Buffer>,
  partBytes = PART_BYTES,
): Promise<UploadSummary> {
  const object = { Bucket: target.bucket, Key: target.key };
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let uploadId: string | undefined;
  const etags: Promise<{ ETag: string; PartNumber: number }>[] = [];
  let inFlight: Promise<unknown> = Promise.resolve();

  const sendPart = async (part: Buffer) => {
    uploadId ??= (
      await s3.send(new CreateMultipartUploadCommand({ ...object, ContentType: target.contentType }))
    ).UploadId;
    const PartNumber = etags.length + 1;
    const upload = s3
      .send(new UploadPartCommand({ ...object, UploadId: uploadId, PartNumber, Body: part }))
      .then(({ ETag }) => ({ ETag: ETag ?? '', PartNumber }));
    etags.push(upload);
    // Its failure is seen when it is awaited; until then it must not count as unhandled.
    upload.catch(() => undefined);
    // Wait for the previous part before filling another: at most one part in flight.
    await inFlight;
    inFlight = upload;
  };

  try {
    for await (const chunk of body) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      bytes += chunk.length;
      if (pendingBytes >= partBytes) {
        const part = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        await sendPart(part);
      }
    }
    if (uploadId === undefined) {
      await s3.send(
        new PutObjectCommand({ ...object, Body: Buffer.concat(pending), ContentType: target.contentType }),
      );
      return { bytes, parts: 1 };
    }
    if (pendingBytes > 0) await sendPart(Buffer.concat(pending));
    const parts = await Promise.all(etags);
    await s3.send(
      new CompleteMultipartUploadCommand({
        ...object,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return { bytes, parts: parts.length };
  } catch (error) {
    // Settle what is in flight first, or the abort could race a part still arriving.
    await Promise.allSettled(etags);
    if (uploadId !== undefined) {
      await s3
        .send(new AbortMultipartUploadCommand({ ...object, UploadId: uploadId }))
        .catch(() => undefined);
    }
    throw error;
  }
}
