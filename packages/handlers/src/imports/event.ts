import * as z from 'zod/mini';

/** The parts of an S3 event notification (version 2.x) the import reads. */
export const S3EventRecordSchema = z.looseObject({
  eventName: z.string(),
  s3: z.looseObject({
    bucket: z.looseObject({ name: z.string().check(z.minLength(1)) }),
    object: z.looseObject({
      key: z.string().check(z.minLength(1)),
      eTag: z.optional(z.string()),
      size: z.optional(z.number()),
    }),
  }),
});
export type S3EventRecord = z.infer<typeof S3EventRecordSchema>;

export const S3EventSchema = z.looseObject({ Records: z.array(z.unknown()) });

/** S3 URL-encodes keys in events, with '+' for spaces. */
export function decodeObjectKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}
