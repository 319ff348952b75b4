import { TaskTrackerError } from '@tasktracker/core';
import { describe, expect, it } from 'vitest';
import { deployStack } from '../../src/index.ts';
import { awsError, failure, fakeAws, options } from '../support/fake-aws.ts';

/**
 * The deploy flow against the shapes only AWS produces (moto has no rollbacks and no per-resource
 * events): the calls are answered by the test, the packaging and the decisions are real.
 */
const STACK = 'tasktracker-dev';
const STACK_ID = `arn:aws:cloudformation:us-east-1:1:stack/${STACK}/1`;
const stackIn = (StackStatus: string) => ({ Stacks: [{ StackName: STACK, StackId: STACK_ID, StackStatus }] });
const missing = () => awsError('ValidationError', `Stack with id ${STACK} does not exist`);

/** None of the stage's tables exists yet: a create may claim their names. */
const noTables = () => awsError('ResourceNotFoundException', 'Requested resource not found', 400);

const storage = {
  HeadBucket: () => ({}),
  HeadObject: () => ({}),
  GetObject: () => awsError('NoSuchKey', 'no record', 404),
  PutObject: () => ({}),
  ListObjectsV2: () => ({ Contents: [] }),
};

describe('deployStack against AWS-only shapes', () => {
  it('refuses a stack in UPDATE_ROLLBACK_FAILED with the command that unsticks it, creating nothing', async () => {
    const { clients, calls } = fakeAws({ DescribeStacks: () => stackIn('UPDATE_ROLLBACK_FAILED') });
    const error = await failure(deployStack(clients, options().opts));
    expect(error.code).toBe('DEPLOY_FAILED');
    expect(error.message).toContain(`aws cloudformation continue-update-rollback --stack-name ${STACK}`);
    expect(calls.map((call) => call.operation)).toEqual(['DescribeStacks']);
  }, 60_000);

  it('refuses while another operation runs on the stack (STACK_BUSY, exit code 4)', async () => {
    const { clients } = fakeAws({ DescribeStacks: () => stackIn('UPDATE_IN_PROGRESS') });
    const error = await failure(deployStack(clients, options().opts));
    expect(error.code).toBe('STACK_BUSY');
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/UPDATE_IN_PROGRESS.*Wait for it to finish/);
  }, 60_000);

  it('a failed first create names the failing resource, then deletes the ROLLBACK_COMPLETE stack', async () => {
    let status = 'none';
    const events = [
      {
        EventId: '4',
        Timestamp: new Date(4),
        LogicalResourceId: STACK,
        ResourceType: 'AWS::CloudFormation::Stack',
        ResourceStatus: 'ROLLBACK_COMPLETE',
      },
      {
        EventId: '3',
        Timestamp: new Date(3),
        LogicalResourceId: 'TasksListFunction',
        ResourceType: 'AWS::Lambda::Function',
        ResourceStatus: 'CREATE_FAILED',
        ResourceStatusReason: 'Resource creation cancelled',
      },
      {
        EventId: '2',
        Timestamp: new Date(2),
        LogicalResourceId: 'TasksTable',
        ResourceType: 'AWS::DynamoDB::Table',
        ResourceStatus: 'CREATE_FAILED',
        ResourceStatusReason: 'Table already exists: tasktracker-dev-tasks',
      },
      {
        EventId: '1',
        Timestamp: new Date(1),
        LogicalResourceId: STACK,
        ResourceType: 'AWS::CloudFormation::Stack',
        ResourceStatus: 'CREATE_IN_PROGRESS',
      },
    ];
    const { clients, calls } = fakeAws({
      ...storage,
      DescribeStacks: () => (status === 'none' || status === 'deleted' ? missing() : stackIn(status)),
      DescribeTable: noTables,
      CreateChangeSet: () => {
        status = 'REVIEW_IN_PROGRESS';
        return { Id: 'cs-1' };
      },
      DescribeChangeSet: () => ({
        Status: 'CREATE_COMPLETE',
        Changes: [
          {
            ResourceChange: {
              Action: 'Add',
              LogicalResourceId: 'TasksTable',
              ResourceType: 'AWS::DynamoDB::Table',
            },
          },
        ],
      }),
      ExecuteChangeSet: () => {
        status = 'ROLLBACK_COMPLETE';
        return {};
      },
      DescribeStackEvents: () =>
        status === 'ROLLBACK_COMPLETE' ? { StackEvents: events } : { StackEvents: [] },
      DeleteStack: () => {
        status = 'deleted';
        return {};
      },
    });
    const { opts, said } = options();
    const error = await failure(deployStack(clients, opts));
    expect(error.code).toBe('DEPLOY_FAILED');
    expect(error.message).toContain('TasksTable (AWS::DynamoDB::Table) CREATE_FAILED: Table already exists');
    expect(error.message).toContain('the failed stack was deleted');
    expect(error.details).toMatchObject({ status: 'ROLLBACK_COMPLETE', failedResource: 'TasksTable' });
    expect(said.some((line) => line.includes('deleting it so the next deploy can create it'))).toBe(true);
    expect(calls.map((call) => call.operation)).toContain('DeleteStack');
    // Nothing is recorded for a failed deploy: the next one is never mistaken for a no-op.
    expect(
      calls.filter(
        (call) => call.operation === 'PutObject' && String(call.input.Key).startsWith('deployments/'),
      ),
    ).toEqual([]);
  }, 60_000);

  it('asks before replacing a table or the API key (whose id is the user id); a "no" deletes the change set and executes nothing', async () => {
    const { clients, calls } = fakeAws({
      ...storage,
      DescribeStacks: () => stackIn('UPDATE_COMPLETE'),
      CreateChangeSet: () => ({ Id: 'cs-2' }),
      DescribeChangeSet: () => ({
        Status: 'CREATE_COMPLETE',
        Changes: [
          {
            ResourceChange: {
              Action: 'Modify',
              LogicalResourceId: 'TasksTable',
              ResourceType: 'AWS::DynamoDB::Table',
              Replacement: 'True',
            },
          },
          {
            ResourceChange: {
              Action: 'Modify',
              LogicalResourceId: 'TasksListFunction',
              ResourceType: 'AWS::Lambda::Function',
              Replacement: 'False',
            },
          },
          {
            ResourceChange: {
              Action: 'Modify',
              LogicalResourceId: 'ApiKey',
              ResourceType: 'AWS::ApiGateway::ApiKey',
              Replacement: 'True',
            },
          },
        ],
      }),
      DeleteChangeSet: () => ({}),
    });
    const { opts, asked } = options();
    const outcome = await deployStack(clients, opts);
    expect(outcome.result).toBe('cancelled');
    expect(asked).toEqual([
      `Deploy ${STACK}? TasksTable (AWS::DynamoDB::Table) will be replaced; ApiKey (AWS::ApiGateway::ApiKey) will be replaced: its callers get a new user id and no longer see their tasks.`,
    ]);
    const operations = calls.map((call) => call.operation);
    expect(operations).toContain('DeleteChangeSet');
    expect(operations).not.toContain('ExecuteChangeSet');
  }, 60_000);

  it('always asks in prod', async () => {
    const { clients, calls } = fakeAws({
      ...storage,
      DescribeStacks: () => ({
        Stacks: [{ StackName: 'tasktracker-prod', StackId: 'p', StackStatus: 'UPDATE_COMPLETE' }],
      }),
      CreateChangeSet: () => ({ Id: 'cs-3' }),
      DescribeChangeSet: () => ({
        Status: 'CREATE_COMPLETE',
        Changes: [
          {
            ResourceChange: {
              Action: 'Modify',
              LogicalResourceId: 'HealthFunction',
              ResourceType: 'AWS::Lambda::Function',
              Replacement: 'False',
            },
          },
        ],
      }),
      DeleteChangeSet: () => ({}),
    });
    const { opts, asked } = options({ stage: 'prod' });
    expect((await deployStack(clients, opts)).result).toBe('cancelled');
    expect(asked).toEqual(['Deploy tasktracker-prod? this is prod.']);

    // Without a terminal the CLI's confirm refuses: the change set must still be cleaned up.
    const refusing = options({
      stage: 'prod',
      confirm: async () => {
        throw new TaskTrackerError('VALIDATION_ERROR', 'Refusing without --yes when not on a terminal');
      },
    });
    const before = calls.length;
    expect((await failure(deployStack(clients, refusing.opts))).code).toBe('VALIDATION_ERROR');
    expect(calls.slice(before).map((call) => call.operation)).toContain('DeleteChangeSet');
  }, 60_000);

  it('an update AWS finds empty is "no changes": the FAILED change set is deleted, the deploy recorded', async () => {
    const { clients, calls } = fakeAws({
      ...storage,
      DescribeStacks: () => stackIn('UPDATE_COMPLETE'),
      CreateChangeSet: () => ({ Id: 'cs-4' }),
      ListStackResources: () => ({ StackResourceSummaries: [] }),
      DescribeChangeSet: () => ({
        Status: 'FAILED',
        StatusReason:
          "The submitted information didn't contain changes. Submit different information to create a change set.",
      }),
      DeleteChangeSet: () => ({}),
    });
    const outcome = await deployStack(clients, options().opts);
    expect(outcome.result).toBe('no-changes');
    const operations = calls.map((call) => call.operation);
    expect(operations).toContain('DeleteChangeSet');
    expect(
      calls.some(
        (call) => call.operation === 'PutObject' && call.input.Key === `deployments/${STACK}/current.json`,
      ),
    ).toBe(true);
  }, 60_000);
});
