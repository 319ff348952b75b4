import type { TrackerContext } from '../context.ts';
import { categoryKey } from '../dynamo/keys.ts';
import type { WriteAction } from '../dynamo/write.ts';

/**
 * Adds `delta` to a category's taskCount, on the condition that the category exists: this is the
 * ConditionCheck that keeps every task's category real, and the count exact, in the same transaction as
 * the task write. (An Update without the condition would create a phantom category.)
 */
export function adjustTaskCountAction(
  ctx: TrackerContext,
  userId: string,
  categoryId: string,
  delta: number,
): WriteAction {
  return {
    Update: {
      TableName: ctx.tables.categories,
      Key: categoryKey(userId, categoryId),
      UpdateExpression: 'ADD taskCount :delta',
      ConditionExpression: 'attribute_exists(categoryId)',
      ExpressionAttributeValues: { ':delta': delta },
    },
  };
}

/** Net change per category of moving tasks: +1 for each new category, -1 for each old one. */
export function categoryDeltas(moves: { from?: string | undefined; to?: string | undefined }[]) {
  const deltas = new Map<string, number>();
  for (const { from, to } of moves) {
    if (from === to) continue;
    if (from) deltas.set(from, (deltas.get(from) ?? 0) - 1);
    if (to) deltas.set(to, (deltas.get(to) ?? 0) + 1);
  }
  for (const [id, delta] of deltas) if (delta === 0) deltas.delete(id);
  return deltas;
}
