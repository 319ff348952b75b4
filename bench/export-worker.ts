/**
 * One export in a fresh process, so that its peak RSS is its own: `ours` streams CSV through the
 * service, `raw` is a paginated Query loop with the SDK that only counts items.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createTaskTracker } from '@tasktracker/core';
import { localDynamoClient } from '@tasktracker/local';

const [mode, endpoint, tablesJson, userId] = process.argv.slice(2) as [string, string, string, string];
const tables = JSON.parse(tablesJson);
const tracker = createTaskTracker({ client: localDynamoClient(endpoint), tables });
const started = performance.now();
let rows = 0;
let bytes = 0;
if (mode === 'ours') {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  await pipeline(tracker.tasks.export(userId, {}, { onRow: (count) => (rows = count) }), sink);
} else {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await tracker.context.doc.send(
      new QueryCommand({
        TableName: tables.tasks,
        KeyConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': userId },
        ExclusiveStartKey: startKey,
        Limit: 1000,
        ScanIndexForward: false,
      }),
    );
    rows += page.Items?.length ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({ mode, rows, bytes, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 }),
);
