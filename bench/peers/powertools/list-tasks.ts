// GET /tasks as a careful Powertools user writes it: middy, Logger, Parser with full zod on the query
// string, a Query on the user's partition newest first with the filters as a FilterExpression, and the
// last evaluated key as an opaque cursor. No idempotency (a read). Benchmark code, never shipped.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { APIGatewayProxyEventSchema } from '@aws-lambda-powertools/parser/schemas/api-gateway';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { z } from 'zod';
import {
  correlationIdOf,
  DueDateSchema,
  doc,
  errorEnvelope,
  logger,
  PrioritySchema,
  respond,
  TASKS_TABLE,
} from './shared.ts';

const ListQuerySchema = z.strictObject({
  category: z.ulid().optional(),
  status: z.enum(['open', 'completed']).optional(),
  priority: PrioritySchema.optional(),
  dueBefore: DueDateSchema.optional(),
  dueAfter: DueDateSchema.optional(),
  createdBefore: z.iso.datetime({ offset: true }).optional(),
  createdAfter: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
});

const ListTasksEventSchema = APIGatewayProxyEventSchema.extend({
  queryStringParameters: ListQuerySchema.nullable().transform((query) => query ?? ListQuerySchema.parse({})),
});
type ListTasksEvent = z.infer<typeof ListTasksEventSchema>;

type Filter = z.infer<typeof ListQuerySchema>;

/** The filters the key does not serve, as one FilterExpression. */
function filterExpression(query: Filter) {
  const clauses: string[] = [];
  const values: Record<string, unknown> = {};
  const add = (clause: string, name: string, value: unknown) => {
    if (value === undefined) return;
    clauses.push(clause);
    values[name] = value;
  };
  add('categoryId = :category', ':category', query.category);
  add('completed = :completed', ':completed', query.status && query.status === 'completed');
  add('priority = :priority', ':priority', query.priority);
  add('dueDate <= :dueBefore', ':dueBefore', query.dueBefore);
  add('dueDate >= :dueAfter', ':dueAfter', query.dueAfter);
  add('createdAt <= :createdBefore', ':createdBefore', query.createdBefore);
  add('createdAt >= :createdAfter', ':createdAfter', query.createdAfter);
  add('(contains(title, :q) OR contains(description, :q))', ':q', query.q);
  return { clauses, values };
}

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(errorEnvelope())
  .use(parser({ schema: ListTasksEventSchema }))
  .handler(async (event: ListTasksEvent) => {
    const correlationId = correlationIdOf(event.headers);
    logger.appendKeys({ correlationId });
    const userId = event.requestContext.identity.apiKeyId;
    if (!userId) {
      return respond(401, correlationId, {
        error: { code: 'UNAUTHORIZED', message: 'No caller identity', correlationId },
      });
    }
    const query = event.queryStringParameters;
    const { clauses, values } = filterExpression(query);
    const page = await doc.send(
      new QueryCommand({
        TableName: TASKS_TABLE,
        KeyConditionExpression: 'userId = :userId',
        ...(clauses.length > 0 ? { FilterExpression: clauses.join(' AND ') } : {}),
        ExpressionAttributeValues: { ':userId': userId, ...values },
        ScanIndexForward: false,
        Limit: query.limit,
        ...(query.cursor
          ? { ExclusiveStartKey: JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) }
          : {}),
      }),
    );
    const nextCursor = page.LastEvaluatedKey
      ? Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url')
      : null;
    return respond(200, correlationId, { data: page.Items ?? [], nextCursor });
  });
