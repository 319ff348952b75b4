import { createCategoryRoute } from '../routes/categories/create.ts';
import { apiHandler } from './api.ts';

export const handler = apiHandler(createCategoryRoute);
