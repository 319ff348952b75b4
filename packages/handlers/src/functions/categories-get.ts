import { getCategoryRoute } from '../routes/categories/get.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(getCategoryRoute);
