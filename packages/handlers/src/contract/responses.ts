import {
  type BulkResult,
  CategorySchema,
  ERROR_CODES,
  IsoDateTimeSchema,
  TaskSchema,
  UlidSchema,
} from '@tasktracker/core';
import * as z from 'zod/mini';
import { GATEWAY_ERRORS, GATEWAY_VALIDATION_TYPES, type GatewayErrorType } from './gateway.ts';

/*
 * What the routes answer, as schemas: the stored task and category come from core; the rest are the
 * shapes the routes build. A type check below holds the bulk result to core's type.
 */

const BULK_STATUSES = ['updated', 'deleted', 'not_found', 'conflict', 'failed'] as const;
export const BulkResultSchema = z.object({
  results: z.array(
    z.object({ id: z.string(), status: z.enum(BULK_STATUSES), message: z.optional(z.string()) }),
  ),
  counts: z.object(Object.fromEntries(BULK_STATUSES.map((status) => [status, z.int().check(z.minimum(0))]))),
});
// Both directions: core's BulkResult and this schema describe the same value.
const _bulkMatchesCore = (value: BulkResult): z.infer<typeof BulkResultSchema> => value;
const _coreMatchesBulk = (value: z.infer<typeof BulkResultSchema>): BulkResult => value as BulkResult;
void _bulkMatchesCore;
void _coreMatchesBulk;

export const TaskDeletedSchema = z.object({ taskId: z.string(), deleted: z.literal(true) });
export const CategoryDeletedSchema = z.object({
  categoryId: z.string(),
  deleted: z.literal(true),
  movedTasks: z.int().check(z.minimum(0)),
});

export const ExportLinkSchema = z.object({
  url: z.string(),
  expiresAt: IsoDateTimeSchema,
  bytes: z.int().check(z.minimum(0)),
  rows: z.int().check(z.minimum(0)),
  format: z.enum(['csv', 'jsonl']),
});

export const HealthSchema = z.object({ status: z.literal('ok'), stage: z.string(), time: IsoDateTimeSchema });
const DependencyCheckSchema = z.object({
  name: z.string(),
  status: z.enum(['ok', 'unreachable']),
  latencyMs: z.number().check(z.minimum(0)),
});
export const DetailedHealthSchema = z.object({
  status: z.literal('ok'),
  checks: z.array(DependencyCheckSchema),
});

/** `{data}`, the envelope of every success. */
export const dataOf = (schema: z.core.$ZodType) => z.object({ data: schema });
/** `{data, nextCursor}`: a page; nextCursor is null on the last one. */
export const pageOf = (schema: z.core.$ZodType) =>
  z.object({ data: z.array(schema), nextCursor: z.nullable(z.string()) });

/** The deployer's codes (tt deploy, tt destroy): in the table for the CLI, never sent over HTTP. */
const DEPLOYER_CODES: readonly string[] = ['STACK_BUSY', 'DEPLOY_FAILED', 'INTERRUPTED'];

/** The codes an HTTP handler answers with, each at its status in the error table. */
export const HTTP_ERROR_CODES = (Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]).filter(
  (code) => !DEPLOYER_CODES.includes(code),
);

/** API Gateway's own codes; its validation refusals say VALIDATION_ERROR instead (see gateway.ts). */
export const GATEWAY_CODES = (Object.keys(GATEWAY_ERRORS) as GatewayErrorType[]).filter(
  (type) => !GATEWAY_VALIDATION_TYPES.includes(type),
);

/** Every code an error envelope can carry. */
export const ALL_ERROR_CODES: string[] = [...HTTP_ERROR_CODES, ...GATEWAY_CODES];

const ErrorDetailSchema = z.object({ path: z.array(z.union([z.string(), z.int()])), message: z.string() });
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.enum(ALL_ERROR_CODES as [string, ...string[]]),
    message: z.string(),
    /** Validation errors list each offending path; other errors may carry an object of facts. */
    details: z.optional(z.union([z.array(ErrorDetailSchema), z.record(z.string(), z.unknown())])),
    correlationId: z.string(),
  }),
});

export { CategorySchema, TaskSchema, UlidSchema };
