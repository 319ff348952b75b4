import { openApiRoute } from '../routes/contract/openapi.ts';
import { publicHandler } from './api.ts';

export const handler = publicHandler(openApiRoute);
