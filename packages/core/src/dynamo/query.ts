import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { TrackerContext } from '../context.ts';
import { asUnavailable } from './errors.ts';

/**
 * The items of a Query, page after page until DynamoDB has no more (or the consumer stops): the one
 * pagination loop for reads that want everything in a small partition (categories, ids).
 */
export async function* queryItems(
  ctx: TrackerContext,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc
      .send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }))
      .catch((error: unknown) => {
        throw asUnavailable(error);
      });
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
