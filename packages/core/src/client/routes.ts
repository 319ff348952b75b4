/**
 * Every route the client calls, by operation. A test holds this list equal to the API's own
 * (API_ROUTES in the handlers' manifest), so a new route cannot be left out of the client.
 */
export const CLIENT_ROUTES = {
  createTask: { method: 'POST', path: '/tasks' },
  listTasks: { method: 'GET', path: '/tasks' },
  getTask: { method: 'GET', path: '/tasks/{id}' },
  updateTask: { method: 'PUT', path: '/tasks/{id}' },
  deleteTask: { method: 'DELETE', path: '/tasks/{id}' },
  bulkTasks: { method: 'POST', path: '/tasks/bulk' },
  exportTasks: { method: 'GET', path: '/tasks/export' },
  getExport: { method: 'GET', path: '/exports/{id}' },
  listCategories: { method: 'GET', path: '/categories' },
  createCategory: { method: 'POST', path: '/categories' },
  getCategory: { method: 'GET', path: '/categories/{id}' },
  updateCategory: { method: 'PUT', path: '/categories/{id}' },
  deleteCategory: { method: 'DELETE', path: '/categories/{id}' },
  health: { method: 'GET', path: '/health' },
  detailedHealth: { method: 'GET', path: '/health/detailed' },
  openApiDocument: { method: 'GET', path: '/openapi.json' },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string }>;
export type ClientRoute = (typeof CLIENT_ROUTES)[keyof typeof CLIENT_ROUTES];
