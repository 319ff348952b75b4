import { preflightRoute } from '../routes/cors/preflight.ts';
import { publicHandler } from './api.ts';

export const handler = publicHandler(preflightRoute);
