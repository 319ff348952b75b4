import {
  type Change,
  type ChangeSetType,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { TaskTrackerError } from '@tasktracker/core';
import type { AwsClients } from '../aws/clients.ts';
import { describeAwsError, isNoChanges, isNotFound } from '../aws/errors.ts';
import { sleep } from './sleep.ts';

export interface StackChange {
  action: 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic' | string;
  logicalId: string;
  resourceType: string;
  /** True, False or Conditional (CloudFormation's own words); absent for adds and removes. */
  replacement?: string;
}

export type ChangeSetResult =
  | {
      kind: 'changes';
      id: string;
      name: string;
      /** The id of the stack the change set is for: a name may be shared by an older stack (moto). */
      stackId: string | undefined;
      changes: StackChange[];
    }
  | { kind: 'no-changes' };

export interface ChangeSetRequest {
  stackName: string;
  type: ChangeSetType;
  templateUrl: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  pollMs?: number;
  signal?: AbortSignal;
}

const toChange = (change: Change): StackChange => ({
  action: change.ResourceChange?.Action ?? 'Dynamic',
  logicalId: change.ResourceChange?.LogicalResourceId ?? '?',
  resourceType: change.ResourceChange?.ResourceType ?? '?',
  ...(change.ResourceChange?.Replacement ? { replacement: change.ResourceChange.Replacement } : {}),
});

/**
 * Removing or replacing one of these loses data: a table or bucket holds it; an API key's id and a user
 * pool's users are the user ids the tasks are kept under, so a new key or pool starts with no tasks
 * (the old ones stay under the old ids). The text says what a user loses.
 */
const DATA_TYPES: ReadonlyMap<string, string> = new Map([
  ['AWS::DynamoDB::Table', ''],
  ['AWS::S3::Bucket', ''],
  ['AWS::ApiGateway::ApiKey', ': its callers get a new user id and no longer see their tasks'],
  ['AWS::Cognito::UserPool', ': its users get new user ids and no longer see their tasks'],
]);

/** The changes that destroy data (a table, bucket, API key or user pool removed, or replaced by a new one). */
export function destructiveChanges(changes: readonly StackChange[]): StackChange[] {
  return changes.filter(
    (change) =>
      DATA_TYPES.has(change.resourceType) &&
      (change.action === 'Remove' || change.replacement === 'True' || change.replacement === 'Conditional'),
  );
}

/** Why a destructive change needs a yes, in one clause. */
export function destructiveReason(change: StackChange): string {
  const verb = change.action === 'Remove' ? 'deleted' : 'replaced';
  return `${change.logicalId} (${change.resourceType}) will be ${verb}${DATA_TYPES.get(change.resourceType) ?? ''}`;
}

/**
 * Creates a change set and waits until CloudFormation has computed it. An update with nothing to do is
 * "no changes", not an error: AWS reports it as a FAILED change set (which we delete), and some
 * endpoints refuse the CreateChangeSet call itself; both are understood.
 */
export async function createChangeSet(
  clients: AwsClients,
  request: ChangeSetRequest,
): Promise<ChangeSetResult> {
  const name = `tt-${new Date()
    .toISOString()
    .replace(/[^0-9]/g, '')
    .slice(0, 14)}`;
  let id: string;
  let stackId: string | undefined;
  try {
    const created = await clients.cloudformation.send(
      new CreateChangeSetCommand({
        StackName: request.stackName,
        ChangeSetName: name,
        ChangeSetType: request.type,
        TemplateURL: request.templateUrl,
        Parameters: Object.entries(request.parameters).map(([ParameterKey, ParameterValue]) => ({
          ParameterKey,
          ParameterValue,
        })),
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
        Tags: Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    id = created.Id ?? name;
    stackId = created.StackId;
  } catch (error) {
    const reason = describeAwsError(error);
    if (isNoChanges(reason)) return { kind: 'no-changes' };
    // The endpoint fetches the template itself: say from where, so a URL it cannot read is seen as such.
    if (isNotFound(error))
      throw new TaskTrackerError(
        'DEPLOY_FAILED',
        `the endpoint could not read the template at ${request.templateUrl}: ${reason}`,
        { templateUrl: request.templateUrl, reason },
        { cause: error },
      );
    throw error;
  }
  const described = await waitForChangeSet(clients, request.stackName, id, request);
  if (described.Status === 'FAILED') {
    if (isNoChanges(described.StatusReason)) {
      await clients.cloudformation.send(
        new DeleteChangeSetCommand({ StackName: request.stackName, ChangeSetName: id }),
      );
      return { kind: 'no-changes' };
    }
    throw new TaskTrackerError(
      'DEPLOY_FAILED',
      `the change set for ${request.stackName} failed: ${described.StatusReason ?? 'no reason given'}. Nothing was changed`,
      { changeSet: id, reason: described.StatusReason },
    );
  }
  const changes = await allChanges(clients, request.stackName, id, described);
  return { kind: 'changes', id, name, stackId, changes };
}

async function waitForChangeSet(
  clients: AwsClients,
  stackName: string,
  id: string,
  options: { pollMs?: number; signal?: AbortSignal },
): Promise<DescribeChangeSetCommandOutput> {
  for (;;) {
    const described = await clients.cloudformation.send(
      new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: id }),
    );
    if (described.Status !== 'CREATE_PENDING' && described.Status !== 'CREATE_IN_PROGRESS') return described;
    await sleep(options.pollMs ?? 2_000, options.signal);
  }
}

/** Every change, across DescribeChangeSet's pages. */
async function allChanges(
  clients: AwsClients,
  stackName: string,
  id: string,
  first: DescribeChangeSetCommandOutput,
): Promise<StackChange[]> {
  const changes = (first.Changes ?? []).map(toChange);
  let token = first.NextToken;
  while (token) {
    const page = await clients.cloudformation.send(
      new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: id, NextToken: token }),
    );
    changes.push(...(page.Changes ?? []).map(toChange));
    token = page.NextToken;
  }
  return changes;
}
