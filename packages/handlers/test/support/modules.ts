import type { Handler } from './events.ts';

/** Static imports (vite cannot follow a computed path), loaded only once the environment is set. */
export const ROUTE_MODULES = {
  'tasks/create': () => import('../../src/functions/tasks-create.ts'),
  'tasks/list': () => import('../../src/functions/tasks-list.ts'),
  'tasks/get': () => import('../../src/functions/tasks-get.ts'),
  'tasks/update': () => import('../../src/functions/tasks-update.ts'),
  'tasks/delete': () => import('../../src/functions/tasks-delete.ts'),
  'tasks/bulk': () => import('../../src/functions/tasks-bulk.ts'),
  'tasks/export': () => import('../../src/functions/tasks-export.ts'),
  'categories/list': () => import('../../src/functions/categories-list.ts'),
  'categories/create': () => import('../../src/functions/categories-create.ts'),
  'categories/get': () => import('../../src/functions/categories-get.ts'),
  'categories/update': () => import('../../src/functions/categories-update.ts'),
  'categories/delete': () => import('../../src/functions/categories-delete.ts'),
  'health/health': () => import('../../src/functions/health.ts'),
  'health/detailed': () => import('../../src/functions/health-detailed.ts'),
  'cors/preflight': () => import('../../src/functions/cors-preflight.ts'),
} satisfies Record<string, () => Promise<{ handler: Handler }>>;
export type RouteModuleName = keyof typeof ROUTE_MODULES;
