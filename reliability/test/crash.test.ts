import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableNames } from '@tasktracker/core';
import { createTestTables, REPO_ROOT } from '@tasktracker/local/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { titleFor, type WorkerAnswer } from '../support/crash-worker.ts';
import { readPartition } from '../support/fault-tables.ts';

const endpoint = inject('dynamoEndpoint');
if (!endpoint) console.warn('[reliability] crash suite skipped: DynamoDB Local is not available');

const KEYS = Array.from({ length: 200 }, (_, n) => `crash-key-${String(n).padStart(3, '0')}`);
const KILLS = 6;
const USER = 'crash-user';
const WORKER = fileURLToPath(new URL('../support/crash-worker.ts', import.meta.url));

/** Seeded, so the kill points are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

interface Run {
  answers: WorkerAnswer[];
  killed: boolean;
  exitCode: number | null;
  stderr: string;
}

/**
 * Runs the worker over `keys`; with `killAfter`, SIGKILLs it as soon as it has answered that many keys
 * (its other writes are then in flight: some landed, some not, none answered).
 */
function runWorker(tables: TableNames, keys: string[], killAfter: number | undefined): Promise<Run> {
  const child = spawn(process.execPath, ['--conditions=@tasktracker/source', '--import', 'tsx', WORKER], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CRASH_WORKER: JSON.stringify({ endpoint, tables, userId: USER, keys, concurrency: 8 }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { answers: [], killed: false, exitCode: null, stderr: '' };
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (run.killed) return; // Lines after the kill order: the parent of a real crash never saw them.
      run.answers.push(JSON.parse(line) as WorkerAnswer);
      if (killAfter !== undefined && run.answers.length >= killAfter) {
        run.killed = child.kill('SIGKILL');
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      run.exitCode = code;
      resolve(run);
    }),
  );
}

describe.skipIf(!endpoint)('idempotent creates in a process killed again and again', () => {
  let client: DynamoDBClient;
  let tables: TableNames;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ client, tables, drop } = await createTestTables(endpoint));
  });
  afterAll(async () => {
    await drop?.();
  });

  it('ends with exactly one task per key, and every retry answers with the same task', async () => {
    const random = seededRandom(20_261_130);
    const firstAnswers = new Map<string, WorkerAnswer>();
    let kills = 0;
    let remaining = KEYS;
    // Each run starts at the first key not yet answered, as a client retrying unanswered work would.
    while (kills < KILLS && remaining.length > 40) {
      const killAfter = 5 + Math.floor(random() * 30);
      const run = await runWorker(tables, remaining, killAfter);
      expect(run.stderr).toBe('');
      expect(run.killed).toBe(true);
      kills++;
      for (const answer of run.answers)
        if (!firstAnswers.has(answer.key)) firstAnswers.set(answer.key, answer);
      remaining = KEYS.filter((key) => !firstAnswers.has(key));
    }

    // Then every key is retried to completion, answered or not.
    const final = await runWorker(tables, KEYS, undefined);
    expect(final.stderr).toBe('');
    expect(final.exitCode).toBe(0);
    const finalAnswers = new Map(final.answers.map((answer) => [answer.key, answer]));
    expect([...finalAnswers.keys()].sort()).toEqual(KEYS);

    // A key answered before the kill is answered again with the very same task.
    for (const [key, first] of firstAnswers) {
      expect(finalAnswers.get(key)?.replayed, key).toBe(true);
      expect(finalAnswers.get(key)?.task, key).toEqual(first.task);
    }
    // A key whose write landed but whose answer died with the process is replayed, not created again.
    const landedUnanswered = final.answers.filter(
      (answer) => answer.replayed && !firstAnswers.has(answer.key),
    ).length;

    // The table: exactly one task per key, and it is the task the retries answer with.
    const tasks = await readPartition(client, tables.tasks, USER);
    const perKey = new Map<string, Record<string, unknown>[]>();
    for (const task of tasks) {
      const key = String(task.title).replace(titleFor(''), '');
      perKey.set(key, [...(perKey.get(key) ?? []), task]);
    }
    expect([...perKey.keys()].sort()).toEqual(KEYS);
    expect([...perKey].filter(([, found]) => found.length !== 1).map(([key]) => key)).toEqual([]);
    for (const key of KEYS) expect(perKey.get(key)?.[0]?.taskId).toBe(finalAnswers.get(key)?.taskId);

    console.log(
      `[reliability] crash: ${KEYS.length} keys, ${kills} SIGKILLs, ${firstAnswers.size} keys answered before a kill, ` +
        `${landedUnanswered} written but unanswered when killed (replayed on retry), ` +
        `${final.answers.filter((answer) => !answer.replayed).length} created by the final retry run, ` +
        `${tasks.length} tasks in the table`,
    );
  }, 80_000);
});
