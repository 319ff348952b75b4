import { exportTaskChunks, type TaskFilter, TaskTrackerError } from '@tasktracker/core';
import type { Runtime } from '../runtime.ts';
import type { PublishExport } from './lazy-publisher.ts';

export type ExportFormat = 'csv' | 'jsonl';

/** How long the link to a large export works. */
export const EXPORT_URL_SECONDS = 900;

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
} as const;

export interface ExportRequest {
  userId: string;
  filter: Partial<TaskFilter>;
  format: ExportFormat;
  /** Names the object: exports/<userId>/<stamp>-<name>.<format>. */
  name: string;
  /** Return the file itself when it fits the inline limit (the API); a job always writes to S3. */
  inline: boolean;
  /** Epoch ms: past it, the export stops with ExportOverBudget (and a multipart upload is aborted). */
  deadline?: number;
  onRows?: (rows: number) => void;
}

export type ExportOutcome =
  | { kind: 'inline'; text: string; rows: number }
  | { kind: 'file'; url: string; expiresAt: string; bytes: number; rows: number; parts: number };

/** The export would not finish in the time the caller has: it is handed to a job instead. */
export class ExportOverBudget extends Error {
  override readonly name = 'ExportOverBudget';
}

/** Lambda's 6 MB applies to the response as JSON, where every quote and line break is escaped. */
const jsonBytes = (chunk: string) => Buffer.byteLength(JSON.stringify(chunk)) - 2;

/**
 * Writes a user's export. The first chunks are held until they pass the inline limit (as JSON): a
 * small export is answered in full. Past it, what was held and the rest of the stream go into a
 * multipart upload part by part, so memory holds the inline limit and two parts, whatever the size.
 * Each chunk is one page of whole rows, so no character is split between chunks.
 */
export async function writeExport(
  runtime: Runtime,
  publish: PublishExport,
  request: ExportRequest,
): Promise<ExportOutcome> {
  let rows = 0;
  const chunks = exportTaskChunks(runtime.context, request.userId, request.filter, {
    format: request.format,
    onRow: (count) => {
      rows = count;
      request.onRows?.(count);
    },
  });
  const checkBudget = () => {
    if (request.deadline !== undefined && Date.now() > request.deadline) throw new ExportOverBudget();
  };
  const held: string[] = [];
  let heldJsonBytes = 2;
  let overflowed = !request.inline;
  try {
    while (!overflowed) {
      const next = await chunks.next();
      if (next.done) {
        return { kind: 'inline', text: held.join(''), rows };
      }
      checkBudget();
      held.push(next.value);
      heldJsonBytes += jsonBytes(next.value);
      overflowed = heldJsonBytes > runtime.env.EXPORT_INLINE_LIMIT_BYTES;
    }
    const bucket = runtime.env.BUCKET_NAME;
    if (!bucket) {
      throw new TaskTrackerError(
        'PAYLOAD_TOO_LARGE',
        'The export is too large to return and no bucket is set',
      );
    }
    async function* body() {
      yield* held.splice(0);
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        checkBudget();
        yield next.value;
      }
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const published = await publish({
      bucket,
      key: `exports/${request.userId}/${stamp}-${request.name}.${request.format}`,
      body: body(),
      contentType: CONTENT_TYPES[request.format],
      filename: `tasks.${request.format}`,
      expiresInSeconds: EXPORT_URL_SECONDS,
    });
    const expiresAt = new Date(Date.now() + EXPORT_URL_SECONDS * 1000).toISOString();
    return { kind: 'file', ...published, expiresAt, rows };
  } finally {
    // Stops the page reads when the export ends early (over budget, a failed upload).
    await chunks.return(undefined);
  }
}
