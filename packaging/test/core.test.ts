import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createTaskTracker, defaultTableNames, type TableNames } from '@tasktracker/core';
import { deleteTables, localDynamoClient } from '@tasktracker/local';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { exec } from '../support/published.ts';

/**
 * The library as npm installs it from its tarball into a user's project (with the SDK client the README
 * names): nothing here reads the workspace's sources.
 */
const project = inject('installedProject');
const endpoint = inject('dynamoEndpoint');
const node = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  exec(process.execPath, args, { cwd: project, env });

describe('@tasktracker/core, installed with npm', () => {
  it('imports in a plain .mjs, with ensureTables and the tracker among its exports', async () => {
    const script = path.join(project, 'imports.mjs');
    await writeFile(
      script,
      "const core = await import('@tasktracker/core');\nconsole.log(JSON.stringify(Object.keys(core).sort()));\n",
    );
    const result = await node([script]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(
      expect.arrayContaining(['createTaskTracker', 'ensureTables', 'TaskTrackerError', 'TaskSchema']),
    );
  });

  it('imports the HTTP client from its own entry point', async () => {
    const script = path.join(project, 'client.mjs');
    await writeFile(
      script,
      "const { createTaskTrackerClient } = await import('@tasktracker/core/client');\n" +
        "const client = createTaskTrackerClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });\n" +
        'console.log(Object.keys(client).sort().join(","));\n',
    );
    const result = await node([script]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('categories,exports,health,openapi,tasks');
  });

  it('type-checks a strict TypeScript consumer under moduleResolution nodenext', async () => {
    await writeFile(path.join(project, 'consumer.ts'), CONSUMER);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const result = await node([tsc, ...args, 'consumer.ts']);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });
});

describe.skipIf(!endpoint)('examples/quickstart.mjs from the installed package, on DynamoDB Local', () => {
  const prefix = `q${randomBytes(4).toString('hex')}-`;
  const tables = Object.fromEntries(
    Object.entries(defaultTableNames('dev')).map(([role, name]) => [role, `${prefix}${name}`]),
  ) as unknown as TableNames;
  afterAll(async () => {
    const client = localDynamoClient(endpoint);
    await deleteTables(client, tables).finally(() => client.destroy());
  });

  /** As a user runs it from their project, configured by the environment only. */
  const quickstart = () =>
    node([path.join(project, 'node_modules', '@tasktracker', 'core', 'examples', 'quickstart.mjs')], {
      PATH: process.env.PATH,
      HOME: project, // no ~/.aws of whoever runs the tests
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      TASKS_TABLE: tables.tasks,
      CATEGORIES_TABLE: tables.categories,
      IDEMPOTENCY_TABLE: tables.idempotency,
      INVOCATION_LOG_TABLE: tables.invocationLog,
    });

  it('creates the tables, then creates, lists, completes and exports tasks; a re-run creates nothing', async () => {
    const first = await quickstart();
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(`tables ready: ${Object.values(tables).join(', ')}\n`);
    expect(first.stdout).toContain('created "Buy milk" and "Call the plumber"\n');
    expect(first.stdout).toContain('completed "Buy milk": updated\n');
    expect(first.stdout).toMatch(/\nexport \(CSV\):\ntaskId,title,/);

    const client = localDynamoClient(endpoint);
    try {
      const { items } = await createTaskTracker({ client, tables }).tasks.list('alice');
      expect(items.map(({ title, completed }) => ({ title, completed }))).toEqual([
        { title: 'Call the plumber', completed: false },
        { title: 'Buy milk', completed: true },
      ]);
    } finally {
      client.destroy();
    }
    const again = await quickstart();
    expect(again.stdout).toContain('already created "Buy milk" and "Call the plumber"\n');
  });
});

/** A consumer that fails to compile if the types are missing, wrong, or have decayed to `any`. */
const CONSUMER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type CreateTaskInput,
  createTaskTracker,
  ensureTables,
  type Task,
  type TableNames,
  TaskTrackerError,
} from '@tasktracker/core';

const client = new DynamoDBClient({});
const tables: TableNames = await ensureTables(client, { tasks: 'my-tasks' });
const tracker = createTaskTracker({ client, tables });
const input: CreateTaskInput = { title: 'Buy milk', priority: 'high' };
const created: { result: Task; replayed: boolean } = await tracker.tasks.create('alice', input);
const title: string = created.result.title;
// @ts-expect-error priority is one of low, medium, high
const wrong: CreateTaskInput = { title: 'x', priority: 'urgent' };
// @ts-expect-error a task id is a string, not a number
const id: number = created.result.taskId;
const status: number = new TaskTrackerError('VALIDATION_ERROR').status;
console.log(title, wrong, id, status);
`;
