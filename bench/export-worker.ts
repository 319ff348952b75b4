/**
 * One export in a fresh process, so that its peak RSS is its own: `ours` streams CSV through the
 * service, `raw` is a paginated Query loop with the SDK that only counts items.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createTaskTracker } from '@tasktracker/core';
import { localDynamoClient } from '@tasktracker/local';
import { countByQuery } from './lib/query-count.ts';

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
  rows = await countByQuery(tracker.context.doc, tables.tasks, userId);
}
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({ mode, rows, bytes, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 }),
);
