import type { BulkResult, Category, Task } from '@tasktracker/core';
import type { Color, Output } from '../runtime/output.ts';
import { renderTable } from './table.ts';

/** What the CLI shows of an id: the end of a ULID, its random part, which `tt` accepts back. */
export const SHORT_ID_LENGTH = 8;
export const shortId = (id: string) => id.slice(-SHORT_ID_LENGTH);

const DAY = 86_400_000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "today", "tomorrow", "in 3d", "2d ago" for a due date, relative to `now` in local time. */
export function relativeDue(dueDate: string, now = new Date()): string {
  const due = dueDate.length === 10 ? new Date(`${dueDate}T00:00:00`) : new Date(dueDate);
  const days = Math.round((startOfDay(due) - startOfDay(now)) / DAY);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  if (Math.abs(days) < 14) return days > 0 ? `in ${days}d` : `${-days}d ago`;
  return dueDate.slice(0, 10);
}

const PRIORITY_COLOR: Record<Task['priority'], Color> = { high: 'red', medium: 'yellow', low: 'gray' };

export function renderTasks(
  tasks: Task[],
  categories: Map<string, Category>,
  output: Output,
  now = new Date(),
) {
  if (tasks.length === 0) return 'No tasks.';
  const rows = tasks.map((task) => {
    const overdue = task.dueDate && !task.completed && relativeDue(task.dueDate, now).endsWith('ago');
    const due = task.dueDate ? relativeDue(task.dueDate, now) : '';
    return [
      output.paint('gray', shortId(task.taskId)),
      task.completed ? output.paint('green', 'done') : 'open',
      output.paint(PRIORITY_COLOR[task.priority], task.priority),
      overdue ? output.paint('red', due) : due === 'today' ? output.paint('yellow', due) : due,
      task.categoryId ? (categories.get(task.categoryId)?.name ?? shortId(task.categoryId)) : '',
      task.title.replace(/\s+/g, ' '),
    ];
  });
  return renderTable(['ID', 'STATUS', 'PRIORITY', 'DUE', 'CATEGORY', 'TITLE'], rows);
}

export function renderTask(task: Task, category: Category | undefined, output: Output): string {
  const rows: [string, string][] = [
    ['id', task.taskId],
    ['title', task.title],
    ['status', task.completed ? 'done' : 'open'],
    ['priority', output.paint(PRIORITY_COLOR[task.priority], task.priority)],
    ['due', task.dueDate ? `${task.dueDate} (${relativeDue(task.dueDate)})` : ''],
    ['category', category ? `${category.name} (${shortId(category.categoryId)})` : ''],
    ['description', task.description ?? ''],
    ['created', task.createdAt],
    ['updated', task.updatedAt],
    ['version', String(task.version)],
  ];
  return rows
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${output.paint('gray', name.padEnd(12))}${value}`)
    .join('\n');
}

const STATUS_COLOR: Record<string, Color> = {
  updated: 'green',
  deleted: 'green',
  not_found: 'yellow',
  conflict: 'red',
  failed: 'red',
};

export function renderBulk(result: BulkResult, output: Output): string {
  const rows = result.results.map((item) => [
    shortId(item.id),
    output.paint(STATUS_COLOR[item.status] ?? 'gray', item.status),
    item.message ?? '',
  ]);
  const summary = Object.entries(result.counts)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  return `${renderTable(['ID', 'RESULT', ''], rows)}\n${summary}`;
}

export function renderCategories(categories: Category[], output: Output): string {
  if (categories.length === 0) return 'No categories.';
  return renderTable(
    ['ID', 'NAME', 'TASKS', 'COLOR', 'ICON'],
    categories.map((category) => [
      output.paint('gray', shortId(category.categoryId)),
      category.name,
      String(category.taskCount),
      category.color,
      category.icon ?? '',
    ]),
  );
}
