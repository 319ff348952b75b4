import type { Route } from '../http/route.ts';
import { type ApiHandler, createApiHandler } from '../http/wrapper.ts';
import { type HttpRuntime, type Runtime, sharedHttpRuntime, sharedRuntime } from '../runtime.ts';

/**
 * Lambda entry points are built here, at module load: the runtime (config, logger, clients) is created
 * in the init phase and reused by every invocation of the container.
 */
export function apiHandler<Body, Query, Params>(
  build: (runtime: Runtime) => Route<Body, Query, Params>,
): ApiHandler {
  const runtime = sharedRuntime();
  return createApiHandler(build(runtime), runtime);
}

/** For routes that touch no task data: no DynamoDB tracker is built, so the bundle carries less. */
export function publicHandler<Body, Query, Params>(
  build: (runtime: HttpRuntime) => Route<Body, Query, Params>,
): ApiHandler {
  const runtime = sharedHttpRuntime();
  return createApiHandler(build(runtime), runtime);
}
