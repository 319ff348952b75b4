import type { Task } from '@tasktracker/core';
import { invoke } from './events.ts';
import { useHandlers } from './stack.ts';

/** The task routes (and category creation) on fresh tables, with a helper to create tasks as a caller. */
export function useTaskApi() {
  const api = useHandlers([
    'tasks/create',
    'tasks/list',
    'tasks/get',
    'tasks/update',
    'tasks/delete',
    'tasks/bulk',
    'tasks/export',
    'categories/create',
  ] as const);
  const h = () => api.handlers;
  const createTask = (body: unknown, options: { apiKeyId?: string; headers?: Record<string, string> } = {}) =>
    invoke<Task>(h()['tasks/create'], { method: 'POST', resource: '/tasks', body, ...options });
  return { api, h, createTask };
}
