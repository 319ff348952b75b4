import { getTaskRoute } from '../routes/tasks/get.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(getTaskRoute);
