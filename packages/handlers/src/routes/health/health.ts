import { defineRoute } from '../../http/route.ts';
import type { HttpRuntime } from '../../runtime.ts';

/** Liveness only: answers without touching DynamoDB, so it stays cheap and needs no API key. */
export const healthRoute = (runtime: HttpRuntime) =>
  defineRoute({
    name: 'GET /health',
    public: true,
    async handle() {
      return { data: { status: 'ok', stage: runtime.config.stage, time: new Date().toISOString() } };
    },
  });
