/**
 * One Lambda function per name: its entry module is src/functions/<name>.ts, its bundle
 * dist/<name>/index.mjs, its artifact <name>.zip. The build script, the CloudFormation check and the
 * local API all read this list.
 */
export const HANDLER_NAMES = [
  'tasks-create',
  'tasks-list',
  'tasks-get',
  'tasks-update',
  'tasks-delete',
  'tasks-bulk',
  'tasks-export',
  'categories-list',
  'categories-create',
  'categories-get',
  'categories-update',
  'categories-delete',
  'health',
  'health-detailed',
  'openapi',
  'cors-preflight',
  'imports-process',
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** The entry module of a handler, relative to the package's src/. */
export function handlerEntry(name: HandlerName): string {
  return `functions/${name}.ts`;
}

/**
 * Modules a handler imports only on demand, shipped as files of their own beside its index.mjs (the
 * handler's dynamic import of the source module becomes an import of the file), so that its init
 * neither evaluates nor parses them. Paths relative to src/.
 */
export const ON_DEMAND_MODULES: Partial<Record<HandlerName, readonly string[]>> = {
  'tasks-export': ['exports/publish.ts', 'exports/invoke.ts'],
};

/** The file an on-demand module becomes in its handler's bundle: exports/publish.ts -> publish.mjs. */
export function onDemandFile(source: string): string {
  return `${source.replace(/^.*\//, '').replace(/\.ts$/, '')}.mjs`;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway resource path. */
  path: string;
  handler: HandlerName;
  /** Needs no API key (health checks). */
  public?: boolean;
}

/** The HTTP API. Every path also answers OPTIONS through `cors-preflight`. */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/tasks', handler: 'tasks-create' },
  { method: 'GET', path: '/tasks', handler: 'tasks-list' },
  { method: 'GET', path: '/tasks/{id}', handler: 'tasks-get' },
  { method: 'PUT', path: '/tasks/{id}', handler: 'tasks-update' },
  { method: 'DELETE', path: '/tasks/{id}', handler: 'tasks-delete' },
  { method: 'POST', path: '/tasks/bulk', handler: 'tasks-bulk' },
  { method: 'GET', path: '/tasks/export', handler: 'tasks-export' },
  { method: 'GET', path: '/exports/{id}', handler: 'tasks-export' },
  { method: 'GET', path: '/categories', handler: 'categories-list' },
  { method: 'POST', path: '/categories', handler: 'categories-create' },
  { method: 'GET', path: '/categories/{id}', handler: 'categories-get' },
  { method: 'PUT', path: '/categories/{id}', handler: 'categories-update' },
  { method: 'DELETE', path: '/categories/{id}', handler: 'categories-delete' },
  { method: 'GET', path: '/health', handler: 'health', public: true },
  { method: 'GET', path: '/health/detailed', handler: 'health-detailed', public: true },
  { method: 'GET', path: '/openapi.json', handler: 'openapi', public: true },
];

export const PREFLIGHT_HANDLER: HandlerName = 'cors-preflight';
export const IMPORT_HANDLER: HandlerName = 'imports-process';
