import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { TrackerContext } from '../context.ts';
import { asUnavailable } from '../dynamo/errors.ts';
import { CATEGORY_GUARD_PREFIX, categoryKey, categoryNameGuardKey } from '../dynamo/keys.ts';
import { queryItems } from '../dynamo/query.ts';
import { type WriteAction, WriteCancelled, writeAtomically } from '../dynamo/write.ts';
import { notFound, TaskTrackerError, versionConflict } from '../errors.ts';
import { type Outcome, writeIdempotently } from '../idempotency/transactional.ts';
import { UlidSchema, UserIdSchema } from '../ids.ts';
import { pickFields } from '../tasks/item.ts';
import { parseInput } from '../validation.ts';
import { type CreateCategoryInput, CreateCategoryInputSchema } from './create-input.ts';
import type { Category } from './schema.ts';
import { type UpdateCategoryInput, UpdateCategoryInputSchema } from './update-input.ts';

/** A category's fields in CategorySchema's order (held to the schema by a unit test, as TASK_FIELDS is). */
export const CATEGORY_FIELDS = [
  'userId',
  'categoryId',
  'name',
  'color',
  'icon',
  'taskCount',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof Category)[];
const toCategory = (item: Record<string, unknown>) => pickFields(item, CATEGORY_FIELDS) as Category;

const nameTaken = (name: string) =>
  new TaskTrackerError('CATEGORY_NAME_TAKEN', `A category named "${name}" already exists`, { name });

const guardPut = (ctx: TrackerContext, userId: string, name: string, categoryId: string): WriteAction => ({
  Put: {
    TableName: ctx.tables.categories,
    Item: { ...categoryNameGuardKey(userId, name), ownerCategoryId: categoryId },
    ConditionExpression: 'attribute_not_exists(categoryId)',
  },
});

const guardDelete = (ctx: TrackerContext, userId: string, name: string): WriteAction => ({
  Delete: { TableName: ctx.tables.categories, Key: categoryNameGuardKey(userId, name) },
});

export async function createCategory(
  ctx: TrackerContext,
  userId: string,
  input: CreateCategoryInput,
  options: { idempotencyKey?: string } = {},
): Promise<Outcome<Category>> {
  parseInput(UserIdSchema, userId);
  const parsed = parseInput(CreateCategoryInputSchema, input);
  const now = ctx.now().toISOString();
  const category: Category = {
    userId,
    categoryId: ulid(),
    ...parsed,
    taskCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const actions: WriteAction[] = [
    {
      Put: {
        TableName: ctx.tables.categories,
        Item: category,
        ConditionExpression: 'attribute_not_exists(categoryId)',
      },
    },
    guardPut(ctx, userId, category.name, category.categoryId),
  ];
  const request = options.idempotencyKey
    ? { userId, key: options.idempotencyKey, operation: 'createCategory', payload: parsed }
    : undefined;
  return writeIdempotently(ctx, request, { actions, result: category }, (reasons) => {
    if (reasons[1]?.code === 'ConditionalCheckFailed') throw nameTaken(category.name);
    throw new TaskTrackerError('INTERNAL_SERVER_ERROR', 'category write cancelled');
  });
}

export async function readCategory(
  ctx: TrackerContext,
  userId: string,
  categoryId: string,
): Promise<Category | undefined> {
  if (!UlidSchema.safeParse(categoryId).success) return undefined;
  try {
    const { Item } = await ctx.doc.send(
      new GetCommand({
        TableName: ctx.tables.categories,
        Key: categoryKey(userId, categoryId),
        ConsistentRead: true,
      }),
    );
    return Item ? toCategory(Item) : undefined;
  } catch (error) {
    throw asUnavailable(error);
  }
}

export async function getCategory(
  ctx: TrackerContext,
  userId: string,
  categoryId: string,
): Promise<Category> {
  parseInput(UserIdSchema, userId);
  const category = await readCategory(ctx, userId, categoryId);
  if (!category) throw notFound('category', categoryId);
  return category;
}

/** All of a user's categories, by name. A user has tens of them, not thousands: no cursor needed. */
export async function listCategories(ctx: TrackerContext, userId: string): Promise<Category[]> {
  parseInput(UserIdSchema, userId);
  const categories: Category[] = [];
  const items = queryItems(ctx, {
    TableName: ctx.tables.categories,
    // The name guards sort after every category id; stop below them.
    KeyConditionExpression: 'userId = :userId AND categoryId < :guards',
    ExpressionAttributeValues: { ':userId': userId, ':guards': CATEGORY_GUARD_PREFIX },
  });
  for await (const item of items) categories.push(toCategory(item));
  return categories.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
}

export async function updateCategory(
  ctx: TrackerContext,
  userId: string,
  categoryId: string,
  input: UpdateCategoryInput,
): Promise<Category> {
  parseInput(UserIdSchema, userId);
  const { expectedVersion, ...fields } = parseInput(UpdateCategoryInputSchema, input);
  const current = await getCategory(ctx, userId, categoryId);
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw versionConflict(expectedVersion, current.version);
  }
  const next: Category = { ...current, updatedAt: ctx.now().toISOString(), version: current.version + 1 };
  for (const [field, value] of Object.entries(fields)) {
    if (value === null) delete (next as Record<string, unknown>)[field];
    else if (value !== undefined) (next as Record<string, unknown>)[field] = value;
  }
  const renamed = next.name.toLocaleLowerCase('en-US') !== current.name.toLocaleLowerCase('en-US');
  // taskCount moves with task writes, not with edits: only the edited fields are set, so a concurrent
  // task write's count change is never overwritten.
  const actions: WriteAction[] = [
    {
      Update: {
        TableName: ctx.tables.categories,
        Key: categoryKey(userId, categoryId),
        UpdateExpression: 'SET #name = :name, color = :color, updatedAt = :updatedAt, version = :next'.concat(
          next.icon === undefined ? ' REMOVE icon' : ', icon = :icon',
        ),
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: {
          ':name': next.name,
          ':color': next.color,
          ':updatedAt': next.updatedAt,
          ':next': next.version,
          ':version': current.version,
          ...(next.icon === undefined ? {} : { ':icon': next.icon }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    ...(renamed
      ? [guardDelete(ctx, userId, current.name), guardPut(ctx, userId, next.name, categoryId)]
      : []),
  ];
  try {
    await writeAtomically(ctx, actions);
  } catch (error) {
    if (!(error instanceof WriteCancelled)) throw error;
    const [own, , newGuard] = error.reasons;
    if (own?.code === 'ConditionalCheckFailed') {
      if (!own.item) throw notFound('category', categoryId);
      throw versionConflict(expectedVersion ?? current.version, Number(own.item.version));
    }
    if (newGuard?.code === 'ConditionalCheckFailed') throw nameTaken(next.name);
    throw new TaskTrackerError('INTERNAL_SERVER_ERROR', 'category write cancelled');
  }
  const latest = await readCategory(ctx, userId, categoryId);
  return latest ?? next;
}
