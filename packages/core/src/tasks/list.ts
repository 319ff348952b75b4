import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { TrackerContext } from '../context.ts';
import { decodeCursor, encodeCursor, type StartKey } from '../dynamo/cursor.ts';
import { asUnavailable } from '../dynamo/errors.ts';
import { canonicalJson, sha256 } from '../idempotency/key.ts';
import { UserIdSchema } from '../ids.ts';
import { parseInput } from '../validation.ts';
import { type ListTasksQuery, ListTasksQuerySchema, type TaskFilter, TaskFilterSchema } from './filter.ts';
import { toTask } from './item.ts';
import { planTaskQuery, type QueryPlan } from './query-plan.ts';
import type { Task, TaskPage } from './schema.ts';

/**
 * Most items one list call reads before it returns a short page with a cursor: a search over a large
 * data set answers in bounded time (API Gateway gives us 29 s) and the caller continues from the cursor.
 */
const READ_BUDGET = 2_000;

interface RawPage {
  items: Record<string, unknown>[];
  lastKey: StartKey | undefined;
  scanned: number;
}

/** Pages of one planned Query, from a start key, each asking DynamoDB for up to `pageSize(read)` items. */
async function* queryPages(
  ctx: TrackerContext,
  plan: QueryPlan,
  startKey: StartKey | undefined,
  pageSize: () => number,
): AsyncGenerator<RawPage> {
  // Nothing can match (a created bound before any id was minted): no read at all.
  if (plan.matchesNothing) return;
  let exclusiveStartKey = startKey;
  do {
    let output: QueryCommandOutput;
    try {
      output = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tables.tasks,
          IndexName: plan.index,
          KeyConditionExpression: plan.keyCondition,
          FilterExpression: plan.filterExpression,
          ExpressionAttributeNames: plan.names,
          ExpressionAttributeValues: plan.values,
          ScanIndexForward: plan.forward,
          ExclusiveStartKey: exclusiveStartKey,
          Limit: pageSize(),
        }),
      );
    } catch (error) {
      throw asUnavailable(error);
    }
    exclusiveStartKey = output.LastEvaluatedKey as StartKey | undefined;
    yield { items: output.Items ?? [], lastKey: exclusiveStartKey, scanned: output.ScannedCount ?? 0 };
  } while (exclusiveStartKey);
}

function queryFingerprint(userId: string, filter: TaskFilter): string {
  return sha256(canonicalJson({ userId, filter })).slice(0, 24);
}

function keyOf(item: Record<string, unknown>, attributes: readonly string[]): StartKey {
  return Object.fromEntries(attributes.map((name) => [name, String(item[name])]));
}

/**
 * One page of a user's tasks. Reads limit+1 matching items so that the last page says so (nextCursor
 * null) without an extra empty page; the cursor is the key of the last item returned, so pages are
 * stable whatever DynamoDB's own page boundaries were.
 */
export async function listTasks(
  ctx: TrackerContext,
  userId: string,
  query: ListTasksQuery = {},
): Promise<TaskPage> {
  parseInput(UserIdSchema, userId);
  const { limit, cursor, ...filter } = parseInput(ListTasksQuerySchema, query);
  const plan = planTaskQuery(userId, filter);
  const fingerprint = queryFingerprint(userId, filter);
  const startKey = cursor ? decodeCursor(cursor, { fingerprint, ...plan }) : undefined;

  const wanted = limit + 1;
  const matched: Record<string, unknown>[] = [];
  let scanned = 0;
  let resumeKey: StartKey | undefined;
  // Without a filter every item read is returned, so we ask for exactly what is missing. With one, we
  // ask for what the missing matches should take at the match rate seen so far (a quarter until we
  // know): a sparse filter then costs a few large Queries, not many small ones. No more: items read
  // past the last one returned are read again by the next page, which starts after it.
  const pageSize = () => {
    const missing = wanted - matched.length;
    if (!plan.filterExpression) return missing;
    const rate = scanned > 0 ? Math.max(matched.length / scanned, 1 / READ_BUDGET) : 0.25;
    return Math.min(1_000, READ_BUDGET - scanned, Math.max(50, Math.ceil(missing / rate)));
  };
  for await (const page of queryPages(ctx, plan, startKey, pageSize)) {
    scanned += page.scanned;
    matched.push(...page.items);
    resumeKey = page.lastKey;
    if (matched.length >= wanted || scanned >= READ_BUDGET) break;
  }

  let nextCursor: string | null = null;
  if (matched.length > limit) {
    matched.length = limit;
    nextCursor = encodeCursor(
      keyOf(matched[limit - 1] as Record<string, unknown>, plan.keyAttributes),
      fingerprint,
    );
  } else if (resumeKey && scanned >= READ_BUDGET) {
    nextCursor = encodeCursor(resumeKey, fingerprint);
  }
  ctx.logger.debug(
    { index: plan.index ?? 'table', indexed: plan.indexedFilters, scanned, returned: matched.length },
    'tasks listed',
  );
  return { items: matched.map(toTask), nextCursor };
}

/** Keeps the next page's request in flight while the consumer works on the current one. */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = source.next();
    yield current.value;
  }
}

/**
 * Every task matching the filters, a page (up to 1,000) at a time, for export: memory holds two pages
 * at most, and reading the next page overlaps with writing this one.
 */
export async function* iterateTaskPages(
  ctx: TrackerContext,
  userId: string,
  filterInput: Partial<TaskFilter> = {},
): AsyncGenerator<Task[]> {
  parseInput(UserIdSchema, userId);
  const filter = parseInput(TaskFilterSchema, filterInput);
  const plan = planTaskQuery(userId, filter);
  for await (const page of readAhead(queryPages(ctx, plan, undefined, () => 1_000))) {
    if (page.items.length > 0) yield page.items.map(toTask);
  }
}

/** Every task matching the filters, one at a time. */
export async function* iterateTasks(
  ctx: TrackerContext,
  userId: string,
  filterInput: Partial<TaskFilter> = {},
): AsyncGenerator<Task> {
  for await (const page of iterateTaskPages(ctx, userId, filterInput)) yield* page;
}
