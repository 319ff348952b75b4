import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestTables } from '@tasktracker/local/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { noEngine, useCli } from './harness.ts';

describe.skipIf(noEngine)('targets and configuration', () => {
  const cli = useCli();
  let tables: { tasks: string; categories: string; idempotency: string };
  let drop: () => Promise<void> = async () => {};
  const endpoint = inject('dynamoEndpoint');

  beforeAll(async () => {
    if (noEngine) return;
    const created = await createTestTables(endpoint);
    tables = created.tables;
    drop = created.drop;
  });
  afterAll(() => drop());

  const tableEnv = () => ({
    TASKS_TABLE: tables.tasks,
    CATEGORIES_TABLE: tables.categories,
    IDEMPOTENCY_TABLE: tables.idempotency,
  });

  it('talks to any endpoint URL given as --target, with table names from the environment', async () => {
    const added = await cli.run(
      ['--target', endpoint, '--user', 'remote', 'tasks', 'add', 'Over the wire', '--json'],
      tableEnv(),
    );
    expect(added.code).toBe(0);
    expect(added.stderr).not.toContain('started the local engine');
    const listed = await cli.run(['tasks', 'list', '--json', '--user', 'remote'], {
      ...tableEnv(),
      AWS_ENDPOINT_URL: endpoint,
    });
    expect(listed.json<{ items: { title: string }[] }>().items.map((task) => task.title)).toEqual([
      'Over the wire',
    ]);
  });

  it('requires --user away from the local target', async () => {
    const result = await cli.run(['--target', endpoint, 'tasks', 'list'], tableEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--user is required');
  });

  it('reads defaults from tasktracker.config.json; env wins over the file, flags over env', async () => {
    await writeFile(
      path.join(cli.dataDir(), 'tasktracker.config.json'),
      JSON.stringify({ target: endpoint, user: 'from-file', tables }),
    );
    await cli.run(['tasks', 'add', 'Filed', '--json']);
    expect(
      (await cli.run(['tasks', 'list', '--json', '--user', 'from-file'])).json<{ items: unknown[] }>().items,
    ).toHaveLength(1);
    const fromEnv = await cli.run(['tasks', 'list', '--json'], { TASKTRACKER_USER: 'remote' });
    expect(fromEnv.json<{ items: { title: string }[] }>().items[0]?.title).toBe('Over the wire');
    const fromFlag = await cli.run(['tasks', 'list', '--json', '--user', 'nobody'], {
      TASKTRACKER_USER: 'remote',
    });
    expect(fromFlag.json<{ items: unknown[] }>().items).toHaveLength(0);
    await writeFile(path.join(cli.dataDir(), 'tasktracker.config.json'), '{"stage": "qa"}');
    const bad = await cli.run(['tasks', 'list']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/tasktracker\.config\.json: stage: /);
    await writeFile(path.join(cli.dataDir(), 'tasktracker.config.json'), '{}');
  });

  it('rejects an unknown target in one line', async () => {
    const result = await cli.run(['--target', 'mars', 'tasks', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error VALIDATION_ERROR: --target must be local, aws, localstack or an endpoint URL/,
    );
  });
});
