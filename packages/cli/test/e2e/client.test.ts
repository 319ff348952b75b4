import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createTaskTrackerClient,
  isTaskTrackerApiError,
  type TaskTrackerApiError,
  type TaskTrackerClientOptions,
} from '@tasktracker/core/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noEngine, useCli } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = path.join(ROOT, 'packages/cli/dist/tt.mjs');
const run = promisify(execFile);

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      if (!isTaskTrackerApiError(error)) throw error;
      return error as TaskTrackerApiError;
    },
  );

/** What went over the wire: each request's method, path, If-None-Match, and the status it got. */
function recordingFetch() {
  const log: { method: string; path: string; ifNoneMatch: string | null; status: number }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const url = new URL(String(input));
    log.push({
      method: init?.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      ifNoneMatch: new Headers(init?.headers).get('if-none-match'),
      status: response.status,
    });
    return response;
  };
  return { fetch, log };
}

/** Two raw HTTP/1.1 requests on one connection: what the server really wrote, byte for byte. */
function pipelined(url: string, requests: string[]): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    // The last request says Connection: close; half-closing first would end the connection early.
    const socket = connect(Number(port), hostname, () => socket.write(requests.join('')));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe.skipIf(noEngine)('the typed client against tt local serve', () => {
  const cli = useCli();
  let server: ChildProcess;
  let url = '';
  const client = (apiKey: string, options: Partial<TaskTrackerClientOptions> = {}) =>
    createTaskTrackerClient({ baseUrl: url, apiKey, ...options } as TaskTrackerClientOptions);

  beforeAll(async () => {
    if (noEngine) return;
    await cli.run(['local', 'start']);
    server = spawn(process.execPath, [BIN, 'local', 'serve', '--port', '0', '--json'], {
      env: { ...process.env, TASKTRACKER_DATA_DIR: cli.dataDir() },
      cwd: ROOT,
    });
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: server.stdout! }).once('line', resolve),
    );
    url = (JSON.parse(first) as { url: string }).url;
  });
  afterAll(() => {
    server?.kill('SIGINT');
  });

  it('goes through every route with answers that match core’s schemas', async () => {
    const alice = client('client-alice');
    expect(await alice.health.check()).toMatchObject({ status: 'ok', stage: 'dev' });
    expect((await alice.health.detailed()).checks.map((check) => check.status)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    const home = await alice.categories.create({ name: 'Home', color: '#2E8B57' });
    const work = await alice.categories.create({ name: 'Work' });
    expect((await alice.categories.list()).map((category) => category.name)).toEqual(['Home', 'Work']);
    const milk = await alice.tasks.create({
      title: 'Buy milk',
      categoryId: home.categoryId,
      dueDate: '2026-12-01',
    });
    for (const title of ['a', 'b', 'c', 'd']) await alice.tasks.create({ title, priority: 'low' });
    expect(await alice.tasks.get(milk.taskId)).toEqual(milk);
    expect((await alice.categories.get(home.categoryId)).taskCount).toBe(1);

    const updated = await alice.tasks.update(milk.taskId, { priority: 'high' }, { ifMatch: milk.version });
    expect(updated).toMatchObject({ priority: 'high', version: 2 });
    const page = await alice.tasks.list({ priority: 'low', limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).toEqual(expect.any(String));
    const pages = [];
    for await (const each of alice.tasks.pages({ priority: 'low', limit: 3 })) pages.push(each.items.length);
    expect(pages).toEqual([3, 1]);
    const all = [];
    for await (const task of alice.tasks.iterate({ limit: 2 })) all.push(task.title);
    expect(all).toEqual(['d', 'c', 'b', 'a', 'Buy milk']);
    expect((await alice.tasks.list({ categoryId: home.categoryId })).items.map((task) => task.title)).toEqual(
      ['Buy milk'],
    );

    const bulk = await alice.tasks.bulk({ action: 'move', ids: [milk.taskId], categoryId: work.categoryId });
    expect(bulk.counts.updated).toBe(1);
    const file = await alice.tasks.export({ categoryId: work.categoryId, format: 'jsonl' });
    expect(file).toMatchObject({ kind: 'file', format: 'jsonl' });
    expect(
      file.kind === 'file' &&
        file.text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line).title),
    ).toEqual(['Buy milk']);
    const csv = await alice.tasks.export({ status: 'open' });
    expect(csv.kind === 'file' && csv.text.startsWith('taskId,title')).toBe(true);
    // The same export as a job: tt local serve runs its asynchronous invocation in the background.
    const job = await alice.exports.start({ status: 'open' });
    expect(job).toMatchObject({ status: 'pending', rows: 0, format: 'csv' });
    const seen: string[] = [];
    const done = await alice.exports.wait(job.exportId, {
      intervalMs: 50,
      onProgress: (each) => seen.push(each.status),
    });
    expect(done).toMatchObject({ status: 'succeeded', rows: 5 });
    expect(seen.at(-1)).toBe('succeeded');
    expect(await (await fetch(done.url ?? '')).text()).toBe(csv.kind === 'file' ? csv.text : '');
    expect((await failure(client('client-bob').exports.get(job.exportId))).code).toBe('RESOURCE_NOT_FOUND');

    const renamed = await alice.categories.update(work.categoryId, { name: 'Office' }, { ifMatch: 1 });
    expect(renamed).toMatchObject({ name: 'Office', version: 2, taskCount: 1 });
    expect(await alice.categories.delete(work.categoryId, { reassignTo: home.categoryId })).toEqual({
      categoryId: work.categoryId,
      deleted: true,
      movedTasks: 1,
    });
    const current = await alice.tasks.get(milk.taskId);
    expect(await alice.tasks.delete(milk.taskId, { ifMatch: current.version })).toEqual({
      taskId: milk.taskId,
      deleted: true,
    });
    expect(await alice.categories.delete(home.categoryId, { expectedVersion: 1 })).toMatchObject({
      movedTasks: 0,
    });
  });

  it('throws the envelope’s code, status, details and correlation id', async () => {
    const bob = client('client-bob');
    const missing = await failure(
      bob.tasks.get('01JZZZZZZZZZZZZZZZZZZZZZZZ', { correlationId: 'trace-404' }),
    );
    expect(missing).toMatchObject({ code: 'RESOURCE_NOT_FOUND', status: 404, correlationId: 'trace-404' });
    // The edge (the body's model, as API Gateway applies it) refuses this before any handler runs.
    const invalid = await failure(bob.tasks.create({ title: '' }));
    expect(invalid).toMatchObject({ code: 'VALIDATION_ERROR', status: 400, message: 'Invalid request body' });
    // What only the handler can judge carries the offending path.
    const reversed = await failure(
      bob.tasks.list({ sort: 'dueDate', dueAfter: '2026-02-01', dueBefore: '2026-01-01' }),
    );
    expect(reversed).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
    expect(reversed.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.any(Array) })]),
    );
    const task = await bob.tasks.create({ title: 'mine' });
    await bob.tasks.update(task.taskId, { title: 'changed' });
    const stale = await failure(bob.tasks.update(task.taskId, { title: 'late' }, { ifMatch: task.version }));
    expect(stale).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412, details: { currentVersion: 2 } });
    const conflict = await failure(bob.tasks.delete(task.taskId, { expectedVersion: 1 }));
    expect(conflict).toMatchObject({ code: 'VERSION_CONFLICT', status: 409 });
    // Another user sees nothing of Bob's.
    expect((await failure(client('client-eve').tasks.get(task.taskId))).status).toBe(404);
  });

  it('answers a cached GET with an empty 304 through the local API, and the client reuses its copy', async () => {
    const recorder = recordingFetch();
    const carol = client('client-carol', { cache: true, fetch: recorder.fetch });
    const task = await carol.tasks.create({ title: 'cached' });
    const first = await carol.tasks.get(task.taskId);
    const again = await carol.tasks.get(task.taskId);
    expect(again).toEqual(first);
    await carol.tasks.list();
    await carol.tasks.list();
    await carol.tasks.update(task.taskId, { title: 'changed' });
    expect((await carol.tasks.get(task.taskId)).title).toBe('changed');
    const gets = recorder.log.filter((entry) => entry.method === 'GET');
    expect(gets.map((entry) => [entry.status, entry.ifNoneMatch])).toEqual([
      [200, null],
      [304, `"${task.taskId}:1"`],
      [200, null],
      [304, expect.stringMatching(/^"[\w-]{22}"$/)],
      [200, `"${task.taskId}:1"`],
    ]);

    const tag = `"${task.taskId}:2"`;
    const raw = await pipelined(url, [
      `GET /tasks/${task.taskId} HTTP/1.1\r\nHost: local\r\nx-api-key: client-carol\r\nIf-None-Match: ${tag}\r\n\r\n`,
      'GET /health HTTP/1.1\r\nHost: local\r\nConnection: close\r\n\r\n',
    ]);
    const [notModified, next] = raw.split(/(?=HTTP\/1\.1 200)/);
    expect(notModified).toMatch(/^HTTP\/1\.1 304 Not Modified\r\n/);
    expect(notModified).toMatch(new RegExp(`\r\nETag: ${tag}\r\n`, 'i'));
    expect(notModified).toMatch(/\r\nCache-Control: private, no-cache\r\n/i);
    expect(notModified).not.toMatch(/content-type|content-length: [1-9]|transfer-encoding/i);
    // Nothing after the header block: the next answer on the connection starts right there.
    expect(notModified?.endsWith('\r\n\r\n')).toBe(true);
    expect(next).toMatch(/"status":"ok"/);
  });

  it('retries a POST whose answer was lost with the same Idempotency-Key: one task, not two', async () => {
    let posts = 0;
    // The first answer is lost after the API applied the request, as on a connection reset.
    const lossy: typeof globalThis.fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (init?.method === 'POST' && ++posts === 1) {
        await response.text();
        throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
      }
      return response;
    };
    const dave = client('client-dave', { fetch: lossy, retry: { baseDelayMs: 1 } });
    const task = await dave.tasks.create({ title: 'exactly once' });
    expect(posts).toBe(2);
    const listed = await client('client-dave').tasks.list();
    expect(listed.items.map((each) => each.taskId)).toEqual([task.taskId]);
  });

  it('runs the README example as written', async () => {
    const readme = await readFile(path.join(ROOT, 'packages/core/README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## HTTP client'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("from '@tasktracker/core/client'");
    // Inside the CLI package, so that @tasktracker/core resolves as it does for a user's project.
    const dir = path.join(ROOT, 'packages/cli/node_modules/.cache');
    await mkdir(dir, { recursive: true });
    // .mts: under node_modules no package.json says "module", and the example awaits at top level.
    const file = path.join(dir, `readme-client-${process.pid}.mts`);
    await writeFile(file, example!);
    try {
      const { stdout } = await run(
        process.execPath,
        ['--conditions=@tasktracker/source', '--import', 'tsx', file],
        { env: { ...process.env, TT_API_URL: url, TT_API_KEY: 'client-readme' }, cwd: ROOT, timeout: 60_000 },
      );
      expect(stdout).toMatch(/^Buy milk$/m);
      expect(stdout).toMatch(/^412 PRECONDITION_FAILED /m);
    } finally {
      await rm(file, { force: true });
    }
  });
});
