import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { isTaskTrackerError, type TaskTrackerError } from '@tasktracker/core';
import { afterAll, describe, expect, it } from 'vitest';
import { motoServer, useMoto } from '../../../handlers/test/support/moto.ts';
import {
  AwsClients,
  type DeployOptions,
  deployStack,
  describeStack,
  destroyStack,
  logFunctionName,
  stackInfo,
} from '../../src/index.ts';
import { deployUnderAnotherName } from '../support/other-name.ts';
import { scratchProject } from '../support/project.ts';

/**
 * The deploy flow against moto server on 127.0.0.1 (the address moto once failed TemplateURLs for):
 * stacks under other names, a failed change set's own reason, and no deploy record for a failed deploy.
 * moto's gaps met here: it ignores DescribeStackResources' PhysicalResourceId (owners are found by
 * listing the stacks), fails a change set inside ExecuteChangeSet with a body the SDK cannot parse,
 * and calls a stack whose create failed half-way CREATE_COMPLETE.
 */
const moto = useMoto();
const BUCKET = 'tasktracker-artifacts-123456789012-us-east-1';
// A checkout of its own: its build directory is not shared with test files running beside this one.
const checkout = scratchProject();
const clientsList: AwsClients[] = [];
afterAll(() => {
  for (const clients of clientsList) clients.destroy();
});
function aws() {
  const clients = new AwsClients({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  clientsList.push(clients);
  return clients;
}
const said: string[] = [];
const deploy = (clients: AwsClients, options: Partial<DeployOptions> & { stage: string }) =>
  deployStack(clients, {
    project: checkout,
    endpoint: moto.endpoint,
    confirm: async () => true,
    pollMs: 50,
    reporter: { step: (line) => said.push(line), changes: () => {}, event: () => {}, progress: () => {} },
    ...options,
  });
async function failure(promise: Promise<unknown>): Promise<TaskTrackerError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isTaskTrackerError(error)) throw new Error(`expected a TaskTrackerError, got ${String(error)}`);
  return error;
}
const records = async (clients: AwsClients, stackName: string) =>
  (await clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `deployments/${stackName}/` })))
    .Contents ?? [];

describe.skipIf(!motoServer)('tt deploy against moto server at 127.0.0.1', () => {
  it('a stage deployed under another name: refused before any change set, then reached with --stack', async () => {
    const clients = aws();
    await deployUnderAnotherName(clients, {
      project: checkout,
      endpoint: moto.endpoint,
      bucket: BUCKET,
      stackName: 'tasks-by-hand',
      stage: 'staging',
    });

    const before = clients.calls.toJSON().byOperation;
    const error = await failure(deploy(clients, { stage: 'staging' }));
    expect(error.code).toBe('STACK_CONFLICT');
    expect(error.message).toContain('tasktracker-staging-tasks, tasktracker-staging-categories');
    expect(error.message).toContain('belong to stack tasks-by-hand');
    const after = clients.calls.toJSON().byOperation;
    expect(after['CloudFormation:CreateChangeSet']).toBe(before['CloudFormation:CreateChangeSet']);
    expect(after['CloudFormation:ListStacks']).toBe(1);
    expect(await describeStack(clients, 'tasktracker-staging')).toBeUndefined();

    const info = await stackInfo(clients, 'staging', 'tasks-by-hand');
    expect(info).toMatchObject({ stackName: 'tasks-by-hand', status: 'CREATE_COMPLETE' });
    expect(info.tables.tasks).toBe('tasktracker-staging-tasks');
    // The stack's own stage (its Stage parameter) names its functions, whatever --stage says.
    expect(
      await logFunctionName(clients, { stage: 'dev', stackName: 'tasks-by-hand', name: 'tasks-create' }),
    ).toBe('tasktracker-staging-tasks-create');
    expect(
      await destroyStack(clients, { stage: 'dev', stackName: 'tasks-by-hand', pollMs: 50 }),
    ).toMatchObject({ result: 'destroyed', stackName: 'tasks-by-hand' });
    const gone = await failure(stackInfo(clients, 'staging', 'tasks-by-hand'));
    expect([gone.code, gone.exitCode]).toEqual(['STACK_NOT_FOUND', 3]);

    // The names are free again: the stage deploys under its own name.
    expect((await deploy(clients, { stage: 'staging' })).result).toBe('deployed');
  }, 240_000);

  it('a table kept outside any stack is named as such, before any change set', async () => {
    const clients = aws();
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: 'tasktracker-prod-categories',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      }),
    );
    const error = await failure(deploy(clients, { stage: 'prod' }));
    expect(error.code).toBe('STACK_CONFLICT');
    expect(error.message).toContain('tasktracker-prod-categories exist in no stack');
    expect(clients.calls.byOperation.get('CloudFormation:CreateChangeSet')).toBeUndefined();
  }, 120_000);

  it("a failed change set shows the endpoint's own reason, is cleaned up, and records nothing", async () => {
    const clients = aws();
    // Two tables of one name: the create fails inside moto's ExecuteChangeSet, answered as DynamoDB
    // JSON where CloudFormation speaks XML (the SDK's "XML parse error").
    const twin = (id: string) => `  ${id}:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub tasktracker-\${Stage}-twin
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
`;
    const broken = scratchProject({
      editTemplate: (template) =>
        template.replace('Resources:\n', `Resources:\n${twin('TwinA')}${twin('TwinB')}`),
    });
    const error = await failure(deploy(clients, { stage: 'dev', project: broken }));
    expect(error.code).toBe('DEPLOY_FAILED');
    expect(error.message).toContain('ResourceInUseException: Table already exists: tasktracker-dev-twin');
    expect(error.message).not.toMatch(/parse error/i);
    expect(error.message).toContain('tasktracker-dev was deleted');
    expect(await describeStack(clients, 'tasktracker-dev')).toBeUndefined();
    expect(await records(clients, 'tasktracker-dev')).toEqual([]);

    // Nothing left behind that makes the next deploy a no-op or a conflict.
    const next = await deploy(clients, { stage: 'dev' });
    expect(next.result).toBe('deployed');
    expect(next.summary?.status).toBe('CREATE_COMPLETE');
    expect((await records(clients, 'tasktracker-dev')).length).toBeGreaterThan(0);
  }, 240_000);

  it('a deploy that fails after moto calls the stack complete leaves no record: the next one is no no-op', async () => {
    const clients = aws();
    // A stage the template allows but its StageConfig mapping lacks: moto fails the create half-way
    // (HTTP 500 inside ExecuteChangeSet, then on every ListStackResources) yet says CREATE_COMPLETE.
    const unmapped = scratchProject({
      editTemplate: (template) =>
        template.replace('AllowedValues: [dev, staging, prod]', 'AllowedValues: [dev, staging, prod, qa]'),
    });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const error = await failure(deploy(clients, { stage: 'qa', project: unmapped }));
      expect(error.code, `attempt ${attempt}`).toBe('DEPLOY_FAILED');
      expect(error.message).toMatch(/HTTP 500/);
      expect(await records(clients, 'tasktracker-qa')).toEqual([]);
    }
  }, 240_000);
});
