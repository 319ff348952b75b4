import { describe, expect, it } from 'vitest';
import { deployStack } from '../../src/index.ts';
import { awsError, failure, fakeAws, options } from '../support/fake-aws.ts';
import { scratchProject } from '../support/project.ts';

/**
 * What a deploy refuses, and how a failed change set reads, in the shapes only AWS produces: moto
 * ignores DescribeStackResources' PhysicalResourceId and never reports a FAILED change set with a reason
 * (it fails inside ExecuteChangeSet), so these answers come from the test. test/integration proves
 * the same refusals against moto.
 */
const STACK = 'tasktracker-staging';
const missing = () => awsError('ValidationError', `Stack with id ${STACK} does not exist`);
// The one test here that packages builds in a checkout of its own (no other test file shares its build).
const project = scratchProject();
const recordWrites = (calls: { operation: string; input: Record<string, unknown> }[]) =>
  calls.filter((call) => call.operation === 'PutObject' && String(call.input.Key).startsWith('deployments/'));

describe('deployStack refuses before any change set', () => {
  it('a stage the template does not allow: VALIDATION_ERROR naming the allowed ones, no AWS call', async () => {
    const { clients, calls } = fakeAws({});
    const error = await failure(deployStack(clients, options({ stage: 'qa' }).opts));
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('--stage must be one of dev, staging, prod, not "qa"');
    expect(calls).toEqual([]);
  });

  it('tables another stack owns: STACK_CONFLICT naming it, found by physical id in one call each', async () => {
    const { clients, calls } = fakeAws({
      DescribeStacks: missing,
      DescribeTable: (input) => ({ Table: { TableName: input.TableName, TableStatus: 'ACTIVE' } }),
      DescribeStackResources: (input) => ({
        StackResources: [
          {
            StackName: 'tasks-by-hand',
            PhysicalResourceId: input.PhysicalResourceId,
            ResourceType: 'AWS::DynamoDB::Table',
          },
        ],
      }),
    });
    const error = await failure(deployStack(clients, options({ stage: 'staging' }).opts));
    expect(error.code).toBe('STACK_CONFLICT');
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(
      'tasktracker-staging-tasks, tasktracker-staging-categories, tasktracker-staging-idempotency, tasktracker-staging-invocation-log belong to stack tasks-by-hand',
    );
    expect(error.message).toContain('tt info --stack tasks-by-hand');
    const operations = calls.map((call) => call.operation);
    expect(operations.filter((operation) => operation === 'DescribeStackResources')).toHaveLength(4);
    expect(operations).not.toContain('ListStacks');
    expect(operations).not.toContain('CreateChangeSet');
    expect(operations).not.toContain('PutObject');
  }, 60_000);

  it('a table no stack owns (AWS refuses the lookup): said so, after reading the live stacks', async () => {
    const { clients, calls } = fakeAws({
      DescribeStacks: missing,
      DescribeTable: (input) =>
        input.TableName === 'tasktracker-staging-tasks'
          ? { Table: { TableName: input.TableName } }
          : awsError('ResourceNotFoundException', 'Requested resource not found'),
      DescribeStackResources: (input) =>
        awsError('ValidationError', `Stack for ${String(input.PhysicalResourceId)} does not exist`),
      ListStacks: () => ({ StackSummaries: [{ StackName: 'unrelated', StackId: 'u' }] }),
      ListStackResources: () => ({
        StackResourceSummaries: [{ LogicalResourceId: 'Queue', PhysicalResourceId: 'q', ResourceType: 'x' }],
      }),
    });
    const error = await failure(deployStack(clients, options({ stage: 'staging' }).opts));
    expect(error.code).toBe('STACK_CONFLICT');
    expect(error.message).toContain('tasktracker-staging-tasks exist in no stack');
    expect(error.details).toEqual({ tables: { 'tasktracker-staging-tasks': null } });
    expect(calls.map((call) => call.operation)).not.toContain('CreateChangeSet');
  }, 60_000);
});

describe('a change set CloudFormation fails', () => {
  it('shows its own reason, executes nothing and records nothing', async () => {
    const { clients, calls } = fakeAws({
      DescribeStacks: () => ({
        Stacks: [{ StackName: STACK, StackId: 'id', StackStatus: 'UPDATE_COMPLETE' }],
      }),
      HeadBucket: () => ({}),
      HeadObject: () => ({}),
      GetObject: () => awsError('NoSuchKey', 'no record', 404),
      PutObject: () => ({}),
      CreateChangeSet: () => ({ Id: 'cs-9', StackId: 'id' }),
      DescribeChangeSet: () => ({
        Status: 'FAILED',
        StatusReason: 'Template error: Unable to get mapping for StageConfig::staging::LogRetentionDays',
      }),
    });
    const error = await failure(deployStack(clients, options({ stage: 'staging', project }).opts));
    expect(error.code).toBe('DEPLOY_FAILED');
    expect(error.message).toBe(
      `the change set for ${STACK} failed: Template error: Unable to get mapping for StageConfig::staging::LogRetentionDays. Nothing was changed`,
    );
    expect(calls.map((call) => call.operation)).not.toContain('ExecuteChangeSet');
    expect(recordWrites(calls)).toEqual([]);
  }, 60_000);
});
