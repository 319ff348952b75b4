import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_MANIFEST, findProject, type Project } from '@tasktracker/deploy';

/**
 * The infrastructure this CLI package carries (dist/infra, written when it was packed). Found by
 * walking up from this module, which the build may have put in dist/ or in dist/chunks/.
 */
export function embeddedInfrastructureDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 4; level += 1) {
    const candidate = join(dir, 'infra');
    if (existsSync(join(candidate, EMBEDDED_MANIFEST))) return candidate;
    if (existsSync(join(dir, 'package.json'))) return undefined;
    dir = dirname(dir);
  }
  return undefined;
}

/** The checkout's template and sources inside a checkout; the embedded copy anywhere else. */
export function openProject(): Project {
  return findProject({ embeddedDir: embeddedInfrastructureDir() });
}
