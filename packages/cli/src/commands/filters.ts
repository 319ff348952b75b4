import type { ListTasksQuery } from '@tasktracker/core';
import type { Session } from '../runtime/session.ts';
import { parseDue, resolveCategoryId } from './parse.ts';

/** The flags of the list filters (registered by register/filters.ts), shared by tasks list and export. */
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
