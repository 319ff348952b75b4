/**
 * A process for crash.test.ts to SIGKILL: it creates one task per idempotency key, the way the handlers
 * and `tt tasks add --idempotency-key` do (core's createTask with the key), several at once so a kill
 * lands with writes in flight. One JSON line per answered key on stdout (synchronous on a pipe, so a
 * line written is a line the parent sees, even if the kill comes next).
 *
 * Input: the environment variable CRASH_WORKER, JSON of { endpoint, tables, userId, keys, concurrency }.
 */
import { createTaskTracker, type TableNames } from '@tasktracker/core';
import { localDynamoClient } from '@tasktracker/local';

interface WorkerInput {
  endpoint: string;
  tables: TableNames;
  userId: string;
  keys: string[];
  concurrency: number;
}

export interface WorkerAnswer {
  key: string;
  replayed: boolean;
  taskId: string;
  task: unknown;
}

/** The task's title names its key: the test counts tasks per key by title. */
export const titleFor = (key: string) => `crash task ${key}`;

async function main() {
  const input = JSON.parse(process.env.CRASH_WORKER ?? '') as WorkerInput;
  const client = localDynamoClient(input.endpoint);
  const tracker = createTaskTracker({ client, tables: input.tables });
  const queue = [...input.keys];
  const lane = async () => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      const { result, replayed } = await tracker.tasks.create(
        input.userId,
        { title: titleFor(key) },
        { idempotencyKey: key },
      );
      const answer: WorkerAnswer = { key, replayed, taskId: result.taskId, task: result };
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, lane));
  client.destroy();
}

if (process.env.CRASH_WORKER) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  });
}
