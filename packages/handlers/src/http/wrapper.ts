import { randomUUID } from 'node:crypto';
import {
  type ErrorDetail,
  isTaskTrackerError,
  parseInput,
  TaskTrackerError,
  toTaskTrackerError,
  validateIdempotencyKey,
} from '@tasktracker/core';
import type * as z from 'zod/mini';
import type { HttpRuntime } from '../runtime.ts';
import { readJsonBody } from './body.ts';
import { corsHeaders } from './cors.ts';
import { contentETag, noneMatchHolds } from './etag.ts';
import {
  type ApiEvent,
  ApiEventSchema,
  type ApiResponse,
  type LambdaContext,
  lowerCaseHeaders,
  presentValues,
} from './event.ts';
import { callerIdentity, NO_IDENTITY } from './identity.ts';
import { BusinessMetrics, emfLine } from './metrics.ts';
import { errorEnvelope, jsonResponse } from './response.ts';
import type { Route, RouteResult } from './route.ts';

/** A caller's X-Correlation-Id is kept when it looks like an id; anything else is replaced by a fresh one. */
export const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export type ApiHandler = (event: unknown, context: LambdaContext) => Promise<ApiResponse>;

/** Validates one part of the request; query and path errors name where they came from. */
function parsePart<T>(location: 'query' | 'path' | undefined, schema: z.core.$ZodType<T>, value: unknown): T {
  try {
    return parseInput(schema, value) as T;
  } catch (error) {
    if (!location || !isTaskTrackerError(error, 'VALIDATION_ERROR') || !Array.isArray(error.details))
      throw error;
    const details: ErrorDetail[] = error.details.map((detail) => ({
      ...detail,
      path: [location, ...detail.path],
    }));
    throw new TaskTrackerError('VALIDATION_ERROR', `${location} ${error.message}`, details);
  }
}

function idempotencyKeyOf(headers: Record<string, string>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  try {
    return validateIdempotencyKey(key);
  } catch {
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      'Idempotency-Key: must be 1-128 characters of letters, digits and _.:-',
      [
        {
          path: ['headers', 'Idempotency-Key'],
          message: 'must be 1-128 characters of letters, digits and _.:-',
        },
      ],
    );
  }
}

/**
 * A GET whose If-None-Match names the current tag answers 304 with no body (RFC 9110 15.4.5): the tag,
 * Cache-Control, Vary, CORS and the correlation id stay; the representation's own headers go.
 */
function conditionalGet(
  event: ApiEvent,
  ifNoneMatch: string | undefined,
  response: ApiResponse,
): ApiResponse {
  const etag = response.headers.ETag;
  if (event.httpMethod !== 'GET' || response.statusCode !== 200 || !etag) return response;
  if (noneMatchHolds(ifNoneMatch, etag)) return response;
  const { 'Content-Type': _type, 'Content-Disposition': _disposition, ...headers } = response.headers;
  return { statusCode: 304, headers, body: '' };
}

