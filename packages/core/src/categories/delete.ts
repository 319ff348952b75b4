import type { TrackerContext } from '../context.ts';
import { categoryIndexKey, categoryKey, categoryNameGuardKey } from '../dynamo/keys.ts';
import { queryItems } from '../dynamo/query.ts';
import { TASK_INDEXES } from '../dynamo/tables.ts';
import { WriteCancelled, writeAtomically } from '../dynamo/write.ts';
import { TaskTrackerError, versionConflict } from '../errors.ts';
import { UserIdSchema } from '../ids.ts';
import { changeTasks, MAX_BULK_IDS } from '../tasks/bulk.ts';
import { applyTaskUpdate } from '../tasks/service.ts';
import { parseInput } from '../validation.ts';
import { type DeleteCategoryOptions, DeleteCategoryOptionsSchema } from './delete-options.ts';
import { getCategory } from './service.ts';

/** Rounds of emptying a category that keeps receiving tasks while we delete it. */
const EMPTYING_ROUNDS = 10;

/**
 * Deletes a category. A non-empty one is refused (CATEGORY_NOT_EMPTY) unless the caller says where its
 * tasks go: to another category (`reassignTo`) or to none (`uncategorize`). The delete itself is
 * conditional on taskCount = 0, so a task added meanwhile is never left pointing at nothing.
 */
export async function deleteCategory(
  ctx: TrackerContext,
  userId: string,
  categoryId: string,
  optionsInput: DeleteCategoryOptions = {},
): Promise<{ movedTasks: number }> {
  parseInput(UserIdSchema, userId);
  const options = parseInput(DeleteCategoryOptionsSchema, optionsInput);
  const target = options.reassignTo ?? (options.uncategorize ? null : undefined);
  if (target === categoryId) {
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      'reassignTo: cannot reassign tasks to the category being deleted',
    );
  }
  let movedTasks = 0;
  for (let round = 1; ; round++) {
    const category = await getCategory(ctx, userId, categoryId);
    if (options.expectedVersion !== undefined && options.expectedVersion !== category.version) {
      throw versionConflict(options.expectedVersion, category.version);
    }
    if (category.taskCount > 0) {
      if (target === undefined || round > EMPTYING_ROUNDS) {
        throw new TaskTrackerError(
          'CATEGORY_NOT_EMPTY',
          `The category still has ${category.taskCount} task(s)`,
          {
            taskCount: category.taskCount,
            hint: 'reassign its tasks to another category or leave them uncategorised',
          },
        );
      }
      if (target !== null) await getCategory(ctx, userId, target);
      const ids = await taskIdsInCategory(ctx, userId, categoryId);
      if (ids.length > 0) {
        const { counts } = await changeTasks(ctx, userId, ids, (task) =>
          applyTaskUpdate(task, { categoryId: target }, ctx.now()),
        );
        movedTasks += counts.updated;
      }
    }
    try {
      await writeAtomically(ctx, [
        {
          Delete: {
            TableName: ctx.tables.categories,
            Key: categoryKey(userId, categoryId),
            // The version read this round: a rename meanwhile moved the name guard, so the guard deleted
            // below would be the old one and the new name would stay taken for ever. Look again instead.
            ConditionExpression: 'taskCount = :zero AND version = :version',
            ExpressionAttributeValues: { ':zero': 0, ':version': category.version },
          },
        },
        { Delete: { TableName: ctx.tables.categories, Key: categoryNameGuardKey(userId, category.name) } },
      ]);
      return { movedTasks };
    } catch (error) {
      // Someone added a task (or the index lagged behind), or edited the category: look again.
      if (!(error instanceof WriteCancelled)) throw error;
    }
  }
}

/** Ids of a category's tasks, from the byCategory index (eventually consistent: the caller re-checks). */
async function taskIdsInCategory(ctx: TrackerContext, userId: string, categoryId: string): Promise<string[]> {
  const ids: string[] = [];
  const items = queryItems(ctx, {
    TableName: ctx.tables.tasks,
    IndexName: TASK_INDEXES.byCategory.name,
    KeyConditionExpression: 'categoryKey = :key',
    ExpressionAttributeValues: { ':key': categoryIndexKey(userId, categoryId) },
    ProjectionExpression: 'taskId',
  });
  // A round moves at most one bulk operation's worth; the caller loops until the category is empty.
  for await (const item of items) {
    ids.push(String(item.taskId));
    if (ids.length >= MAX_BULK_IDS) break;
  }
  return ids;
}
