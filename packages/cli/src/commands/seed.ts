import { isTaskTrackerError, TaskTrackerError } from '@tasktracker/core';
import { ExitCode, withSession } from '../runtime/action.ts';
import { interruptible } from '../runtime/interrupt.ts';
import { seedCategories, seedTasks } from '../seed/generate.ts';
import { findCategory } from './parse.ts';

const BATCH = 500;

const count = (value: string, name: string, max: number) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > max) {
    throw new TaskTrackerError('VALIDATION_ERROR', `--${name} must be a whole number from 0 to ${max}`);
  }
  return number;
};

export const seedSampleData = withSession(
  async (session, flags: { tasks: string; categories: string; seed: string }) => {
    const { tracker, userId, output } = session;
    const total = count(flags.tasks, 'tasks', 1_000_000);
    const seed = count(flags.seed, 'seed', 2 ** 32 - 1);
    const categoryIds: string[] = [];
    for (const wanted of seedCategories(count(flags.categories, 'categories', 100))) {
      try {
        categoryIds.push((await tracker.categories.create(userId, wanted)).result.categoryId);
      } catch (error) {
        if (!isTaskTrackerError(error, 'CATEGORY_NAME_TAKEN')) throw error;
        categoryIds.push(findCategory(await tracker.categories.list(userId), wanted.name).categoryId);
      }
    }
    const inputs = seedTasks(total, seed, categoryIds);
    const interrupt = interruptible();
    const tally = { created: 0, existing: 0, failed: 0 };
    try {
      for (let start = 0; start < inputs.length && !interrupt.signal.aborted; start += BATCH) {
        const batch = inputs.slice(start, start + BATCH).map((input, offset) => ({
          input,
          // Keyed by seed and position: a re-run (or a run after Ctrl-C) skips what exists.
          idempotencyKey: `seed:${seed}:${start + offset}`,
        }));
        for (const item of await tracker.tasks.createMany(userId, batch)) {
          if (item.status === 'created') tally.created++;
          else if (item.status === 'duplicate') tally.existing++;
          else tally.failed++;
        }
        output.progress('seeding', Math.min(start + BATCH, total), total);
      }
    } finally {
      interrupt.dispose();
    }
    const done = tally.created + tally.existing + tally.failed;
    output.result(
      { ...tally, categories: categoryIds.length, seed, requested: total, done },
      () =>
        `${tally.created} task(s) created, ${tally.existing} already there, ${categoryIds.length} categories` +
        (done < total ? `\nstopped after ${done} of ${total}; run the same command again to finish` : ''),
    );
    if (done < total) return new ExitCode(130);
    return tally.failed > 0 ? new ExitCode(1) : undefined;
  },
);
