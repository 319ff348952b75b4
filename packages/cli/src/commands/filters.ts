import type { ListTasksQuery } from '@tasktracker/core';
import type { Command } from 'commander';
import type { Session } from '../runtime/session.ts';
import { parseDue, resolveCategoryId } from './parse.ts';

/** The list filters, shared by `tt tasks list` and `tt export`. */
export function addFilterOptions(command: Command): Command {
  return command
    .option('-s, --status <status>', 'open or done')
    .option('-c, --category <category>', 'category name or id')
    .option('-p, --priority <priority>', 'low, medium or high')
    .option('--due-before <when>', 'due on or before (date, today, +3d...)')
    .option('--due-after <when>', 'due on or after')
    .option('--search <q>', 'every word must appear in the title or description')
    .option('--sort <field>', 'createdAt (default), dueDate or priority')
    .option('--asc', 'ascending order')
    .option('--desc', 'descending order');
}

export interface ListFlags {
  status?: string;
  category?: string;
  priority?: string;
  dueBefore?: string;
  dueAfter?: string;
  search?: string;
  sort?: string;
  asc?: boolean;
  desc?: boolean;
  limit?: string;
  all?: boolean;
  cursor?: string;
}

export async function listQuery(session: Session, flags: ListFlags): Promise<ListTasksQuery> {
  const status = flags.status === 'done' ? 'completed' : flags.status;
  return {
    ...(status ? { status: status as 'open' } : {}),
    ...(flags.category
      ? { categoryId: await resolveCategoryId(session.tracker, session.userId, flags.category) }
      : {}),
    ...(flags.priority ? { priority: flags.priority as 'low' } : {}),
    ...(flags.dueBefore ? { dueBefore: parseDue(flags.dueBefore) } : {}),
    ...(flags.dueAfter ? { dueAfter: parseDue(flags.dueAfter) } : {}),
    ...(flags.search ? { q: flags.search } : {}),
    ...(flags.sort ? { sort: flags.sort as 'createdAt' } : {}),
    ...(flags.asc ? { order: 'asc' as const } : flags.desc ? { order: 'desc' as const } : {}),
    ...(flags.limit ? { limit: Number(flags.limit) } : {}),
    ...(flags.cursor ? { cursor: flags.cursor } : {}),
  };
}
