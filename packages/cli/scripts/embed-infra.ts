// Writes dist/infra: the template and every handler's zip, built from this checkout's sources, for the
// npm package (run by `node scripts/build.mjs --for-package`, the prepack script).
import { readFileSync } from 'node:fs';
import { embedInfrastructure, requireCheckout } from '@tasktracker/deploy';

const packageDir = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as {
  version: string;
};
const outDir = new URL('dist/infra', packageDir).pathname;
const manifest = await embedInfrastructure(requireCheckout(), outDir, version);
const bytes = manifest.artifacts.reduce((sum, artifact) => sum + artifact.bytes, 0);
process.stdout.write(
  `dist/infra: ${manifest.template} and ${manifest.artifacts.length} handler zips (${(bytes / 1e6).toFixed(1)} MB)\n`,
);
