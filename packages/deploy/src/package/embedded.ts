import { TaskTrackerError } from '@tasktracker/core';
import * as z from 'zod/mini';

/** The file at the root of an embedded infrastructure directory that says what it holds. */
export const EMBEDDED_MANIFEST = 'infrastructure.json';

const EmbeddedArtifactSchema = z.object({
  name: z.string(),
  /** Relative to the infrastructure directory. */
  file: z.string(),
  sha256: z.string(),
  bytes: z.number(),
});

/**
 * What the CLI package carries so that it deploys from any directory: the template as written and
 * every handler's zip, built from the checkout's sources when the package was packed.
 */
export const EmbeddedManifestSchema = z.object({
  /** The CLI version it was packed with. */
  version: z.string(),
  /** The bundler fingerprint the zips were built with (esbuild version, options, plugins). */
  bundler: z.string(),
  template: z.string(),
  artifacts: z.array(EmbeddedArtifactSchema),
});
export type EmbeddedManifest = z.infer<typeof EmbeddedManifestSchema>;

export function parseEmbeddedManifest(text: string, file: string): EmbeddedManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = z.safeParse(EmbeddedManifestSchema, data);
  if (!parsed.success)
    throw new TaskTrackerError(
      'INTERNAL_SERVER_ERROR',
      `${file} is not a tasktracker infrastructure manifest: reinstall @tasktracker/cli`,
    );
  return parsed.data;
}
