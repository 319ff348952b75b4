import { TaskTrackerError } from '@tasktracker/core';
import { AwsClients } from '@tasktracker/deploy';
import type { GlobalOptions } from './globals.ts';
import { settingsFor } from './session.ts';
import { clientConfig, parseTarget, type Target } from './target.ts';

export type RemoteTarget = Exclude<Target, { kind: 'local' }>;

/** What the stack commands (deploy, destroy, info, logs, validate) work with. */
export interface AwsContext {
  clients: AwsClients;
  target: RemoteTarget;
  /** The endpoint every client uses, when not AWS itself. */
  endpoint: string | undefined;
  stage: string;
}

/** Lambda containers reach LocalStack by this name (LocalStack resolves it inside its network). */
export const LOCALSTACK_LAMBDA_ENDPOINT = 'http://localhost.localstack.cloud:4566';

export function stageOf(globals: GlobalOptions): string {
  return settingsFor(globals).stage ?? 'dev';
}

/**
 * SDK clients for a stack command. The embedded local engine is DynamoDB only: stacks need AWS,
 * LocalStack or another AWS-compatible endpoint (a moto server).
 */
export function openAws(globals: GlobalOptions, command: string): AwsContext {
  const settings = settingsFor(globals);
  const target = parseTarget(settings.target, settings.endpoint);
  if (target.kind === 'local')
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `tt ${command} needs --target aws, localstack or an endpoint URL: the local engine is DynamoDB only (tt local serve runs the API locally)`,
    );
  const config = clientConfig(target, settings);
  return {
    clients: new AwsClients(config as ConstructorParameters<typeof AwsClients>[0]),
    target,
    endpoint: target.kind === 'aws' ? undefined : target.endpoint,
    stage: settings.stage ?? 'dev',
  };
}
