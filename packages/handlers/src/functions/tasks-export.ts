import { lazyPublisher } from '../exports/lazy-publisher.ts';
import { exportTasksRoute } from '../routes/tasks/export.ts';
import { apiHandler } from './api.ts';

const publish = lazyPublisher();
export const handler = apiHandler((runtime) => exportTasksRoute(runtime, publish));
