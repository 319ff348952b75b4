import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { TaskTrackerError } from '@tasktracker/core';
import { API_ROUTES } from '@tasktracker/handlers';
import type { AwsClients } from './aws/clients.ts';
import { explainAwsError } from './aws/errors.ts';
import { listStackResources, type StackSummary, summarizeStack } from './stack/resources.ts';
import { requireStack, stackNameOf } from './stack/status.ts';

export interface StackInfo extends StackSummary {
  functionDetails: {
    name: string;
    runtime?: string;
    memoryMb?: number;
    timeoutS?: number;
    lastModified?: string;
  }[];
  routes: { method: string; path: string; url?: string; apiKey: boolean }[];
  /** Item counts as DynamoDB reports them (updated about every six hours on AWS). */
  tableItems: { key: string; name: string; items?: number; status?: string }[];
  /** The default API key's value, only when asked for (showApiKey): read from its secret. */
  apiKey?: string;
}

export interface StackInfoOptions {
  /** Read the default key's value from Secrets Manager (tt info --show-api-key); nothing else prints it. */
  showApiKey?: boolean;
}

/** The default key's value from the secret the stack names in its ApiKeySecretArn output. */
async function apiKeyValue(clients: AwsClients, summary: StackSummary): Promise<string> {
  if (!summary.apiKeySecretArn)
    throw new TaskTrackerError(
      'RESOURCE_NOT_FOUND',
      `${summary.stackName} has no ApiKeySecretArn output (deployed by an older template, or by osls): aws apigateway get-api-key --api-key ${summary.apiKeyId ?? '<id>'} --include-value`,
    );
  const secret = await clients.secretsManager.send(
    new GetSecretValueCommand({ SecretId: summary.apiKeySecretArn }),
  );
  if (!secret.SecretString)
    throw new TaskTrackerError('RESOURCE_NOT_FOUND', `${summary.apiKeySecretArn} holds no string value`);
  return secret.SecretString;
}

/**
 * `tt info`: the stack's status and outputs, its functions, routes and tables. The stack is the stage's
 * (`tasktracker-<stage>`), or `stackName` (--stack) for one deployed under another name.
 */
export async function stackInfo(
  clients: AwsClients,
  stage: string,
  stackName?: string,
  options: StackInfoOptions = {},
): Promise<StackInfo> {
  try {
    const { stack } = await requireStack(clients, { stage, stackName });
    const summary = summarizeStack(
      stack,
      await listStackResources(clients, stack.StackId ?? stack.StackName ?? ''),
    );
    const functionDetails = await Promise.all(
      Object.values(summary.functions).map(async (name) => {
        const config = await clients.lambda
          .send(new GetFunctionConfigurationCommand({ FunctionName: name }))
          .catch(() => undefined);
        return {
          name,
          ...(config?.Runtime ? { runtime: config.Runtime } : {}),
          ...(config?.MemorySize ? { memoryMb: config.MemorySize } : {}),
          ...(config?.Timeout ? { timeoutS: config.Timeout } : {}),
          ...(config?.LastModified ? { lastModified: config.LastModified } : {}),
        };
      }),
    );
    const tableItems = await Promise.all(
      Object.entries(summary.tables).map(async ([key, name]) => {
        const described = await clients.dynamodb
          .send(new DescribeTableCommand({ TableName: name }))
          .catch(() => undefined);
        return {
          key,
          name,
          ...(described?.Table?.ItemCount !== undefined ? { items: described.Table.ItemCount } : {}),
          ...(described?.Table?.TableStatus ? { status: described.Table.TableStatus } : {}),
        };
      }),
    );
    const routes = API_ROUTES.map((route) => ({
      method: route.method,
      path: route.path,
      ...(summary.apiUrl ? { url: `${summary.apiUrl}${route.path}` } : {}),
      apiKey: !route.public,
    }));
    const apiKey = options.showApiKey ? await apiKeyValue(clients, summary) : undefined;
    return { ...summary, functionDetails, routes, tableItems, ...(apiKey ? { apiKey } : {}) };
  } catch (error) {
    throw explainAwsError(error, `describing ${stackName ?? stackNameOf(stage)}`, 'AWS_REQUEST_FAILED');
  }
}
