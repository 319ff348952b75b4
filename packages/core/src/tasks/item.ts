import { categoryIndexKey, dueIndexKey, priorityIndexKey, statusIndexKey } from '../dynamo/keys.ts';
import type { Task } from './schema.ts';

export type TaskItem = Task & {
  statusKey: string;
  categoryKey?: string;
  dueKey: string;
  priorityKey: string;
  searchText: string;
};

/** Lower-cased title and description: `q` matches each term against it with contains(). */
export function searchTextOf(task: Pick<Task, 'title' | 'description'>): string {
  return `${task.title}\n${task.description ?? ''}`.toLocaleLowerCase('en-US');
}

export function toTaskItem(task: Task): TaskItem {
  return {
    ...task,
    statusKey: statusIndexKey(task.userId, task.completed),
    ...(task.categoryId ? { categoryKey: categoryIndexKey(task.userId, task.categoryId) } : {}),
    dueKey: dueIndexKey(task.dueDate, task.taskId),
    priorityKey: priorityIndexKey(task.priority, task.taskId),
    searchText: searchTextOf(task),
  };
}

/**
 * A task's fields in TaskSchema's order (a unit test holds the list to the schema; reading the schema's
 * shape here would build TaskSchema in every Lambda init).
 */
export const TASK_FIELDS = [
  'userId',
  'taskId',
  'title',
  'description',
  'completed',
  'priority',
  'categoryId',
  'dueDate',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof Task)[];

/**
 * The task stored in an item: index attributes dropped, fields in the schema's order (DynamoDB returns
 * attributes in no particular order; scripts reading --json deserve a stable document).
 */
export function toTask(item: Record<string, unknown>): Task {
  return pickFields(item, TASK_FIELDS) as Task;
}

export function pickFields(
  item: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (item[field] !== undefined) picked[field] = item[field];
  return picked;
}