function successResponse(result: RouteResult, baseHeaders: Record<string, string>): ApiResponse {
  const headers = { ...baseHeaders, ...result.headers };
  if ('empty' in result) return { statusCode: result.status ?? 204, headers, body: '' };
  if ('text' in result) {
    return {
      statusCode: result.status ?? 200,
      headers: {
        ...headers,
        'Content-Type': result.contentType,
        ...(result.filename ? { 'Content-Disposition': `attachment; filename="${result.filename}"` } : {}),
      },
      body: result.text,
    };
  }
  const payload =
    result.nextCursor === undefined
      ? { data: result.data }
      : { data: result.data, nextCursor: result.nextCursor };
  const response = jsonResponse(result.status ?? 200, payload, {
    ...headers,
    ...(result.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
  });
  if (result.etag) response.headers.ETag = result.etag === 'hash' ? contentETag(response.body) : result.etag;
  return response;
}

/** One EMF line per request: count, latency, error class, and the route's business counts. */
function requestMetricsLine(
  runtime: HttpRuntime,
  routeName: string,
  statusCode: number,
  latencyMs: number,
  business: BusinessMetrics,
  correlationId: string,
): string {
  return emfLine({
    namespace: runtime.env.METRICS_NAMESPACE,
    dimensions: { Service: 'tasktracker', Route: routeName },
    metrics: [
      { name: 'Requests', unit: 'Count', value: 1 },
      { name: 'Latency', unit: 'Milliseconds', value: latencyMs },
      { name: 'ClientErrors', unit: 'Count', value: statusCode >= 400 && statusCode < 500 ? 1 : 0 },
      { name: 'ServerErrors', unit: 'Count', value: statusCode >= 500 ? 1 : 0 },
      ...business.values(),
    ],
    properties: { correlationId, statusCode, stage: runtime.config.stage },
  });
}

/**
 * The one wrapper every API handler goes through: correlation id, logger child, body limit and JSON
 * parsing, validation, identity, idempotency key, ETag and If-None-Match, Cache-Control, CORS, error
 * envelope, and one EMF metrics line.
 * Routes contain only their business call.
 */
export function createApiHandler<Body, Query, Params>(
  route: Route<Body, Query, Params>,
  runtime: HttpRuntime,
): ApiHandler {
  let coldStart = true;
  return async (rawEvent, context) => {
    const started = performance.now();
    const wasCold = coldStart;
    coldStart = false;
    const parsedEvent = ApiEventSchema.safeParse(rawEvent);
    const event: ApiEvent = parsedEvent.success ? parsedEvent.data : { httpMethod: 'UNKNOWN' };
    const headers = lowerCaseHeaders(event.headers);
    const supplied = headers['x-correlation-id'];
    const correlationId = supplied && CORRELATION_ID.test(supplied) ? supplied : randomUUID();
    const logger = runtime.logger.child({
      correlationId,
      awsRequestId: context?.awsRequestId,
      // API Gateway's id of the request, the requestId of its access log line: joins the two logs.
      apiRequestId: event.requestContext?.requestId ?? undefined,
      functionName: context?.functionName,
      functionVersion: context?.functionVersion,
      coldStart: wasCold,
      route: route.name,
    });
    const baseHeaders = {
      'X-Correlation-Id': correlationId,
      // A user's data: no shared cache may keep it, and a browser must revalidate (ETag) before reuse.
      ...(route.public ? {} : { 'Cache-Control': 'private, no-cache' }),
      ...corsHeaders(headers.origin, runtime.allowedOrigins),
    };
    const metrics = new BusinessMetrics();
    logger.info({ method: event.httpMethod, path: event.path, resource: event.resource }, 'request');

    let response: ApiResponse;
    try {
      if (!parsedEvent.success)
        throw new TaskTrackerError('VALIDATION_ERROR', 'Not an API Gateway proxy event');
      const userId = route.public ? NO_IDENTITY : callerIdentity(event);
      const query = route.query
        ? parsePart('query', route.query, presentValues(event.queryStringParameters))
        : undefined;
      const params = route.params
        ? parsePart('path', route.params, presentValues(event.pathParameters))
        : undefined;
      const rawBody = route.body ? readJsonBody(event) : undefined;
      const body = route.body ? parsePart(undefined, route.body, rawBody) : undefined;
      // The validated body, never the raw one: strict schemas refuse unknown keys, so a stray credential
      // never reaches the log even under a name the logger's redaction does not know.
      if (route.body) logger.debug({ body }, 'request body');
      const result = await route.handle({
        userId,
        body: body as Body,
        query: query as Query,
        params: params as Params,
        headers,
        idempotencyKey: route.idempotent ? idempotencyKeyOf(headers) : undefined,
        correlationId,
        logger,
        metrics,
        event,
      });
      if ('data' in result && logger.isLevelEnabled('debug'))
        logger.debug({ body: result.data }, 'response body');
      response = conditionalGet(event, headers['if-none-match'], successResponse(result, baseHeaders));
    } catch (thrown) {
      const error = toTaskTrackerError(thrown);
      if (error.status >= 500) logger.error({ err: thrown, code: error.code }, 'request failed');
      else logger.info({ code: error.code, message: error.message }, 'request refused');
      response = jsonResponse(error.status, errorEnvelope(error, correlationId), baseHeaders);
    }

    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    logger.info({ statusCode: response.statusCode, latencyMs }, 'response');
    try {
      runtime.writeMetrics(
        requestMetricsLine(runtime, route.name, response.statusCode, latencyMs, metrics, correlationId),
      );
    } catch (error) {
      logger.warn({ err: error }, 'metrics line not written');
    }
    return response;
  };
}
