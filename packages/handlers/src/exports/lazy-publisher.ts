import type { ExportFile } from './publish.ts';

export type PublishExport = (file: ExportFile) => Promise<string>;

/**
 * The S3 client is the largest module an export handler would load, and most exports fit in the
 * response without it. So it is loaded and created on the first large export, then reused by the
 * container like any client made at init (the bundle keeps the code; only its evaluation waits).
 */
export function lazyPublisher(env: Record<string, string | undefined> = process.env): PublishExport {
  let loading: Promise<PublishExport> | undefined;
  return async (file) => {
    loading ??= Promise.all([import('../s3.ts'), import('./publish.ts')]).then(
      ([{ createS3Client }, { publishExport }]) => {
        const s3 = createS3Client(env);
        return (next: ExportFile) => publishExport(s3, next);
      },
    );
    return (await loading)(file);
  };
}
