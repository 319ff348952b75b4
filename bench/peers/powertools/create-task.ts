// POST /tasks as a careful Powertools user writes it: middy, Logger (injectLambdaContext), Parser with
// full zod on the API Gateway event (JSONStringified body), and the Idempotency middleware on DynamoDB
// keyed by the caller's API key and the Idempotency-Key header. Benchmark code, never shipped.
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { APIGatewayProxyEventSchema } from '@aws-lambda-powertools/parser/schemas/api-gateway';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { z } from 'zod';
import {
  correlationIdOf,
  DueDateSchema,
  doc,
  dynamo,
  errorEnvelope,
  logger,
  PrioritySchema,
  respond,
  TASKS_TABLE,
} from './shared.ts';

const CreateTaskSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  completed: z.boolean().default(false),
  priority: PrioritySchema.default('medium'),
  categoryId: z.ulid().optional(),
  dueDate: DueDateSchema.optional(),
});

const CreateTaskEventSchema = APIGatewayProxyEventSchema.extend({
  body: JSONStringified(CreateTaskSchema),
});
type CreateTaskEvent = z.infer<typeof CreateTaskEventSchema>;

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: process.env.IDEMPOTENCY_TABLE ?? 'idempotency',
  awsSdkV3Client: dynamo,
});
const idempotencyConfig = new IdempotencyConfig({
  // One key per caller: two API keys sending the same Idempotency-Key are two requests.
  eventKeyJmesPath: '[requestContext.identity.apiKeyId, headers."Idempotency-Key"]',
});

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(errorEnvelope())
  .use(parser({ schema: CreateTaskEventSchema }))
  .use(makeHandlerIdempotent({ persistenceStore, config: idempotencyConfig }))
  .handler(async (event: CreateTaskEvent) => {
    const correlationId = correlationIdOf(event.headers);
    logger.appendKeys({ correlationId });
    const userId = event.requestContext.identity.apiKeyId;
    if (!userId) {
      return respond(401, correlationId, {
        error: { code: 'UNAUTHORIZED', message: 'No caller identity', correlationId },
      });
    }
    const now = new Date().toISOString();
    const task = {
      userId,
      taskId: crypto.randomUUID(),
      ...event.body,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await doc.send(
      new PutCommand({
        TableName: TASKS_TABLE,
        Item: task,
        ConditionExpression: 'attribute_not_exists(taskId)',
      }),
    );
    logger.info('task created', { taskId: task.taskId });
    return respond(201, correlationId, { data: task });
  });
