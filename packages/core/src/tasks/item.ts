import { categoryIndexKey, dueIndexKey, priorityIndexKey, statusIndexKey } from '../dynamo/keys.ts';
import type { Task } from './schema.ts';

/** Attributes stored beside a task only to serve indexes and search; never returned to callers. */
export const DERIVED_ATTRIBUTES = [
  'statusKey',
  'categoryKey',
  'dueKey',
  'priorityKey',
  'searchText',
] as const;

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

export function toTask(item: Record<string, unknown>): Task {
  const task = { ...item };
  for (const attribute of DERIVED_ATTRIBUTES) delete task[attribute];
  return task as Task;
}
