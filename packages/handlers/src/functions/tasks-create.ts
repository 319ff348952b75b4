import { createTaskRoute } from '../routes/tasks/create.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(createTaskRoute);
