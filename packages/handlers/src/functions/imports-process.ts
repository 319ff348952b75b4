import { createImportHandler } from '../imports/handler.ts';
import { sharedRuntime } from '../runtime.ts';
import { createS3Client } from '../s3.ts';

export const handler = createImportHandler({ runtime: sharedRuntime(), s3: createS3Client() });
