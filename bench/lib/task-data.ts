/**
 * A user's tasks with every filter worth something: spread over a year of creation dates, 8 categories
 * (and some tasks in none), 30% completed, three priorities, due dates over six months (and some none),
 * and one search term in 5% of descriptions. Items are built with the service's own item mapper, so the
 * raw loops and the service move the same bytes.
 */
import { PRIORITIES, type Task } from '@tasktracker/core';
import { ulid } from 'ulid';
import { type TaskItem, toTaskItem } from '../../packages/core/src/tasks/item.ts';

const DAY = 86_400_000;
/** Fixed, so that date filters select the same share of tasks in every run. */
export const DATA_START = Date.UTC(2026, 0, 1);
export const SEARCH_TERM = 'urgent';
export const CATEGORY_COUNT = 8;

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Category ids are ULIDs minted per data set. No category items are written: filtering and changing
 * completion never read them (a bulk update moving no task between categories adjusts no count).
 */
export function categoryIds(): string[] {
  return Array.from({ length: CATEGORY_COUNT }, (_, i) => ulid(DATA_START + i));
}

export function taskItems(userId: string, count: number, categories: string[]): TaskItem[] {
  const step = (365 * DAY) / count;
  return Array.from({ length: count }, (_, i) => {
    const created = Math.floor(DATA_START + i * step);
    const category = categories[i % (CATEGORY_COUNT + 1)];
    const task: Task = {
      userId,
      taskId: ulid(created),
      title: `Benchmark task ${i}`,
      description: `Row ${i} of the data-path benchmark${i % 20 === 0 ? `, ${SEARCH_TERM}` : ''}`,
      completed: i % 10 < 3,
      priority: PRIORITIES[i % 3] ?? 'medium',
      ...(category ? { categoryId: category } : {}),
      ...(i % 5 === 4 ? {} : { dueDate: isoDate(DATA_START + ((i * 7) % 180) * DAY) }),
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created).toISOString(),
      version: 1,
    };
    return toTaskItem(task);
  });
}

/** An ISO instant `days` after the data set's first task. */
export const dayOf = (days: number) => new Date(DATA_START + days * DAY).toISOString();
export const dateOf = (days: number) => isoDate(DATA_START + days * DAY);
