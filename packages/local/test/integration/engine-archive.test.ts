import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { archiveRoot, buildArchiveNow, planEngineLaunch } from '../../src/cds/archive.ts';
import { ensureLocalEngine, stopLocalEngine } from '../../src/daemon.ts';
import { dynamoDbLocalDir, engineJvmOptions } from '../../src/engine.ts';
import { findJava, localDynamoClient } from '../../src/index.ts';

/**
 * The engine's class-data sharing archive (src/cds): made once by a training run, mapped by the next
 * starts, rebuilt when the JVM or the jar changes, and never the reason a start fails. Behaviour only:
 * how much quicker a start is belongs to bench/first-command.ts.
 */
const endpoint = inject('dynamoEndpoint');
const TRAINING_TIMEOUT = 240_000;

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tt-engine-archive-'));
});
afterEach(async () => {
  await stopLocalEngine(dataDir).catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

const cmdline = (pid: number) => readFile(`/proc/${pid}/cmdline`, 'utf8').then((text) => text.split('\0'));

async function plan() {
  const java = await findJava();
  const launch = await planEngineLaunch({
    dataDir,
    engineDir: dynamoDbLocalDir(),
    jvm: java,
    jvmOptions: engineJvmOptions(),
  });
  return { java, launch };
}

/** The archive of the data dir's current key, once there is one. */
async function archivePath(): Promise<string> {
  const [key] = await readdir(archiveRoot(dataDir));
  return path.join(archiveRoot(dataDir), key ?? 'none', 'engine.jsa');
}

async function putAndGet(engineEndpoint: string, id: string) {
  const client = localDynamoClient(engineEndpoint);
  try {
    const TableName = 'tasktracker-dev-tasks';
    await client.send(new PutItemCommand({ TableName, Item: { userId: { S: 'u' }, taskId: { S: id } } }));
    const { Item } = await client.send(
      new GetItemCommand({ TableName, Key: { userId: { S: 'u' }, taskId: { S: id } } }),
    );
    return Item?.taskId?.S;
  } finally {
    client.destroy();
  }
}

describe.skipIf(!endpoint)('the engine class-data archive', () => {
  it(
    'is made by a training run, then mapped by the next start (and not rebuilt)',
    async () => {
      const first = await ensureLocalEngine({ dataDir, archiveBuild: 'none' });
      expect(first.classDataSharing).toBe('absent');
      expect(await cmdline(first.pid)).not.toContainEqual(expect.stringMatching(/^-XX:SharedArchiveFile=/));
      expect(await putAndGet(first.endpoint, 'before')).toBe('before');

      const { java, launch } = await plan();
      expect(launch.archive).toBe('absent');
      expect(await buildArchiveNow(java.path, launch)).toBe(true);
      const archive = await archivePath();
      const built = await stat(archive);
      expect(built.size).toBeGreaterThan(1_000_000);

      await stopLocalEngine(dataDir);
      const second = await ensureLocalEngine({ dataDir });
      expect(second.classDataSharing).toBe('used');
      expect(await cmdline(second.pid)).toContain(`-XX:SharedArchiveFile=${archive}`);
      // The same database, served by the engine started from the archive.
      expect(await putAndGet(second.endpoint, 'after')).toBe('after');
      expect((await stat(archive)).mtimeMs).toBe(built.mtimeMs);
    },
    TRAINING_TIMEOUT,
  );

  it(
    'is built in the background after a start without one',
    async () => {
      // At normal priority: at the lowest, a busy CI's test workers could starve it past the timeout.
      const engine = await ensureLocalEngine({ dataDir, archivePriority: 'normal' });
      expect(engine.classDataSharing).toBe('absent');
      const archive = await archivePath();
      const lock = path.join(path.dirname(archive), 'build.lock');
      for (let waited = 0; waited < TRAINING_TIMEOUT - 20_000; waited += 500) {
        if (
          await stat(archive).then(
            () => true,
            () => false,
          )
        )
          break;
        await sleep(500);
      }
      expect((await stat(archive)).size).toBeGreaterThan(1_000_000);
      // The training run cleans up after itself: its lock and scratch database are gone.
      for (let waited = 0; waited < 10_000; waited += 200) {
        if (
          !(await stat(lock).then(
            () => true,
            () => false,
          ))
        )
          break;
        await sleep(200);
      }
      expect((await readdir(path.dirname(archive))).sort()).toEqual([
        'DynamoDBLocal.jar',
        'classpath.json',
        'engine.jsa',
      ]);
    },
    TRAINING_TIMEOUT,
  );

  it('is keyed by the JVM: another version plans a new archive and drops the old one', async () => {
    const { java, launch } = await plan();
    const oldArchive = path.join(launch.dir ?? '', 'engine.jsa');
    await writeFile(oldArchive, 'stands in for an archive of the old JVM');
    const upgraded = await planEngineLaunch({
      dataDir,
      engineDir: dynamoDbLocalDir(),
      jvm: { ...java, versionText: `${java.versionText} (patched)` },
      jvmOptions: engineJvmOptions(),
    });
    expect(upgraded.archive).toBe('absent');
    expect(upgraded.dir).not.toBe(launch.dir);
    expect(await readdir(archiveRoot(dataDir))).toEqual([path.basename(upgraded.dir ?? '')]);
  });

  it(
    'never fails a start: a damaged archive is dropped, the engine starts without it, a rebuild follows',
    async () => {
      const { launch } = await plan();
      const archive = path.join(launch.dir ?? '', 'engine.jsa');
      // The header of a dynamic archive, then garbage: the JVM refuses it (-Xshare:on) and exits.
      await writeFile(archive, Buffer.concat([Buffer.from([0xa8, 0xab, 0x0b, 0xf0]), Buffer.alloc(4096, 7)]));
      const engine = await ensureLocalEngine({ dataDir, archiveBuild: 'none' });
      expect(engine.classDataSharing).toBe('absent');
      expect(await putAndGet(engine.endpoint, 'fallback')).toBe('fallback');
      expect(
        await stat(archive).then(
          () => true,
          () => false,
        ),
      ).toBe(false);
      expect(await readFile(path.join(launch.dir ?? '', 'failures'), 'utf8')).toBe('1');
      // Not a crash report in the working directory: the JVM was told to write any into the archive's.
      expect((await readdir(process.cwd())).filter((name) => name.startsWith('hs_err_pid'))).toEqual([]);
    },
    TRAINING_TIMEOUT,
  );

  it('is not used when the file is not an archive at all', async () => {
    const { launch } = await plan();
    await writeFile(path.join(launch.dir ?? '', 'engine.jsa'), 'not an archive');
    const again = await plan();
    expect(again.launch.archive).toBe('absent');
    expect(again.launch.prefix.join(' ')).not.toContain('SharedArchiveFile');
  });
});
