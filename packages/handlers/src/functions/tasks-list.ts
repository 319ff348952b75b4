import { listTasksRoute } from '../routes/tasks/list.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(listTasksRoute);
