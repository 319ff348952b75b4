import { bulkTasksRoute } from '../routes/tasks/bulk.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(bulkTasksRoute);
