import { IdempotencyKeySchema } from '@tasktracker/core';
import { TAG_LIST_PATTERN } from '../http/etag.ts';
import { type JsonSchema, jsonSchemaOf } from './json-schema.ts';

/**
 * The headers of the contract, described once: the OpenAPI document takes them from here, and the
 * handlers that read or send them use the same names (and, for If-Match, the same pattern).
 */
export interface HeaderContract {
  name: string;
  description: string;
  schema: JsonSchema;
  example?: string;
}

const text = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });

/** Sent by the client. */
export const REQUEST_HEADERS = {
  correlationId: {
    name: 'X-Correlation-Id',
    description:
      'Your id for this request, echoed in X-Correlation-Id and in every log line. Kept when it is 1-128 ' +
      'letters, digits or ._:- and replaced by a fresh UUID otherwise (never refused).',
    schema: text(),
    example: 'checkout-7f3a',
  },
  idempotencyKey: {
    name: 'Idempotency-Key',
    description:
      'Makes a POST safe to retry: the first answer is stored for 24 hours and replayed (with ' +
      'Idempotent-Replayed: true) for the same key and body; the same key with another body is 422.',
    // No example: one key shared by the examples of several operations would be a reused key (422).
    schema: jsonSchemaOf(IdempotencyKeySchema, 'input', 'draft-2020-12'),
  },
  ifMatch: {
    name: 'If-Match',
    description:
      'Optimistic locking: the ETag a GET returned (or a list of them), or the bare version (3); `*` means ' +
      'any version. When none matches the stored item the answer is 412 PRECONDITION_FAILED; with ' +
      'expectedVersion as well, both must agree (400).',
    schema: text({ pattern: TAG_LIST_PATTERN }),
    // Any version: an example request sent after another example's update must still be valid (a named
    // version would then be a failed precondition, 412).
    example: '*',
  },
  ifNoneMatch: {
    name: 'If-None-Match',
    description:
      'The ETag of the copy you hold: when it is still current the answer is 304 Not Modified with no body.',
    schema: text(),
    example: '"3"',
  },
} as const satisfies Record<string, HeaderContract>;

/** Sent by the API. */
export const RESPONSE_HEADERS = {
  correlationId: {
    name: 'X-Correlation-Id',
    description:
      "The request's correlation id (yours, or a fresh one), also in an error's envelope. API Gateway's own " +
      'answers (no key, no route, a body its model refuses) carry its request id instead.',
    schema: text({ minLength: 1 }),
  },
  etag: {
    name: 'ETag',
    description: "The representation's version, for If-None-Match on the next read and If-Match on a change.",
    schema: text(),
    example: '"3"',
  },
  cacheControl: {
    name: 'Cache-Control',
    description: 'User data is private and revalidated on every use.',
    schema: text(),
    example: 'private, no-cache',
  },
  replayed: {
    name: 'Idempotent-Replayed',
    description: 'true when this is the stored answer to an earlier request with the same Idempotency-Key.',
    schema: text({ enum: ['true'] }),
  },
} as const satisfies Record<string, HeaderContract>;
