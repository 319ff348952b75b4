import { UnreadableFile } from '@tasktracker/core';
import { describe, expect, it } from 'vitest';
import { ownerOf } from '../../src/imports/process.ts';

describe('import object keys', () => {
  it('takes the owner from imports/<userId>/ and refuses anything else', () => {
    expect(ownerOf('imports/alice/2026/tasks.csv')).toBe('alice');
    expect(() => ownerOf('imports/tasks.csv')).toThrow(UnreadableFile);
    expect(() => ownerOf('exports/alice/tasks.csv')).toThrow(UnreadableFile);
    expect(() => ownerOf('imports/bad#id/tasks.csv')).toThrow(UnreadableFile);
  });
});
