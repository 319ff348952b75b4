import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@tasktracker/local/testing';
import { afterAll, describe, expect, it } from 'vitest';
// The deployer owns bundling (it depends on this package, so the import is by path, test-only).
import { buildBundle, bundleHandlers, zipFiles } from '../../../deploy/src/index.ts';
import { handlerEntry } from '../../src/index.ts';
import { apiEvent, lambdaContext } from '../support/events.ts';
import { motoServer, useMoto } from '../support/moto.ts';
import { noEngine, useHandlers } from '../support/stack.ts';

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
// Inside the package (in git-ignored node_modules), as dist/ is: source map paths are then relative.
mkdirSync(join(PACKAGE_DIR, 'node_modules', '.cache'), { recursive: true });
const scratch = mkdtempSync(join(PACKAGE_DIR, 'node_modules', '.cache', 'bundle-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// Only for the tables and the environment: the test runs the bundle, not these modules.
const api = useHandlers(['health/health'] as const);
const moto = useMoto();

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Runs a bundle's handler once in a fresh Node process, as Lambda would import it. */
async function invokeBundle(file: string, event: unknown, env: Record<string, string> = {}) {
  const script = `const { handler } = await import(process.argv[1]);
const result = await handler(JSON.parse(process.argv[2]), JSON.parse(process.argv[3]));
process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');`;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, file, JSON.stringify(event), JSON.stringify(lambdaContext())],
    {
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        ...env,
      },
    },
  );
  const line = stdout.split('\n').find((candidate) => candidate.startsWith('RESULT '));
  const logs = stdout
    .split('\n')
    .filter((candidate) => candidate.startsWith('{'))
    .map((candidate) => JSON.parse(candidate) as Record<string, unknown>)
    .filter((entry) => 'level' in entry); // not the metric (EMF) lines
  const reply = JSON.parse(line?.slice('RESULT '.length) ?? 'null') as { statusCode: number; body: string };
  return { reply, logs };
}

describe('handler bundles', () => {
  it('are deterministic: the same sources give the same bytes, and the same zip', async () => {
    const entry = join(PACKAGE_DIR, 'src', handlerEntry('tasks-create'));
    await buildBundle(entry, join(scratch, 'a', 'index.mjs'));
    await buildBundle(entry, join(scratch, 'b', 'index.mjs'));
    expect(sha256(join(scratch, 'a', 'index.mjs'))).toBe(sha256(join(scratch, 'b', 'index.mjs')));
    expect(sha256(join(scratch, 'a', 'index.mjs.map'))).toBe(sha256(join(scratch, 'b', 'index.mjs.map')));
    const zip = (dir: string) =>
      zipFiles([{ name: 'index.mjs', data: readFileSync(join(scratch, dir, 'index.mjs')) }]);
    expect(zip('a').equals(zip('b'))).toBe(true);
    expect(readFileSync(join(scratch, 'a', 'index.mjs.map'), 'utf8')).not.toContain(REPO_ROOT);
    // pino's transports, multistream, path redaction and worker_threads are stand-ins (see bundle.ts).
    const code = readFileSync(join(scratch, 'a', 'index.mjs'), 'utf8');
    expect(code).not.toContain('worker_threads');
    expect(code).toContain('pino transports is not bundled in Lambda handlers');
  }, 60_000);

  it.skipIf(noEngine)(
    'run in a fresh Node process: the create bundle writes a task to DynamoDB Local',
    async () => {
      const file = join(scratch, 'a', 'index.mjs');
      const { reply, logs } = await invokeBundle(
        file,
        apiEvent({
          method: 'POST',
          resource: '/tasks',
          body: { title: 'from the bundle' },
          headers: { 'X-Correlation-Id': 'bundle-run-1' },
        }),
      );
      expect(reply.statusCode).toBe(201);
      expect(JSON.parse(reply.body)).toMatchObject({
        data: { title: 'from the bundle', userId: 'key-alice' },
      });
      expect(api.tables.tasks).not.toBe('');
      // The bundled logger writes JSON lines to stdout, each carrying the request's correlation id.
      expect(logs.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['request', 'response']));
      expect(logs.every((entry) => entry.correlationId === 'bundle-run-1')).toBe(true);
    },
    60_000,
  );

  it.skipIf(noEngine || !motoServer)(
    'carry the S3 publisher of the export handler as a file of its own, loaded on the first large export',
    async () => {
      const dir = join(scratch, 'export');
      await bundleHandlers(join(PACKAGE_DIR, 'src'), dir, PACKAGE_DIR, ['tasks-export']);
      const index = readFileSync(join(dir, 'tasks-export', 'index.mjs'), 'utf8');
      expect(index).toContain('import("./publish.mjs")');
      expect(index).not.toContain('"PutObject"');
      expect(readFileSync(join(dir, 'tasks-export', 'publish.mjs'), 'utf8')).toContain('"PutObject"');

      const bucket = 'tasktracker-bundle-exports';
      await fetch(`${moto.endpoint}/${bucket}`, { method: 'PUT' });
      const { reply } = await invokeBundle(
        join(dir, 'tasks-export', 'index.mjs'),
        apiEvent({ method: 'GET', resource: '/tasks/export', apiKeyId: 'key-bundle' }),
        { AWS_ENDPOINT_URL_S3: moto.endpoint, BUCKET_NAME: bucket, EXPORT_INLINE_LIMIT_BYTES: '1' },
      );
      expect(reply.statusCode).toBe(200);
      const { url } = JSON.parse(reply.body).data as { url: string };
      expect(url).toContain('/exports/key-bundle/');
      const file = await fetch(url);
      expect(file.status).toBe(200);
      expect(await file.text()).toMatch(/^taskId,title,/);
    },
    60_000,
  );
});
