import type { LambdaHandler } from '@tasktracker/local/api';

/**
 * Every Lambda entry point, loaded on first use. Static import strings, so the CLI bundle splits each
 * handler into its own chunk: `tt tasks list` never loads them.
 */
const LOADERS: Record<string, () => Promise<{ handler: unknown }>> = {
  'tasks-create': () => import('@tasktracker/handlers/functions/tasks-create'),
  'tasks-list': () => import('@tasktracker/handlers/functions/tasks-list'),
  'tasks-get': () => import('@tasktracker/handlers/functions/tasks-get'),
  'tasks-update': () => import('@tasktracker/handlers/functions/tasks-update'),
  'tasks-delete': () => import('@tasktracker/handlers/functions/tasks-delete'),
  'tasks-bulk': () => import('@tasktracker/handlers/functions/tasks-bulk'),
  'tasks-export': () => import('@tasktracker/handlers/functions/tasks-export'),
  'categories-list': () => import('@tasktracker/handlers/functions/categories-list'),
  'categories-create': () => import('@tasktracker/handlers/functions/categories-create'),
  'categories-get': () => import('@tasktracker/handlers/functions/categories-get'),
  'categories-update': () => import('@tasktracker/handlers/functions/categories-update'),
  'categories-delete': () => import('@tasktracker/handlers/functions/categories-delete'),
  health: () => import('@tasktracker/handlers/functions/health'),
  'health-detailed': () => import('@tasktracker/handlers/functions/health-detailed'),
  openapi: () => import('@tasktracker/handlers/functions/openapi'),
  'cors-preflight': () => import('@tasktracker/handlers/functions/cors-preflight'),
  'imports-process': () => import('@tasktracker/handlers/functions/imports-process'),
};

export async function loadHandler<H = LambdaHandler>(name: string): Promise<H> {
  const loader = LOADERS[name];
  if (!loader) throw new Error(`the template names a handler this CLI does not have: ${name}`);
  const module = await loader();
  return module.handler as H;
}
