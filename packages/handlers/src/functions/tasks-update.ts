import { updateTaskRoute } from '../routes/tasks/update.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(updateTaskRoute);
