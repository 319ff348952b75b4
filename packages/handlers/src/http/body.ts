import { TaskTrackerError } from '@tasktracker/core';
import type { ApiEvent } from './event.ts';

/** Far below API Gateway's 10 MB: no task or category request comes near it (a bulk of 1000 ids is ~30 KB). */
export const MAX_BODY_BYTES = 1_048_576;

const tooLarge = (bytes: number) =>
  new TaskTrackerError(
    'PAYLOAD_TOO_LARGE',
    `The request body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}`,
    {
      limitBytes: MAX_BODY_BYTES,
    },
  );

/**
 * The request body as JSON, or undefined when there is none. The size is checked before decoding or
 * parsing, so an oversized body costs no parse time.
 */
export function readJsonBody(event: Pick<ApiEvent, 'body' | 'isBase64Encoded'>): unknown {
  const raw = event.body;
  if (raw === undefined || raw === null || raw === '') return undefined;
  let text: string;
  if (event.isBase64Encoded) {
    // Three bytes per four base64 characters: reject before allocating the decoded buffer.
    const estimated = Math.floor((raw.length * 3) / 4);
    if (estimated > MAX_BODY_BYTES + 2) throw tooLarge(estimated);
    const bytes = Buffer.from(raw, 'base64');
    if (bytes.length > MAX_BODY_BYTES) throw tooLarge(bytes.length);
    text = bytes.toString('utf8');
  } else {
    const bytes = Buffer.byteLength(raw, 'utf8');
    if (bytes > MAX_BODY_BYTES) throw tooLarge(bytes);
    text = raw;
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TaskTrackerError('VALIDATION_ERROR', 'The request body is not valid JSON', [
      { path: ['body'], message: 'not valid JSON' },
    ]);
  }
}
