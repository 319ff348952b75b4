// What both Powertools peer handlers share, written as a careful user of Powertools for AWS Lambda
// (TypeScript) 2.35 would: one Logger and one document client per container, the task fields as a full
// `zod` schema (as Powertools' parser docs show), an error envelope with the correlation id, and a small
// middy middleware that turns a parse failure into a 400 and anything else into a 500.
// Benchmark code (bench/bundles.ts), never shipped.
import { Logger } from '@aws-lambda-powertools/logger';
import { ParseError } from '@aws-lambda-powertools/parser';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MiddlewareObj } from '@middy/core';
import { z } from 'zod';

export const logger = new Logger({ serviceName: 'tasks' });
export const dynamo = new DynamoDBClient({});
export const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
export const TASKS_TABLE = process.env.TASKS_TABLE ?? 'tasks';

export const PrioritySchema = z.enum(['low', 'medium', 'high']);
export const DueDateSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

interface Response {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

interface ApiRequest {
  event: { headers?: Record<string, string | undefined> | null };
  response: unknown;
  error: unknown;
}

export const correlationIdOf = (headers: Record<string, string | undefined> | null | undefined) =>
  headers?.['x-correlation-id'] ?? headers?.['X-Correlation-Id'] ?? crypto.randomUUID();

export function respond(statusCode: number, correlationId: string, body: unknown): Response {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
    body: JSON.stringify(body),
  };
}

/** 400 with zod's issues for a request that does not parse, 500 (logged) for anything else. */
export const errorEnvelope = (): MiddlewareObj => ({
  onError: async (request) => {
    const { event, error } = request as unknown as ApiRequest;
    const correlationId = correlationIdOf(event.headers);
    if (error instanceof ParseError) {
      const issues = error.cause instanceof z.ZodError ? error.cause.issues : [];
      request.response = respond(400, correlationId, {
        error: { code: 'VALIDATION_ERROR', message: 'Invalid request', details: issues, correlationId },
      });
      return;
    }
    logger.error('request failed', { error: error as Error });
    request.response = respond(500, correlationId, {
      error: { code: 'INTERNAL_SERVER_ERROR', message: 'An unexpected error occurred', correlationId },
    });
  },
});
