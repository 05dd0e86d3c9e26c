/** Batching of LF-tag values (lib/access/tag-values.ts): literal batches for a small size, and the real 50. */
import { describe, expect, it } from 'vitest';
import { batches, LF_TAG_VALUES_MAX, LF_TAG_VALUES_PER_CALL, tagValueUpdate } from '../../lib/access/tag-values.js';

describe('LF-tag value batches', () => {
  it('cuts values into consecutive batches of the size, in order', () => {
    expect(batches(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(batches(['a', 'b'], 2)).toEqual([['a', 'b']]);
    expect(batches([], 2)).toEqual([]);
    expect(() => batches(['a'], 0)).toThrow('size must be a positive integer, got 0');
  });

  it('uses Lake Formation limits: 50 per call, 1000 per tag', () => {
    expect([LF_TAG_VALUES_PER_CALL, LF_TAG_VALUES_MAX]).toEqual([50, 1000]);
    const values = Array.from({ length: 120 }, (_, i) => `d${i}`);
    // 120 = 50 + 50 + 20, counted by hand.
    expect(batches(values).map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches(values)[2]![0]).toBe('d100');
  });

  it('adds the wanted values the tag lacks and removes those that left the list, in batches', () => {
    // The tag holds a (first batch) and b, c; b left the list; d, e, f are new; c stays.
    expect(tagValueUpdate(['a', 'b', 'c'], ['b', 'c'], ['c', 'd', 'e', 'f'], 2)).toEqual({ add: [['d', 'e'], ['f']], remove: [['b']] });
    // A value lost meanwhile comes back; a value already gone is not removed twice.
    expect(tagValueUpdate(['a'], ['b', 'c'], ['b'], 2)).toEqual({ add: [['b']], remove: [] });
    // Run again on the result: nothing to send.
    expect(tagValueUpdate(['a', 'c', 'd', 'e', 'f'], ['c', 'd', 'e', 'f'], ['c', 'd', 'e', 'f'], 2)).toEqual({ add: [], remove: [] });
    expect(tagValueUpdate(['a', 'b', 'c'], ['b', 'c'], [], 1)).toEqual({ add: [], remove: [['b'], ['c']] });
  });
});
