import {
  DescribeStackResourcesCommand,
  ListStacksCommand,
  StackStatus,
} from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { TaskTrackerError } from '@tasktracker/core';
import type { AwsClients } from '../aws/clients.ts';
import { isNotFound } from '../aws/errors.ts';
import { type CfnTemplate, resourcesOfType, subText } from '../template/parse.ts';
import { listStackResources } from './resources.ts';

/**
 * The table names a create of this stage would claim. Our physical names are deterministic per stage
 * (tasktracker-<stage>-tasks, ...), so another stack of the same stage, or a table kept from a deleted
 * one, makes the create fail deep inside CloudFormation: better said before any change set.
 */
export function tableNamesOf(template: CfnTemplate, stage: string): string[] {
  return resourcesOfType(template, 'AWS::DynamoDB::Table')
    .map(([, resource]) => subText(resource.Properties?.TableName).replace(/\$\{Stage\}/g, stage))
    .filter((name) => name !== '' && !name.includes('${'));
}

async function tableExists(clients: AwsClients, name: string): Promise<boolean> {
  try {
    await clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

const LIVE_STATUSES = Object.values(StackStatus).filter((status) => status !== 'DELETE_COMPLETE');

/** Every live stack's resources, read one stack at a time: the way to ask an endpoint that has no index. */
async function ownersByListing(clients: AwsClients, physicalIds: Set<string>): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await clients.cloudformation.send(
      new ListStacksCommand({ StackStatusFilter: LIVE_STATUSES, NextToken: token }),
    );
    for (const summary of page.StackSummaries ?? []) {
      // A stack whose resources cannot be read cannot be said to own anything.
      const resources = await listStackResources(clients, summary.StackId ?? '').catch(() => []);
      for (const resource of resources)
        if (physicalIds.has(resource.physicalId)) owners.set(resource.physicalId, summary.StackName ?? '?');
    }
    token = page.NextToken;
  } while (token && owners.size < physicalIds.size);
  return owners;
}

/**
 * Which stack owns each physical id. AWS answers DescribeStackResources by physical id in one call;
 * moto ignores PhysicalResourceId (it wants a StackName) and refuses, and AWS refuses too when no stack
 * owns the id: then the live stacks are listed and their resources read.
 */
export async function stackOwners(clients: AwsClients, physicalIds: readonly string[]) {
  const owners = new Map<string, string>();
  for (const id of physicalIds) {
    try {
      const { StackResources } = await clients.cloudformation.send(
        new DescribeStackResourcesCommand({ PhysicalResourceId: id }),
      );
      const owner = StackResources?.find((resource) => resource.PhysicalResourceId === id)?.StackName;
      if (owner) owners.set(id, owner);
    } catch {
      break;
    }
  }
  const unknown = new Set(physicalIds.filter((id) => !owners.has(id)));
  if (unknown.size > 0)
    for (const [id, owner] of await ownersByListing(clients, unknown)) owners.set(id, owner);
  return owners;
}

/**
 * Refuses to create `stackName` when a table it would create already exists, saying which stack owns it
 * (e.g. this stage deployed under another name with aws cloudformation deploy) or that none does.
 */
export async function assertNamesFree(
  clients: AwsClients,
  template: CfnTemplate,
  stage: string,
  stackName: string,
): Promise<void> {
  const names = tableNamesOf(template, stage);
  const taken = (
    await Promise.all(names.map(async (name) => ((await tableExists(clients, name)) ? name : undefined)))
  ).filter((name): name is string => name !== undefined);
  if (taken.length === 0) return;
  const owners = await stackOwners(clients, taken);
  // A stack of our own name holding them is this stack's unfinished create, not another's.
  const conflicts = taken.filter((name) => owners.get(name) !== stackName);
  if (conflicts.length === 0) return;
  const byOwner = new Map<string, string[]>();
  for (const name of conflicts) {
    const owner = owners.get(name) ?? '';
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), name]);
  }
  const said = [...byOwner].map(([owner, tables]) =>
    owner
      ? `${tables.join(', ')} belong to stack ${owner}: this stage deployed under another name? Manage it with tt info --stack ${owner} (or tt destroy --stack ${owner})`
      : `${tables.join(', ')} exist in no stack (kept from a deleted stack, or made by hand): export what they hold and delete them`,
  );
  throw new TaskTrackerError(
    'STACK_CONFLICT',
    `cannot create ${stackName}: ${said.join('; ')}; or deploy another --stage. Nothing was changed`,
    { tables: Object.fromEntries(conflicts.map((name) => [name, owners.get(name) ?? null])) },
  );
}
