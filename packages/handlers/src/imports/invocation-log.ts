import * as z from 'zod';

/** One item per import invocation (seed 002); the table and its key are core's (INVOCATION_LOG_KEY). */
export const InvocationLogItemSchema = z.object({
  requestId: z.uuid(),
  timestamp: z.iso.datetime(),
  bucketName: z.string(),
  objectKey: z.string(),
  eventName: z.string(),
  functionName: z.string(),
  awsRequestId: z.string(),
  imported: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.number().int().min(0),
  status: z.enum(['imported', 'failed']),
  /** Why a file could not be read at all; rejected rows are listed in the log lines, not here. */
  error: z.string().optional(),
});
export type InvocationLogItem = z.infer<typeof InvocationLogItemSchema>;
