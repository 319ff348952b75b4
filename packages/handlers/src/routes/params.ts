import { getCategory, getTask } from '@tasktracker/core';
import * as z from 'zod/mini';
import { categoryETag, taskETag } from '../http/etag.ts';
import type { MatchTarget } from '../http/if-match.ts';
import type { Runtime } from '../runtime.ts';

/** Path ids are checked for shape by the services: a malformed id is simply not found (404). */
export const IdParamsSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(128)) });

/** A task as If-Match sees it: its tag `"<id>:<v>"` names the version, so checking it needs no read. */
export function taskMatchTarget(runtime: Runtime, userId: string, taskId: string) {
  return {
    resource: 'task',
    read: () => getTask(runtime.context, userId, taskId),
    etag: taskETag,
    pinnedVersion: (tag) => {
      const version = Number(/:(\d{1,15})"$/.exec(tag)?.[1]);
      // Only our own spelling of this task's tag pins a version ("<id>:03" is some other tag).
      return version > 0 && tag === taskETag({ taskId, version }) ? version : undefined;
    },
  } satisfies MatchTarget<{ version: number; taskId: string }>;
}

/** A category's tag also carries taskCount, which only the stored item can tell: it is read first. */
export function categoryMatchTarget(runtime: Runtime, userId: string, categoryId: string) {
  return {
    resource: 'category',
    read: () => getCategory(runtime.context, userId, categoryId),
    etag: categoryETag,
  } satisfies MatchTarget<{ version: number; categoryId: string; taskCount: number }>;
}
