import { deleteTaskRoute } from '../routes/tasks/delete.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(deleteTaskRoute);
