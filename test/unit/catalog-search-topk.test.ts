/** The bounded heap gives what sorting everything and keeping the first k gives. */
import { describe, expect, it } from 'vitest';
import { topK } from '../../lib/catalog/search-topk.js';

describe('topK', () => {
  it('equals sort-then-slice for every k, with ties broken by the order given', () => {
    // 200 candidates with many equal scores (0 to 19); ties broken by the candidate number.
    const scores = Array.from({ length: 200 }, (_, i) => (i * 7919) % 20);
    const before = (a: number, b: number): boolean => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
    const candidates = Array.from({ length: 200 }, (_, i) => (i * 37) % 200);
    const sorted = [...candidates].sort((a, b) => scores[b]! - scores[a]! || a - b);
    for (const k of [0, 1, 2, 10, 199, 200, 250]) expect(topK(candidates, k, before), `k=${k}`).toEqual(sorted.slice(0, k));
  });

  it('takes a typed array and an empty one', () => {
    expect(topK(new Uint32Array([5, 1, 9, 3]), 2, (a, b) => a > b)).toEqual([9, 5]);
    expect(topK(new Uint32Array(0), 5, (a, b) => a > b)).toEqual([]);
  });
});
