// From an empty DynamoDB endpoint to an exported task list. Run it against DynamoDB Local with
//   AWS_ENDPOINT_URL=http://127.0.0.1:8000 AWS_REGION=us-east-1 \
//   AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local node quickstart.mjs
// or against AWS with your usual AWS_PROFILE / AWS_REGION (it creates four on-demand tables).
import { text } from 'node:stream/consumers';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTaskTracker, ensureTables, loadConfig } from '@tasktracker/core';

// Region, credentials and endpoint come from the SDK's standard chain (environment, profile, ...).
const client = new DynamoDBClient({});
// Table names: tasktracker-<STAGE>-* (STAGE defaults to dev), or TASKS_TABLE, CATEGORIES_TABLE, ...
const { tables } = loadConfig(process.env);

await ensureTables(client, tables); // creates what is missing, waits until ACTIVE; safe to re-run
console.log(`tables ready: ${Object.values(tables).join(', ')}`);

const tracker = createTaskTracker({ client, tables });
const user = 'alice';

// An idempotency key makes a create exactly-once: running this file again creates no duplicates.
const { result: milk, replayed } = await tracker.tasks.create(
  user,
  { title: 'Buy milk', priority: 'high', dueDate: '2026-12-01' },
  { idempotencyKey: 'quickstart-milk' },
);
const { result: plumber } = await tracker.tasks.create(
  user,
  { title: 'Call the plumber', dueDate: '2026-11-15' },
  { idempotencyKey: 'quickstart-plumber' },
);
console.log(`${replayed ? 'already created' : 'created'} "${milk.title}" and "${plumber.title}"`);

const open = await tracker.tasks.list(user, { status: 'open', sort: 'dueDate' });
console.log(`open, by due date: ${open.items.map((task) => task.title).join(', ')}`);

const done = await tracker.tasks.setCompleted(user, [milk.taskId], true);
console.log(`completed "${milk.title}": ${done.results[0]?.status}`);

const stillOpen = await tracker.tasks.list(user, { status: 'open' });
console.log(`still open: ${stillOpen.items.map((task) => task.title).join(', ')}`);

console.log('export (CSV):');
process.stdout.write(await text(tracker.tasks.export(user, {}, { format: 'csv' })));

client.destroy();
