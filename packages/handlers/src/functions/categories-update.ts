import { updateCategoryRoute } from '../routes/categories/update.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(updateCategoryRoute);
