import { healthRoute } from '../routes/health/health.ts';
import { publicHandler } from './api.ts';

export const handler = publicHandler(healthRoute);
