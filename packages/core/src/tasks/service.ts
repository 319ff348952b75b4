import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type * as z from 'zod/mini';
import { adjustTaskCountAction, categoryDeltas } from '../categories/counter.ts';
import type { TrackerContext } from '../context.ts';
import type { CancellationReason } from '../dynamo/errors.ts';
import { asUnavailable } from '../dynamo/errors.ts';
import { taskKey } from '../dynamo/keys.ts';
import { sleep } from '../dynamo/retry.ts';
import { type WriteAction, WriteCancelled, writeAtomically } from '../dynamo/write.ts';
import { notFound, TaskTrackerError, versionConflict } from '../errors.ts';
import { type Outcome, writeIdempotently } from '../idempotency/transactional.ts';
import { UlidSchema, UserIdSchema } from '../ids.ts';
import { parseInput } from '../validation.ts';
import { type CreateTaskInput, CreateTaskInputSchema } from './create-input.ts';
import { toTask, toTaskItem } from './item.ts';
import type { Task } from './schema.ts';
import { type UpdateTaskInput, UpdateTaskInputSchema } from './update-input.ts';

/** Monotonic within a process, so tasks created in the same millisecond keep their creation order. */
const nextTaskId = monotonicFactory();

export interface IdempotencyOptions {
  idempotencyKey?: string;
}

/**
 * A task that names a category the user does not have: the request is well formed, what it refers to is
 * not there, so it is the 404 a bulk move to that category and a read of it answer too.
 */
export function missingCategory(categoryId: string): TaskTrackerError {
  return notFound('category', categoryId);
}

/** Builds the task a create request describes; the id is minted from the clock, so it sorts by creation. */
export function newTask(ctx: TrackerContext, userId: string, input: CreateTaskInput): Task {
  const parsed = parseInput(CreateTaskInputSchema, input);
  const now = ctx.now();
  return {
    userId,
    taskId: nextTaskId(now.getTime()),
    ...parsed,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
}

export function newTaskPutAction(ctx: TrackerContext, task: Task): WriteAction {
  return {
    Put: {
      TableName: ctx.tables.tasks,
      Item: toTaskItem(task),
      ConditionExpression: 'attribute_not_exists(taskId)',
    },
  };
}

/** The actions that create a task: the task itself and, if it has one, its category's count. */
export function createTaskActions(ctx: TrackerContext, task: Task): WriteAction[] {
  return [
    newTaskPutAction(ctx, task),
    ...(task.categoryId ? [adjustTaskCountAction(ctx, task.userId, task.categoryId, 1)] : []),
  ];
}

export async function createTask(
  ctx: TrackerContext,
  userId: string,
  input: CreateTaskInput,
  options: IdempotencyOptions = {},
): Promise<Outcome<Task>> {
  parseInput(UserIdSchema, userId);
  const task = newTask(ctx, userId, input);
  const request = options.idempotencyKey
    ? {
        userId,
        key: options.idempotencyKey,
        operation: 'createTask',
        payload: parseInput(CreateTaskInputSchema, input),
      }
    : undefined;
  const outcome = await writeIdempotently(
    ctx,
    request,
    { actions: createTaskActions(ctx, task), result: task },
    (reasons) => {
      if (task.categoryId && reasons[1]?.code === 'ConditionalCheckFailed')
        throw missingCategory(task.categoryId);
      throw new TaskTrackerError('INTERNAL_SERVER_ERROR', `task write cancelled: ${codesOf(reasons)}`);
    },
  );
  ctx.logger.debug({ taskId: outcome.result.taskId, replayed: outcome.replayed }, 'task created');
  return outcome;
}

export async function getTask(ctx: TrackerContext, userId: string, taskId: string): Promise<Task> {
  parseInput(UserIdSchema, userId);
  const found = await readTask(ctx, userId, taskId);
  if (!found) throw notFound('task', taskId);
  return found;
}

/** A consistent read; undefined when absent. A malformed id cannot exist, so it is simply absent. */
export async function readTask(
  ctx: TrackerContext,
  userId: string,
  taskId: string,
): Promise<Task | undefined> {
  if (!UlidSchema.safeParse(taskId).success) return undefined;
  try {
    const { Item } = await ctx.doc.send(
      new GetCommand({ TableName: ctx.tables.tasks, Key: taskKey(userId, taskId), ConsistentRead: true }),
    );
    return Item ? toTask(Item) : undefined;
  } catch (error) {
    throw asUnavailable(error);
  }
}

const codesOf = (reasons: CancellationReason[]) => reasons.map((reason) => reason.code).join(',');

/** How many times a write without expectedVersion re-reads and retries after losing a race. */
const RACE_RETRIES = 5;
const RACE_PAUSE_MS = 10;

/**
 * Reads the task, applies `change`, and writes it on the condition that nobody wrote in between.
 * With an expectedVersion the caller owns the race: a mismatch is VERSION_CONFLICT with the current
 * version. Without one we re-read and re-apply, so concurrent partial updates never lose each other.
 */
async function writeWithVersionCheck(
  ctx: TrackerContext,
  userId: string,
  taskId: string,
  expectedVersion: number | undefined,
  change: (current: Task) => {
    actions: WriteAction[];
    categoryId?: string | undefined;
    result: Task | undefined;
  },
): Promise<Task | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await readTask(ctx, userId, taskId);
    if (!current) throw notFound('task', taskId);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw versionConflict(expectedVersion, current.version);
    }
    const { actions, categoryId, result } = change(current);
    try {
      await writeAtomically(ctx, actions);
      return result;
    } catch (error) {
      if (!(error instanceof WriteCancelled)) throw error;
      const [taskReason, ...categoryReasons] = error.reasons;
      if (taskReason?.code === 'ConditionalCheckFailed') {
        const now = taskReason.item as Task | undefined;
        if (!now) throw notFound('task', taskId);
        if (expectedVersion !== undefined) throw versionConflict(expectedVersion, now.version);
        if (attempt < RACE_RETRIES) {
          // A random pause, growing per attempt, so racers that collided do not collide again in step.
          await sleep(Math.random() * RACE_PAUSE_MS * attempt);
          continue;
        }
        throw versionConflict(current.version, now.version);
      }
      if (categoryId && categoryReasons.some((reason) => reason.code === 'ConditionalCheckFailed')) {
        throw missingCategory(categoryId);
      }
      throw new TaskTrackerError('INTERNAL_SERVER_ERROR', `task write cancelled: ${codesOf(error.reasons)}`);
    }
  }
}

