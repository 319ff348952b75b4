import { preflightHeaders } from '../../http/cors.ts';
import { defineRoute } from '../../http/route.ts';
import type { HttpRuntime } from '../../runtime.ts';

/**
 * OPTIONS on every resource. A Lambda rather than a MOCK integration because the allow-list is checked
 * per request: a MOCK can only return the same static headers to every origin.
 */
export const preflightRoute = (runtime: HttpRuntime) =>
  defineRoute({
    name: 'OPTIONS',
    public: true,
    async handle({ headers }) {
      return { status: 204, empty: true, headers: preflightHeaders(headers.origin, runtime.allowedOrigins) };
    },
  });
