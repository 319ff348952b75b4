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
 * Streams a body into an object: parts of exactly PART_BYTES (the last one smaller) go up as they fill,
 * one in flight while the next fills, so memory does not grow with the file. The parts are two
 * buffers used in turn, not a new one per part: buffers freed only when V8 next collects would
 * otherwise pile up outside its heap and raise the peak with the file's size (bench:exports saw it). A
 * body smaller than a part is one PutObject. On any failure the upload is aborted, so no invisible
 * parts are left to bill.
 */
export async function uploadInParts(
  s3: S3Client,
  target: UploadTarget,
  body: AsyncIterable<string | Buffer>,
  partBytes = PART_BYTES,
): Promise<UploadSummary> {
  const object = { Bucket: target.bucket, Key: target.key };
  const buffers: Buffer[] = [];
  let current = 0;
  let filled = 0;
  let bytes = 0;
  let uploadId: string | undefined;
  const etags: Promise<{ ETag: string; PartNumber: number }>[] = [];
  let inFlight: Promise<unknown> = Promise.resolve();
  const buffer = () => {
    buffers[current] ??= Buffer.allocUnsafe(partBytes);
    return buffers[current] as Buffer;
  };

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
    for await (const piece of body) {
      // Text that fits is written straight into the part; only one straddling two parts becomes a Buffer.
      if (typeof piece === 'string') {
        const length = Buffer.byteLength(piece);
        if (filled + length < partBytes) {
          buffer().write(piece, filled);
          filled += length;
          bytes += length;
          continue;
        }
      }
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      bytes += chunk.length;
      for (let offset = 0; offset < chunk.length; ) {
        const copied = chunk.copy(buffer(), filled, offset);
        offset += copied;
        filled += copied;
        if (filled === partBytes) {
          await sendPart(buffer());
          // sendPart returned once the part before this one was up: its buffer is free again.
          current = 1 - current;
          filled = 0;
        }
      }
    }
    if (uploadId === undefined) {
      const whole = buffer().subarray(0, filled);
      await s3.send(new PutObjectCommand({ ...object, Body: whole, ContentType: target.contentType }));
      return { bytes, parts: 1 };
    }
    if (filled > 0) await sendPart(buffer().subarray(0, filled));
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
