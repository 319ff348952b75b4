import { exportTasksRoute } from '../routes/tasks/export.ts';
import { createS3Client } from '../s3.ts';
import { apiHandler } from './api.ts';

const s3 = createS3Client();
export const handler = apiHandler((runtime) => exportTasksRoute(runtime, s3));
