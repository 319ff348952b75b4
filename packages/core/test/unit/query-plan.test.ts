import { describe, expect, it } from 'vitest';
import { TaskFilterSchema } from '../../src/index.ts';
import { planTaskQuery } from '../../src/tasks/query-plan.ts';

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
});
