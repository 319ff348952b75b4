import type { Logger } from '@tasktracker/core';
import type * as z from 'zod/mini';
import type { ApiEvent } from './event.ts';
import type { BusinessMetrics } from './metrics.ts';

/** What a route's business call receives: everything already validated. */
export interface RouteRequest<Body, Query, Params> {
  /** The caller; empty on public routes (health), which never read it. */
  userId: string;
  body: Body;
  query: Query;
  params: Params;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Present only on idempotent routes, and only when the client sent one. */
  idempotencyKey: string | undefined;
  correlationId: string;
  logger: Logger;
  metrics: BusinessMetrics;
  event: ApiEvent;
}

export type RouteResult = { status?: number; headers?: Record<string, string> } & (
  | {
      data: unknown;
      nextCursor?: string | null;
      replayed?: boolean;
      /**
       * The entity tag of what a GET returns (an item's, from its version), or 'hash' for the wrapper to
       * hash the body (list pages). A GET with a matching If-None-Match then answers 304.
       */
      etag?: string | 'hash';
    }
  | { text: string; contentType: string; filename?: string }
  | { empty: true }
);

export interface Route<Body = unknown, Query = unknown, Params = unknown> {
  /** The API Gateway route key, e.g. 'POST /tasks': the log field and metric dimension. */
  name: string;
  /** Public routes need no identity (health checks). */
  public?: boolean;
  /** Reads the Idempotency-Key header (POST routes). */
  idempotent?: boolean;
  body?: z.core.$ZodType<Body>;
  query?: z.core.$ZodType<Query>;
  params?: z.core.$ZodType<Params>;
  handle(request: RouteRequest<Body, Query, Params>): Promise<RouteResult>;
}

/** Identity function whose only job is to infer Body/Query/Params from the schemas. */
export function defineRoute<Body = unknown, Query = unknown, Params = unknown>(
  route: Route<Body, Query, Params>,
): Route<Body, Query, Params> {
  return route;
}
