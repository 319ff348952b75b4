import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  InvokeCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { zipFiles } from '@tasktracker/deploy';
import { findMinistack, type Ministack, startMinistack } from '@tasktracker/local/testing';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * localstack/e2e.sh for real, against ministack (PyPI, pinned in tools/python-requirements.txt): the
 * deployed stack, its Lambdas run by the `node` running this test, API Gateway with the stack's API key,
 * S3 notifications, the dead-letter queue, and tt reading it all back. What ministack does differently
 * from AWS, and what the launcher adds to it, is in localstack/ministack.md.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** In CI a ministack that cannot be installed or started fails the run; elsewhere the suite says why it skips. */
async function ministackOrReason(): Promise<Ministack | string> {
  const python = await findMinistack();
  if (!python) return 'ministack is not installed (the reason is printed above)';
  try {
    return await startMinistack(python);
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    return `ministack did not start: ${(error as Error).message.split('\n')[0]}`;
  }
}

const started = await ministackOrReason();
const ministack = typeof started === 'string' ? undefined : started;
if (typeof started === 'string') console.log(`ministack e2e skipped: ${started}`);
afterAll(() => ministack?.stop());

function runE2e(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      '/bin/bash',
      [path.join(ROOT, 'localstack', 'e2e.sh')],
      { env: { ...process.env, NO_COLOR: '1', ...env }, cwd: ROOT, timeout: 280_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** One alarm on metric math, as the template's table throttle alarms are. */
const METRIC_MATH_ALARM = JSON.stringify({
  Resources: {
    Throttles: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Metrics: [
          {
            Id: 'reads',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'ReadThrottleEvents' },
              Period: 300,
              Stat: 'Sum',
            },
          },
          { Id: 'throttles', Expression: 'reads * 2', ReturnData: true },
        ],
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
  },
});

describe.skipIf(!ministack)('localstack/e2e.sh against ministack', () => {
  it("lacks what tt works around: metric-math alarms, ids on a function's log events, the name cloudwatch", async () => {
    // Asserted as ministack's, so that the day one is fixed, the workaround shows up here to be removed.
    const config = {
      endpoint: ministack!.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    // tt deploy knows ministack by this answer (LocalStack has no such path).
    const health = (await (await fetch(`${ministack!.endpoint}/_ministack/health`)).json()) as {
      services: Record<string, string>;
    };
    expect(health.services.monitoring).toBe('available');
    expect(health.services.cloudwatch).toBeUndefined();

    // Hence TableThrottleAlarms=false on ministack.
    const cfn = new CloudFormationClient(config);
    await cfn.send(new CreateStackCommand({ StackName: 'metric-math', TemplateBody: METRIC_MATH_ALARM }));
    let status = '';
    for (let tries = 0; tries < 50 && !/_COMPLETE$|_FAILED$/.test(status); tries += 1) {
      const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'metric-math' }));
      status = Stacks?.[0]?.StackStatus ?? '';
      if (!/_COMPLETE$|_FAILED$/.test(status)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe('ROLLBACK_COMPLETE');
    const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: 'metric-math' }));
    expect(StackEvents.map((event) => event.ResourceStatusReason ?? '').join('\n')).toContain('metric math');
    await cfn.send(new DeleteStackCommand({ StackName: 'metric-math' }));
    cfn.destroy();

    // Hence tt logs tells events apart by stream, time and text: what a function logs has no event id.
    const lambda = new LambdaClient(config);
    const code = "export const handler = async () => { console.log('one'); console.log('two'); return 1; };";
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'ministack-gaps',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/ministack-gaps',
        Code: { ZipFile: zipFiles([{ name: 'index.mjs', data: Buffer.from(code) }]) },
      }),
    );
    const started = Date.now() - 1000;
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'ministack-gaps' }));
    expect(invoked.FunctionError).toBeUndefined();
    const logs = new CloudWatchLogsClient(config);
    const { events = [] } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/ministack-gaps', startTime: started }),
    );
    const written = events.filter((event) => /\b(one|two)\b/.test(event.message ?? ''));
    expect(written).toHaveLength(2);
    expect(written.map((event) => event.eventId)).toEqual([undefined, undefined]);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'ministack-gaps' }));
    for (const client of [lambda, logs]) client.destroy();
  }, 60_000);

  it('deploys, passes every check through API Gateway, S3 and tt, destroys and leaves nothing', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'tt-ministack-e2e-'));
    try {
      const result = await runE2e({
        LOCALSTACK_ENDPOINT: ministack!.endpoint,
        // tt's own settings and data stay out of the user's (and another test's) directories.
        TASKTRACKER_DATA_DIR: home,
        XDG_CONFIG_HOME: home,
      });
      const report = `${result.stdout}\n${result.stderr}\n--- ministack log ---\n${await ministack!.logTail()}`;
      expect(result.code, report).toBe(0);
      expect(result.stdout).toContain(`checks passed against ministack ${ministack!.version}`);
      // Every step of the script, each line a check it made; every check of lib/routes.mjs ran.
      const routeChecks =
        (await readFile(path.join(ROOT, 'localstack', 'lib', 'routes.mjs'), 'utf8')).split('await check(')
          .length - 1;
      for (const step of [
        'healthy: ministack',
        'deployed: API',
        // The key's value from its secret (the template's ApiKeySecret), through tt info --show-api-key.
        'API key value read from its secret',
        `${routeChecks} route checks`,
        'S3 notification → InvocationLog: 40 rows imported, 2 rejected',
        'nothing imported twice (40 duplicates)',
        'a malformed file fails its own record only',
        'lands in the dead-letter queue',
        'GET /tasks/export: a presigned link',
        // The export function's asynchronous invocation of itself (InvocationType Event) ran the job.
        'export job: 202, then GET /exports/{id} succeeded with 40 rows',
        'tt export:',
        'tt tasks list: the 40 imported tasks',
        'tt logs imports-process',
        'destroyed tasktracker-staging: of its',
        'none is left',
      ])
        expect(result.stdout, report).toContain(step);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 300_000);

  it('stops ministack and with it every Lambda process it started', async () => {
    // The run above started one worker process per function it called.
    expect(ministack!.processes().length).toBeGreaterThan(1);
    await ministack!.stop();
    expect(ministack!.processes()).toEqual([]);
  }, 30_000);
});
