import { createInterface } from 'node:readline/promises';
import { TaskTrackerError } from '@tasktracker/core';

/**
 * Asks before destroying data. Without a terminal to ask on, refuses unless --yes was given: a script
 * must say what it means.
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `${question} Refusing without --yes when not on a terminal`,
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
