import {
  type Change,
  type ChangeSetType,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import type { AwsClients } from '../aws/clients.ts';
import { isNoChanges } from '../aws/errors.ts';
import { sleep } from './sleep.ts';

export interface StackChange {
  action: 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic' | string;
  logicalId: string;
  resourceType: string;
  /** True, False or Conditional (CloudFormation's own words); absent for adds and removes. */
  replacement?: string;
}

export type ChangeSetResult =
  | { kind: 'changes'; id: string; name: string; changes: StackChange[] }
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

/** Data lives here: removing or replacing one of these loses it. */
const DATA_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::S3::Bucket']);

/** The changes that destroy data (a table or bucket removed, or replaced by a new one). */
export function destructiveChanges(changes: readonly StackChange[]): StackChange[] {
  return changes.filter(
    (change) =>
      DATA_TYPES.has(change.resourceType) &&
      (change.action === 'Remove' || change.replacement === 'True' || change.replacement === 'Conditional'),
  );
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
  } catch (error) {
    if (isNoChanges((error as Error).message)) return { kind: 'no-changes' };
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
    throw new Error(`the change set failed: ${described.StatusReason ?? 'no reason given'}`);
  }
  return { kind: 'changes', id, name, changes: await allChanges(clients, request.stackName, id, described) };
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
