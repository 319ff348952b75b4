import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TaskTrackerError } from '@tasktracker/core';
import { ExitCode, withSession } from '../runtime/action.ts';
import { interruptible } from '../runtime/interrupt.ts';
import { type ListFlags, listQuery } from './filters.ts';

export const exportTasks = withSession(
  async (session, flags: ListFlags & { format?: string; output?: string }) => {
    const { tracker, userId, output } = session;
    const format = flags.format ?? (flags.output?.endsWith('.jsonl') ? 'jsonl' : 'csv');
    if (format !== 'csv' && format !== 'jsonl') {
      throw new TaskTrackerError('VALIDATION_ERROR', `--format must be csv or jsonl, not "${format}"`);
    }
    const { limit: _limit, cursor: _cursor, ...filter } = await listQuery(session, flags);
    let rows = 0;
    const stream = tracker.tasks.export(userId, filter, {
      format,
      onRow: (count) => {
        rows = count;
        if (count % 500 === 0) output.progress('exporting', count);
      },
    });
    const interrupt = interruptible();
    const stopper = new Transform({
      transform(chunk, _encoding, done) {
        done(interrupt.signal.aborted ? new Interrupted() : null, chunk);
      },
    });
    // A file is written under a temporary name and renamed at the end: never a half file by its name.
    const partial = flags.output ? `${flags.output}.partial` : undefined;
    try {
      await pipeline(stream, stopper, partial ? createWriteStream(partial) : process.stdout);
      if (partial && flags.output) await rename(partial, flags.output);
    } catch (error) {
      if (partial) await rm(partial, { force: true });
      if (!(error instanceof Interrupted)) throw error;
      output.endProgress();
      output.note(`stopped after ${rows} task(s); nothing was written to ${flags.output ?? 'a file'}`);
      return new ExitCode(130);
    } finally {
      interrupt.dispose();
    }
    output.endProgress();
    if (flags.output) output.note(`exported ${rows} task(s) to ${flags.output}`);
    return undefined;
  },
);

class Interrupted extends Error {}
