import * as z from 'zod/mini';

/** One item per import invocation (seed 002); the table and its key are core's (INVOCATION_LOG_KEY). */
const Count = z.int().check(z.minimum(0));

export const InvocationLogItemSchema = z.object({
  requestId: z.uuid(),
  timestamp: z.iso.datetime(),
  bucketName: z.string(),
  objectKey: z.string(),
  eventName: z.string(),
  functionName: z.string(),
  awsRequestId: z.string(),
  imported: Count,
  duplicates: Count,
  rejected: Count,
  status: z.enum(['imported', 'failed']),
  /** Why a file could not be read at all; rejected rows are listed in the log lines, not here. */
  error: z.optional(z.string()),
});
export type InvocationLogItem = z.infer<typeof InvocationLogItemSchema>;
