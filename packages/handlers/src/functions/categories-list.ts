import { listCategoriesRoute } from '../routes/categories/list.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(listCategoriesRoute);
