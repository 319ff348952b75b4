import { ListStackResourcesCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { TABLE_DEFINITIONS } from '@tasktracker/core';
import type { AwsClients } from '../aws/clients.ts';

export interface StackResource {
  logicalId: string;
  type: string;
  physicalId: string;
  status: string;
}

export async function listStackResources(clients: AwsClients, stack: string): Promise<StackResource[]> {
  const resources: StackResource[] = [];
  let token: string | undefined;
  do {
    const page = await clients.cloudformation.send(
      new ListStackResourcesCommand({ StackName: stack, NextToken: token }),
    );
    for (const summary of page.StackResourceSummaries ?? [])
      resources.push({
        logicalId: summary.LogicalResourceId ?? '',
        type: summary.ResourceType ?? '',
        physicalId: summary.PhysicalResourceId ?? '',
        status: summary.ResourceStatus ?? '',
      });
    token = page.NextToken;
  } while (token);
  return resources;
}

/** What people and scripts want after a deploy, keyed the way the CLI and the library name things. */
export interface StackSummary {
  stackName: string;
  stackId: string;
  status: string;
  lastUpdated: string | undefined;
  apiUrl: string | undefined;
  apiKeyId: string | undefined;
  /** The secret holding the default key's value (read only by tt info --show-api-key). */
  apiKeySecretArn: string | undefined;
  /** The stage's CloudWatch dashboard in the console. */
  dashboardUrl: string | undefined;
  bucket: string | undefined;
  /** core's table keys (tasks, categories, idempotency, invocationLog) → physical names. */
  tables: Record<string, string>;
  /** Function logical id → physical name. */
  functions: Record<string, string>;
  /** Every output, as CloudFormation reported it. */
  outputs: Record<string, string>;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The stack's outputs, completed from its resources: physical ids are always exact, and some
 * CloudFormation implementations (moto after a change set) publish no outputs at all.
 */
export function summarizeStack(stack: Stack, resources: readonly StackResource[]): StackSummary {
  const outputs = Object.fromEntries(
    (stack.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']),
  );
  const tableKeys = new Set<string>(TABLE_DEFINITIONS.map((definition) => definition.table));
  const tables: Record<string, string> = {};
  const functions: Record<string, string> = {};
  for (const resource of resources) {
    if (resource.type === 'AWS::DynamoDB::Table') {
      const key = lowerFirst(resource.logicalId.replace(/Table$/, ''));
      if (tableKeys.has(key)) tables[key] = resource.physicalId;
    }
    if (resource.type === 'AWS::Lambda::Function') functions[resource.logicalId] = resource.physicalId;
  }
  const bucket = resources.find((resource) => resource.type === 'AWS::S3::Bucket')?.physicalId;
  return {
    stackName: stack.StackName ?? '',
    stackId: stack.StackId ?? '',
    status: stack.StackStatus ?? '',
    lastUpdated: (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString(),
    apiUrl: outputs.ApiUrl,
    apiKeyId: outputs.ApiKeyId || undefined,
    apiKeySecretArn: outputs.ApiKeySecretArn || undefined,
    dashboardUrl: outputs.DashboardUrl || undefined,
    bucket: outputs.BucketName ?? bucket,
    tables,
    functions,
    outputs,
  };
}