const versionCondition = (version: number) => ({
  ConditionExpression: 'version = :version',
  ExpressionAttributeValues: { ':version': version },
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
});

export function applyTaskUpdate(current: Task, input: z.output<typeof UpdateTaskInputSchema>, now: Date) {
  const { expectedVersion: _ignored, ...fields } = input;
  const next: Task = { ...current, updatedAt: now.toISOString(), version: current.version + 1 };
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value === null) delete (next as Record<string, unknown>)[field];
    else (next as Record<string, unknown>)[field] = value;
  }
  return next;
}

/** The actions that replace a task with its next version, and move its count between categories. */
export function replaceTaskActions(ctx: TrackerContext, current: Task, next: Task): WriteAction[] {
  const deltas = categoryDeltas([{ from: current.categoryId, to: next.categoryId }]);
  return [
    putNextVersionAction(ctx, current, next),
    ...[...deltas].map(([categoryId, delta]) =>
      adjustTaskCountAction(ctx, current.userId, categoryId, delta),
    ),
  ];
}

export async function updateTask(
  ctx: TrackerContext,
  userId: string,
  taskId: string,
  input: UpdateTaskInput,
): Promise<Task> {
  parseInput(UserIdSchema, userId);
  const parsed = parseInput(UpdateTaskInputSchema, input);
  const updated = await writeWithVersionCheck(ctx, userId, taskId, parsed.expectedVersion, (current) => {
    const next = applyTaskUpdate(current, parsed, ctx.now());
    return { actions: replaceTaskActions(ctx, current, next), categoryId: next.categoryId, result: next };
  });
  return updated as Task;
}

export async function deleteTask(
  ctx: TrackerContext,
  userId: string,
  taskId: string,
  options: { expectedVersion?: number } = {},
): Promise<void> {
  parseInput(UserIdSchema, userId);
  await writeWithVersionCheck(ctx, userId, taskId, options.expectedVersion, (current) => ({
    actions: deleteTaskActions(ctx, current),
    result: undefined,
  }));
}

/** Replaces a task on the condition that it is still at the version we read. */
export function putNextVersionAction(ctx: TrackerContext, current: Task, next: Task): WriteAction {
  return {
    Put: { TableName: ctx.tables.tasks, Item: toTaskItem(next), ...versionCondition(current.version) },
  };
}

/** Deletes a task on the condition that it is still at the version we read. */
export function deleteVersionAction(ctx: TrackerContext, current: Task): WriteAction {
  return {
    Delete: {
      TableName: ctx.tables.tasks,
      Key: taskKey(current.userId, current.taskId),
      ...versionCondition(current.version),
    },
  };
}

export function deleteTaskActions(ctx: TrackerContext, current: Task): WriteAction[] {
  return [
    deleteVersionAction(ctx, current),
    ...(current.categoryId ? [adjustTaskCountAction(ctx, current.userId, current.categoryId, -1)] : []),
  ];
}
