import { describe, expect, it } from 'vitest';
import { TaskFilterSchema, type TaskTrackerError } from '../../src/index.ts';
import { planTaskQuery, reversedRanges } from '../../src/tasks/query-plan.ts';

const plan = (filter: Record<string, unknown>) => planTaskQuery('u1', TaskFilterSchema.parse(filter));

describe('query planner', () => {
  it('serves the default list from the table itself, newest first', () => {
    const p = plan({});
    expect(p.index).toBeUndefined();
    expect(p.forward).toBe(false);
    expect(p.filterExpression).toBeUndefined();
    expect(p.values[':pk']).toBe('u1');
  });

  it('puts each single filter in an index key scoped to the user', () => {
    expect(plan({ status: 'open' })).toMatchObject({ index: 'byStatus', values: { ':pk': 'u1#open' } });
    expect(plan({ categoryId: '01J0000000000000000000000A' })).toMatchObject({
      index: 'byCategory',
      values: { ':pk': 'u1#01J0000000000000000000000A' },
    });
    expect(plan({ priority: 'high' })).toMatchObject({ index: 'byPriority', values: { ':lo': '3#0' } });
    expect(plan({ sort: 'dueDate', dueBefore: '2026-12-01' })).toMatchObject({
      index: 'byDueDate',
      forward: true,
      values: { ':pk': 'u1', ':hi': '2026-12-01~' },
    });
    expect(plan({ sort: 'dueDate', status: 'open' })).toMatchObject({ index: 'byStatusDueDate' });
    for (const filter of [
      { status: 'open' },
      { priority: 'low' },
      { createdAfter: '2026-01-01T00:00:00Z' },
    ]) {
      expect(plan(filter).filterExpression, JSON.stringify(filter)).toBeUndefined();
    }
  });

  it('filters the rest after reading, and never scans', () => {
    const p = plan({ status: 'open', priority: 'high', q: 'Milk  bread' });
    expect(p.index).toBe('byStatus');
    expect(p.filterExpression).toContain('#priority = :priority');
    expect(p.values[':q0']).toBe('milk');
    expect(p.values[':q1']).toBe('bread');
  });

  it('sorts by priority, high first by default', () => {
    expect(plan({ sort: 'priority' })).toMatchObject({ index: 'byPriority', forward: false });
    expect(plan({ sort: 'priority', order: 'asc' }).forward).toBe(true);
  });

  it('takes a created bound before 1970 as the start of all ids, or as nothing to match', () => {
    const early = plan({ createdAfter: '1969-07-02T09:53:54Z' });
    expect(early.values[':lo']).toBe('0'.repeat(26));
    expect(early.matchesNothing).toBe(false);
    const ancient = plan({ createdBefore: '0007-01-01T00:00:00Z' });
    expect(ancient.matchesNothing).toBe(true);
    // Every index that serves a created range: none may throw for a pre-epoch bound.
    for (const extra of [{}, { priority: 'low' }, { status: 'open' }, { sort: 'dueDate' }]) {
      expect(() => plan({ ...extra, createdAfter: '0001-01-01T00:00:00Z' })).not.toThrow();
    }
  });

  it('refuses reversed ranges with a VALIDATION_ERROR naming the bound', () => {
    const refused = (filter: Record<string, unknown>) => {
      try {
        plan(filter);
      } catch (error) {
        return error as TaskTrackerError;
      }
      throw new Error(`${JSON.stringify(filter)} was planned`);
    };
    const created = refused({ createdAfter: '2026-02-01T00:00:00Z', createdBefore: '2026-01-01T00:00:00Z' });
    expect(created.code).toBe('VALIDATION_ERROR');
    expect(created.details).toEqual([expect.objectContaining({ path: ['createdAfter'] })]);
    const due = refused({ dueAfter: '2000-01-01', dueBefore: '0738-11-26', sort: 'dueDate' });
    expect(due.details).toEqual([expect.objectContaining({ path: ['dueAfter'] })]);
    // A later pre-epoch pair is still reversed: the order is checked before the epoch clamp.
    expect(
      refused({ createdAfter: '1969-01-01T00:00:00Z', createdBefore: '1960-01-01T00:00:00Z' }).code,
    ).toBe('VALIDATION_ERROR');
  });

  it('accepts ranges that touch: equal bounds, and an instant within the last due day', () => {
    const instant = '2026-01-01T00:00:00Z';
    expect(() => plan({ createdAfter: instant, createdBefore: instant })).not.toThrow();
    expect(() => plan({ dueAfter: '2026-01-01', dueBefore: '2026-01-01' })).not.toThrow();
    expect(() => plan({ dueAfter: '2026-01-01T10:00:00Z', dueBefore: '2026-01-01' })).not.toThrow();
    expect(
      reversedRanges(TaskFilterSchema.parse({ dueAfter: '2026-01-02', dueBefore: '2026-01-01' })),
    ).toHaveLength(1);
  });
});
