import { describe, expect, it } from 'vitest';
import { categoryETag, contentETag, noneMatchHolds, parseTagList, taskETag } from '../../src/http/etag.ts';

describe('entity tags', () => {
  it('spells item tags from what changes their body', () => {
    expect(taskETag({ taskId: '01J00000000000000000000000', version: 3 })).toBe(
      '"01J00000000000000000000000:3"',
    );
    expect(categoryETag({ categoryId: '01J00000000000000000000001', version: 2, taskCount: 7 })).toBe(
      '"01J00000000000000000000001:2:7"',
    );
    expect(contentETag('{"data":[]}')).toBe(contentETag('{"data":[]}'));
    expect(contentETag('{"data":[]}')).not.toBe(contentETag('{"data":[1]}'));
  });

  it('reads If-Match / If-None-Match lists: *, strong and weak tags, bare versions, commas inside quotes', () => {
    expect(parseTagList(' * ')).toBe('*');
    expect(parseTagList('"a", W/"b" ,, 3')).toEqual([
      { weak: false, opaque: '"a"' },
      { weak: true, opaque: '"b"' },
      { version: '3' },
    ]);
    expect(parseTagList('"a,b"')).toEqual([{ weak: false, opaque: '"a,b"' }]);
    for (const bad of ['', ',', 'abc', '"a" "b"', '"unterminated', 'w/"lower"', '*, "a"', '"a"b"']) {
      expect(parseTagList(bad), bad).toBeUndefined();
    }
  });

  it('compares If-None-Match weakly and lets nothing unreadable produce a 304', () => {
    expect(noneMatchHolds(undefined, '"x"')).toBe(true);
    expect(noneMatchHolds('"x"', '"x"')).toBe(false);
    expect(noneMatchHolds('W/"x"', '"x"')).toBe(false);
    expect(noneMatchHolds('"y", "x"', '"x"')).toBe(false);
    expect(noneMatchHolds('*', '"x"')).toBe(false);
    expect(noneMatchHolds('"y"', '"x"')).toBe(true);
    expect(noneMatchHolds('x', '"x"')).toBe(true);
  });
});
