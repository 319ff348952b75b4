import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultTableNames, type TableNames } from './dynamo/tables.ts';
import { type Logger, silentLogger } from './logger.ts';

/** What every service receives: injected at the edge, never read from globals. */
export interface TrackerContext {
  doc: DynamoDBDocumentClient;
  tables: TableNames;
  logger: Logger;
  now: () => Date;
  idempotencyTtlSeconds: number;
}

export interface TrackerContextOptions {
  /** A DynamoDBClient or a DynamoDBDocumentClient; its endpoint, region and credentials are yours. */
  client: DynamoDBClient | DynamoDBDocumentClient;
  tables?: Partial<TableNames>;
  logger?: Logger;
  /** For tests: the clock that stamps createdAt/updatedAt and idempotency expiry. */
  now?: () => Date;
  idempotencyTtlSeconds?: number;
}

/** Wraps a DynamoDBClient in a document client that drops undefined attributes (optional fields). */
function documentClient(client: DynamoDBClient | DynamoDBDocumentClient): DynamoDBDocumentClient {
  if (client instanceof DynamoDBDocumentClient) return client;
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** At debug level, one line per DynamoDB call: the command, the table and how long it took. */
function logEveryCall(doc: DynamoDBDocumentClient, logger: Logger): void {
  if (!logger.isLevelEnabled('debug')) return;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      const input = args.input as { TableName?: string };
      try {
        return await next(args);
      } finally {
        const ms = Math.round(performance.now() - started);
        logger.debug({ command: context.commandName, table: input.TableName, ms }, 'dynamodb call');
      }
    },
    // The document client shares its client's middleware stack: a second context on the same client
    // (two trackers, one client) replaces the line-writer instead of failing with a duplicate name.
    { step: 'initialize', name: 'tasktrackerDebugLog', override: true },
  );
}

/**
 * The context alone, for callers that bind only the services they use (each is a function taking it
 * first): a Lambda bundle then carries those services and not, say, CSV export and import.
 */
export function createTrackerContext(options: TrackerContextOptions): TrackerContext {
  const ctx: TrackerContext = {
    doc: documentClient(options.client),
    tables: { ...defaultTableNames(), ...options.tables },
    logger: options.logger ?? silentLogger(),
    now: options.now ?? (() => new Date()),
    idempotencyTtlSeconds: options.idempotencyTtlSeconds ?? 86_400,
  };
  logEveryCall(ctx.doc, ctx.logger);
  return ctx;
}
