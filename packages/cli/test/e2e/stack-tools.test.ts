import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { scratchProject } from '../../../deploy/test/support/project.ts';
import { motoServer, useMoto } from '../../../handlers/test/support/moto.ts';
import { useCli } from './harness.ts';

/** tt logs and tt validate against moto server, through the real binary. */
const moto = useMoto();
const cli = useCli();
const env = { AWS_REGION: 'us-east-1' };
const target = () => ['--target', moto.endpoint];

describe('tt validate', () => {
  it('runs our template checks without a target, and says ValidateTemplate was skipped', async () => {
    const result = await cli.run(['validate', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({
      ok: true,
      problems: [],
      cloudformation: { checked: false },
    });
  });

  it.skipIf(!motoServer)(
    "asks CloudFormation's ValidateTemplate too, uploading the template (it is over 51,200 bytes)",
    async () => {
      const result = await cli.run(
        ['validate', ...target(), '--artifact-bucket', 'validate-artifacts', '--json'],
        env,
        {
          timeoutMs: 120_000,
        },
      );
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.json()).toMatchObject({ ok: true, cloudformation: { checked: true } });
    },
    120_000,
  );
});

describe('tt validate of a template that fails', () => {
  const drifted = scratchProject({
    editTemplate: (template) => template.replace('IndexName: byPriority', 'IndexName: byPriorityOld'),
  });
  const unknownType = scratchProject({
    editTemplate: (template) =>
      template.replace('Resources:\n', 'Resources:\n  Nothing:\n    Type: AWS::Nope::Thing\n'),
  });

  it('says what our checks found: TEMPLATE_INVALID, exit 8, the report on stdout', async () => {
    const result = await cli.run(['validate', '--json'], env, { cwd: drifted.root });
    expect(result.code).toBe(8);
    expect(result.json()).toMatchObject({
      ok: false,
      code: 'TEMPLATE_INVALID',
      problems: [{ check: 'tables', message: 'TasksTable: GlobalSecondaryIndexes differ from core' }],
    });
  });

  it.skipIf(!motoServer)(
    "says what CloudFormation's ValidateTemplate found",
    async () => {
      const result = await cli.run(
        ['validate', ...target(), '--artifact-bucket', 'validate-artifacts', '--json'],
        env,
        { cwd: unknownType.root, timeoutMs: 120_000 },
      );
      expect(result.code, result.stdout + result.stderr).toBe(8);
      const report = result.json<{ code: string; problems: unknown[]; cloudformation: { error?: string } }>();
      expect(report.code).toBe('TEMPLATE_INVALID');
      expect(report.problems).toEqual([]);
      expect(report.cloudformation.error).toContain('AWS::Nope::Thing');
    },
    120_000,
  );
});

describe.skipIf(!motoServer)('tt logs', () => {
  it('pretty-prints our pino JSON lines with level and correlation id, runtime lines as they are', async () => {
    const logs = new CloudWatchLogsClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const logGroupName = '/aws/lambda/tasktracker-dev-tasks-create';
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 's1' }));
    const now = Date.now();
    const lines = [
      'START RequestId: 1f0c Version: $LATEST',
      JSON.stringify({
        level: 30,
        time: now,
        correlationId: 'corr-42',
        msg: 'request',
        method: 'POST',
        path: '/tasks',
      }),
      JSON.stringify({
        level: 50,
        time: now,
        correlationId: 'corr-42',
        msg: 'request failed',
        code: 'INTERNAL',
      }),
      JSON.stringify({ _aws: { Timestamp: now, CloudWatchMetrics: [] }, Requests: 1 }),
    ];
    await logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: 's1',
        logEvents: lines.map((message, index) => ({ timestamp: now - 1000 + index, message })),
      }),
    );
    const result = await cli.run(['logs', 'tasks-create', ...target(), '--since', '5m'], env);
    expect(result.code, result.stderr).toBe(0);
    const printed = result.stdout.trim().split('\n');
    expect(printed).toHaveLength(3); // the metrics line only with --metrics
    expect(printed[0]).toMatch(/RUNTIME\s+START RequestId: 1f0c/);
    expect(printed[1]).toMatch(/INFO\s+\[corr-42\] request \{"method":"POST","path":"\/tasks"\}/);
    expect(printed[2]).toMatch(/ERROR\s+\[corr-42\] request failed/);

    const json = await cli.run(['logs', 'tasks-create', ...target(), '--metrics', '--json'], env);
    expect(
      json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).level),
    ).toEqual(['runtime', 'info', 'error', 'metrics']);

    const unknown = await cli.run(['logs', 'nope', ...target()], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown function "nope"');
    const badSince = await cli.run(['logs', 'tasks-list', ...target(), '--since', 'yesterday'], env);
    expect(badSince.code).toBe(2);
    const noGroup = await cli.run(['logs', 'tasks-list', ...target()], env);
    expect(noGroup.code).toBe(3);
    logs.destroy();
  }, 60_000);
});
