import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { AwsClients } from '@tasktracker/deploy';
import { afterAll, describe, expect, it } from 'vitest';
import { deployUnderAnotherName } from '../../../deploy/test/support/other-name.ts';
import { scratchProject } from '../../../deploy/test/support/project.ts';
import { motoServer, useMoto } from '../../../handlers/test/support/moto.ts';
import { useCli } from './harness.ts';

/**
 * tt deploy's refusals and --stack, through the real binary against moto on 127.0.0.1: a stage the
 * template does not allow, a stack that is not there, and a stage deployed under another name (as
 * aws cloudformation deploy does it) reached with tt info, tt logs and tt destroy --stack.
 */
const moto = useMoto();
const cli = useCli();
const env = { AWS_REGION: 'us-east-1' };
const target = () => ['--target', moto.endpoint];
const config = () => ({
  endpoint: moto.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
// Built in a checkout of its own: no other test file shares its build directory.
const project = scratchProject();
const clients: { destroy(): void }[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
});
interface ErrorDocument {
  error: { code: string; message: string };
}

describe('tt deploy --stage', () => {
  it('refuses a stage the template does not allow before any AWS call, naming the allowed ones', async () => {
    // Nothing listens on port 1: any AWS call would end in SERVICE_UNAVAILABLE (exit 6).
    const result = await cli.run(
      ['deploy', '--stage', 'qa', '--target', 'http://127.0.0.1:1', '--json'],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.json<ErrorDocument>().error).toEqual({
      code: 'VALIDATION_ERROR',
      message: '--stage must be one of dev, staging, prod, not "qa"',
      details: [{ path: ['stage'], message: 'must be one of dev, staging, prod' }],
    });
  });
});

describe.skipIf(!motoServer)('stacks under other names', () => {
  it('tt info of a stage with no stack: STACK_NOT_FOUND, exit 3', async () => {
    const result = await cli.run(['info', ...target(), '--stage', 'staging', '--json'], env);
    expect(result.code).toBe(3);
    expect(result.json<ErrorDocument>().error.code).toBe('STACK_NOT_FOUND');
    expect(result.json<ErrorDocument>().error.message).toContain('no stack tasktracker-staging');
  });

  it('tt deploy names the stack that owns its tables; info, logs and destroy reach it with --stack', async () => {
    const aws = new AwsClients(config());
    clients.push(aws);
    await deployUnderAnotherName(aws, {
      project,
      endpoint: moto.endpoint,
      bucket: 'tasktracker-artifacts-123456789012-us-east-1',
      stackName: 'by-hand',
      stage: 'staging',
    });

    const refused = await cli.run(['deploy', ...target(), '--stage', 'staging', '--json'], env, {
      timeoutMs: 120_000,
    });
    expect(refused.code).toBe(4);
    const error = refused.json<ErrorDocument>().error;
    expect(error.code).toBe('STACK_CONFLICT');
    expect(error.message).toMatch(
      /^cannot create tasktracker-staging: tasktracker-staging-tasks, .* belong to stack by-hand/,
    );

    const info = await cli.run(['info', ...target(), '--stack', 'by-hand', '--json'], env);
    expect(info.code, info.stderr).toBe(0);
    expect(info.json()).toMatchObject({
      stackName: 'by-hand',
      status: 'CREATE_COMPLETE',
      tables: { tasks: 'tasktracker-staging-tasks' },
    });

    // The stack made the function's log group; one line in it, read through --stack.
    const logs = new CloudWatchLogsClient(config());
    clients.push(logs);
    const logGroupName = '/aws/lambda/tasktracker-staging-tasks-create';
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 's' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: 's',
        logEvents: [{ timestamp: Date.now(), message: JSON.stringify({ level: 30, msg: 'by hand' }) }],
      }),
    );
    const read = await cli.run(['logs', 'tasks-create', ...target(), '--stack', 'by-hand'], env);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toMatch(/INFO\s+by hand/);
    const wrong = await cli.run(['logs', 'tasks-create', ...target(), '--stack', 'no-such-stack'], env);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('error STACK_NOT_FOUND: no stack no-such-stack');

    const destroyed = await cli.run(['destroy', ...target(), '--stack', 'by-hand', '--json'], env, {
      timeoutMs: 120_000,
    });
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.json()).toMatchObject({ result: 'destroyed', stackName: 'by-hand' });
    const after = await cli.run(['info', ...target(), '--stack', 'by-hand', '--json'], env);
    expect(after.code).toBe(3);
    expect(after.json<ErrorDocument>().error.code).toBe('STACK_NOT_FOUND');
  }, 240_000);
});
