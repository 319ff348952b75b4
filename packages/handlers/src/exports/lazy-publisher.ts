import type { ExportFile, PublishedExport } from './publish.ts';

export type PublishExport = (file: ExportFile) => Promise<PublishedExport>;

/**
 * The S3 client is the largest module an export handler would load, and most exports fit in the
 * response without it. So it is loaded and created on the first large export, then reused by the
 * container like any client made at init. The bundle carries it as a file of its own (publish.mjs), so
 * until then it is neither evaluated nor even parsed.
 */
export function lazyPublisher(env: Record<string, string | undefined> = process.env): PublishExport {
  let loading: Promise<PublishExport> | undefined;
  return async (file) => {
    loading ??= import('./publish.ts').then(({ createPublisher }) => createPublisher(env));
    return (await loading)(file);
  };
}
