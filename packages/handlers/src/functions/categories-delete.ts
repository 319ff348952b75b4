import { deleteCategoryRoute } from '../routes/categories/delete.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(deleteCategoryRoute);
