import type { TrackerContext } from '../context.ts';
import { queryItems } from '../dynamo/query.ts';
import { notFound, TaskTrackerError } from '../errors.ts';
import { UlidSchema } from '../ids.ts';

/** Fewer characters than this would match too often to be worth a lookup. */
export const MIN_SHORT_ID = 4;

/**
 * Resolves what a person typed (a full id, or the end of one: the random part of a ULID, which the CLI
 * shows) to a task id of this user. Reads only the user's keys; ambiguity is an error listing the
 * candidates, never a guess.
 */
export async function resolveTaskId(ctx: TrackerContext, userId: string, reference: string): Promise<string> {
  const wanted = reference.trim().toUpperCase();
  if (UlidSchema.safeParse(wanted).success) return wanted;
  if (!/^[0-9A-Z]+$/.test(wanted) || wanted.length < MIN_SHORT_ID) {
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `"${reference}" is not a task id (give the full id or at least its last ${MIN_SHORT_ID} characters)`,
    );
  }
  const matches: string[] = [];
  const ids = queryItems(ctx, {
    TableName: ctx.tables.tasks,
    KeyConditionExpression: 'userId = :userId',
    ExpressionAttributeValues: { ':userId': userId },
    ProjectionExpression: 'taskId',
  });
  for await (const item of ids) {
    const id = String(item.taskId);
    if (id.endsWith(wanted)) matches.push(id);
    if (matches.length > 1) break;
  }
  if (matches.length === 0) throw notFound('task', reference);
  if (matches.length > 1) {
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `"${reference}" matches more than one task; give more characters`,
      {
        candidates: matches,
      },
    );
  }
  return matches[0] as string;
}
