import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckoutProject } from '../project.ts';
import { EMBEDDED_MANIFEST, type EmbeddedManifest } from './embedded.ts';
import { artifactSourceOf } from './sources.ts';

const TEMPLATE_FILE = 'tasktracker.yaml';

/**
 * Writes what the CLI package carries into `outDir`: the checkout's template as written, every
 * handler's zip bundled from its sources (the same bytes `tt package` builds there), and the manifest
 * naming them. Run when the package is packed, so an installed `tt` deploys from any directory.
 */
export async function embedInfrastructure(
  checkout: CheckoutProject,
  outDir: string,
  version: string,
): Promise<EmbeddedManifest> {
  const source = artifactSourceOf(checkout);
  const work = mkdtempSync(join(tmpdir(), 'tt-embed-'));
  try {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(join(outDir, 'artifacts'), { recursive: true });
    const { zips } = await source.build(join(outDir, 'artifacts'), work);
    copyFileSync(checkout.template, join(outDir, TEMPLATE_FILE));
    const manifest: EmbeddedManifest = {
      version,
      bundler: await source.bundler(),
      template: TEMPLATE_FILE,
      artifacts: zips.map((zip) => ({
        name: zip.name,
        file: `artifacts/${zip.name}.zip`,
        sha256: zip.sha256,
        bytes: zip.bytes,
      })),
    };
    writeFileSync(join(outDir, EMBEDDED_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
