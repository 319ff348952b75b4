import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { TaskTrackerError } from '@tasktracker/core';

/** Where the data lives. `local` is the embedded engine; a URL is any AWS-compatible endpoint. */
export type Target =
  | { kind: 'local' }
  | { kind: 'aws' }
  | { kind: 'localstack'; endpoint: string }
  | { kind: 'endpoint'; endpoint: string };

/** LocalStack accepts any credentials; fixed dummy ones keep real ones out of it. */
export const DUMMY_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function parseTarget(
  value: string | undefined,
  endpoint: string | undefined,
  env = process.env,
): Target {
  const target = value ?? (endpoint ? endpoint : 'local');
  if (target === 'local') return endpoint ? { kind: 'endpoint', endpoint } : { kind: 'local' };
  if (target === 'aws') return { kind: 'aws' };
  if (target === 'localstack') {
    return { kind: 'localstack', endpoint: endpoint ?? env.LOCALSTACK_ENDPOINT ?? 'http://localhost:4566' };
  }
  if (/^https?:\/\//.test(target)) return { kind: 'endpoint', endpoint: target };
  throw new TaskTrackerError(
    'VALIDATION_ERROR',
    `--target must be local, aws, localstack or an endpoint URL, not "${target}"`,
  );
}

/** SDK client settings for a remote target; the standard chain supplies what we leave out. */
export function clientConfig(
  target: Exclude<Target, { kind: 'local' }>,
  settings: { region?: string | undefined; profile?: string | undefined },
  env = process.env,
): DynamoDBClientConfig {
  const region = settings.region ?? (target.kind === 'aws' ? undefined : 'us-east-1');
  const config: DynamoDBClientConfig = {
    ...(region ? { region } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
  };
  if (target.kind === 'aws') return config;
  const hasOwn = Boolean(env.AWS_ACCESS_KEY_ID || settings.profile || env.AWS_PROFILE);
  return {
    ...config,
    endpoint: target.endpoint,
    ...(target.kind === 'localstack' || !hasOwn ? { credentials: DUMMY_CREDENTIALS } : {}),
  };
}

export function describeTarget(target: Target): string {
  return target.kind === 'local'
    ? 'local'
    : target.kind === 'aws'
      ? 'aws'
      : `${target.kind} ${target.endpoint}`;
}
