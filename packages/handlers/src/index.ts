// The package's public door: the handler manifest and the pieces a local API or another handler needs.
// Handler modules themselves are entry points (one per Lambda) and are not re-exported: importing one
// builds its clients.
export { CORS_ALLOWED_HEADERS, corsHeaders, parseAllowedOrigins, preflightHeaders } from './http/cors.ts';
export { type ApiEvent, ApiEventSchema, type ApiResponse, type LambdaContext } from './http/event.ts';
export { defineRoute, type Route, type RouteRequest, type RouteResult } from './http/route.ts';
export { type ApiHandler, createApiHandler } from './http/wrapper.ts';
export { type InvocationLogItem, InvocationLogItemSchema } from './imports/invocation-log.ts';
export {
  API_ROUTES,
  type ApiRoute,
  HANDLER_NAMES,
  type HandlerName,
  handlerEntry,
  IMPORT_HANDLER,
  ON_DEMAND_MODULES,
  onDemandFile,
  PREFLIGHT_HANDLER,
} from './manifest.ts';
export {
  createHttpRuntime,
  createRuntime,
  EXPORT_INLINE_LIMIT_BYTES,
  type HandlerEnv,
  type HttpRuntime,
  type Runtime,
} from './runtime.ts';
