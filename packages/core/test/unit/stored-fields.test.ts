import { describe, expect, it } from 'vitest';
import { CATEGORY_FIELDS } from '../../src/categories/service.ts';
import { CategorySchema, TaskSchema } from '../../src/index.ts';
import { TASK_FIELDS } from '../../src/tasks/item.ts';

// Reads pick these fields from stored items; the lists are written out so that no Lambda init builds the
// whole TaskSchema or CategorySchema only to read their keys.
describe('stored field lists', () => {
  it('name every TaskSchema field, in its order', () => {
    expect([...TASK_FIELDS]).toEqual(Object.keys(TaskSchema.shape));
  });

  it('name every CategorySchema field, in its order', () => {
    expect([...CATEGORY_FIELDS]).toEqual(Object.keys(CategorySchema.shape));
  });
});
