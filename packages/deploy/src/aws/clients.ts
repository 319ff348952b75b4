import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';

/** How to reach AWS or an AWS-compatible endpoint; what is left out comes from the standard chain. */
export interface AwsConfig {
  region?: string;
  profile?: string;
  /** LocalStack, moto server, ...: every client goes there, S3 path-style. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Counts every AWS API call the deployer makes, by operation (the deploy benchmark reports them). */
export class CallCounter {
  readonly byOperation = new Map<string, number>();

  get total(): number {
    return [...this.byOperation.values()].reduce((sum, count) => sum + count, 0);
  }

  toJSON(): { total: number; byOperation: Record<string, number> } {
    return { total: this.total, byOperation: Object.fromEntries(this.byOperation) };
  }

  add(operation: string): void {
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
  }
}

interface SdkClient {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
  destroy(): void;
}

/**
 * The deployer's SDK clients, created on first use and sharing one configuration. CloudFormation
 * throttles describe calls under load: the SDK's standard retry (with backoff) gets more attempts.
 */
export class AwsClients {
  readonly calls = new CallCounter();
  private readonly created = new Map<string, SdkClient>();

  constructor(readonly config: AwsConfig) {}

  private client<T extends SdkClient>(
    name: string,
    create: (config: AwsConfig & { maxAttempts: number }) => T,
  ): T {
    let client = this.created.get(name) as T | undefined;
    if (!client) {
      client = create({ ...this.config, maxAttempts: 8 });
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
          this.calls.add(`${name}:${context.commandName?.replace(/Command$/, '') ?? '?'}`);
          return next(args);
        },
        { step: 'initialize', name: 'tasktrackerCallCounter' },
      );
      this.created.set(name, client);
    }
    return client;
  }

  get cloudformation() {
    return this.client('CloudFormation', (config) => new CloudFormationClient(config));
  }
  get s3() {
    return this.client(
      'S3',
      (config) => new S3Client({ ...config, forcePathStyle: Boolean(config.endpoint) }),
    );
  }
  get lambda() {
    return this.client('Lambda', (config) => new LambdaClient(config));
  }
  get logs() {
    return this.client('Logs', (config) => new CloudWatchLogsClient(config));
  }
  get dynamodb() {
    return this.client('DynamoDB', (config) => new DynamoDBClient(config));
  }
  get sts() {
    return this.client('STS', (config) => new STSClient(config));
  }
  get secretsManager() {
    return this.client('SecretsManager', (config) => new SecretsManagerClient(config));
  }

  /** The region every client uses (flag, env or profile, as the SDK resolved it). */
  async region(): Promise<string> {
    return this.cloudformation.config.region();
  }

  destroy(): void {
    for (const client of this.created.values()) client.destroy();
    this.created.clear();
  }
}
