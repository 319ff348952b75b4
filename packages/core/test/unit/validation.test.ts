import { describe, expect, it } from 'vitest';
import { CreateTaskInputSchema, ListTasksQuerySchema, parseInput } from '../../src/index.ts';

function detailsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return (error as { code: string; details: unknown }).details;
  }
  throw new Error('expected a VALIDATION_ERROR');
}

describe('parseInput', () => {
  // The schemas use zod/mini, which has no messages of its own ("Invalid input" for everything).
  it('explains every offending path in English', () => {
    expect(
      detailsOf(() => parseInput(CreateTaskInputSchema, { title: ' ', priority: 'urgent', x: 1 })),
    ).toEqual([
      { path: ['title'], message: 'Too small: expected string to have >=1 characters' },
      { path: ['priority'], message: 'Invalid option: expected one of "low"|"medium"|"high"' },
      { path: [], message: 'Unrecognized key: "x"' },
    ]);
    expect(detailsOf(() => parseInput(ListTasksQuerySchema, { limit: '500' }))).toEqual([
      { path: ['limit'], message: 'Too big: expected number to be <=100' },
    ]);
  });

  it('trims, coerces and fills defaults', () => {
    expect(parseInput(CreateTaskInputSchema, { title: '  Buy milk ' })).toEqual({
      title: 'Buy milk',
      completed: false,
      priority: 'medium',
    });
    expect(parseInput(ListTasksQuerySchema, { limit: '7' })).toMatchObject({ limit: 7, sort: 'createdAt' });
  });
});
