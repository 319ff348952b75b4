/**
 * The third-party packages the benchmarks compare against (Powertools, osls, serverless-offline,
 * autocannon) live in bench/peers: a plain npm folder outside the pnpm workspace, so that neither
 * `pnpm install` nor the workspace lockfile carries them. They are installed the first time a bench
 * needs them, from the committed bench/peers/package-lock.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PEERS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'peers');
const requirePeer = createRequire(join(PEERS_DIR, 'package.json'));
/** Read from node_modules directly: some packages' `exports` hide their package.json. */
const peerManifest = (pkg: string) => join(PEERS_DIR, 'node_modules', pkg, 'package.json');

function missingPeers(): string[] {
  const manifest = JSON.parse(readFileSync(join(PEERS_DIR, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return Object.keys(manifest.dependencies).filter((name) => !existsSync(peerManifest(name)));
}

/** Installs bench/peers when any of its packages is missing; a no-op afterwards. */
export function ensurePeers(): void {
  const missing = missingPeers();
  if (missing.length === 0) return;
  console.log(`installing bench peers (${missing.join(', ')}) into bench/peers ...`);
  // --legacy-peer-deps: serverless-offline names the proprietary `serverless` v4 as a peer dependency,
  // which npm would otherwise install; osls (the open-source fork of serverless v3) runs it instead.
  execFileSync('npm', ['install', '--prefix', PEERS_DIR, '--legacy-peer-deps', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
}

/** A peer package's file path, resolved from bench/peers (never from the workspace). */
export function resolvePeer(specifier: string): string {
  return requirePeer.resolve(specifier);
}

/** Imports a peer package from bench/peers. */
export async function importPeer<T>(specifier: string): Promise<T> {
  return (await import(pathToFileURL(resolvePeer(specifier)).href)) as T;
}

/** A peer package's executable script (a package.json `bin` entry), to run with node. */
export function peerBin(pkg: string, bin: string): string {
  const manifestPath = peerManifest(pkg);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[bin];
  if (!relative) throw new Error(`${pkg} has no ${bin} executable`);
  return join(dirname(manifestPath), relative);
}

/** The exact version installed, for the results file. */
export function peerVersion(pkg: string): string {
  return (JSON.parse(readFileSync(peerManifest(pkg), 'utf8')) as { version: string }).version;
}
