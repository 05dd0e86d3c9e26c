/**
 * Search scores against numbers worked out by hand with BM25 (k1 = 1.2, b = 0.75, idf =
 * ln(1 + (N - df + 0.5) / (df + 0.5))) and the documented field weights (id and name 6, table 3,
 * description 1), on four products small enough to count every field's length:
 *
 *   alpha: description "widget widget gadget"  (description length 3, tf 2)
 *   beta:  description "widget"                (description length 1, tf 1)
 *   gamma: description "other words here", a table named "widget" (table length 1)
 *   delta: description "nothing relevant"
 *
 * N = 4, df(widget) = 3, idf = ln(1 + 1.5 / 3.5) = 0.35668; mean description length 9 / 4 = 2.25,
 * mean table length 1 / 4 = 0.25.
 *   alpha = 1 × 0.35668 × 2 × 2.2 / (2 + 1.2 × (0.25 + 0.75 × 3 / 2.25))   = 0.448
 *   beta  = 1 × 0.35668 × 2.2 / (1 + 1.2 × (0.25 + 0.75 × 1 / 2.25))       = 0.462
 *   gamma = 3 × 0.35668 × 2.2 / (1 + 1.2 × (0.25 + 0.75 × 1 / 0.25))       = 0.480
 */
import { describe, expect, it } from 'vitest';
import { SearchIndex, type CatalogDocument } from '../../lib/catalog/search.js';

function doc(id: string, description: string, tables: CatalogDocument['tables'] = []): CatalogDocument {
  return { id, name: id, domain: 'shop', description, tags: [], owners: [], tables };
}

const products = [doc('alpha', 'widget widget gadget'), doc('beta', 'widget'), doc('gamma', 'other words here', [{ name: 'widget', columns: [] }]), doc('delta', 'nothing relevant')];

describe('search scoring (BM25 with field weights)', () => {
  const index = SearchIndex.build(products);

  it('scores each product as BM25 times the weight of the field that matched', () => {
    expect(index.search('widget').map((h) => [h.id, h.score])).toEqual([
      ['gamma', 0.48],
      ['beta', 0.462],
      ['alpha', 0.448],
    ]);
  });

  it('counts a completed prefix at 0.8 and a typo at 0.6 of an exact match', () => {
    expect(index.search('widg').map((h) => [h.id, h.score])).toEqual([
      ['gamma', 0.384],
      ['beta', 0.369],
      ['alpha', 0.359],
    ]);
    expect(index.search('widgte').map((h) => [h.id, h.score])).toEqual([
      ['gamma', 0.288],
      ['beta', 0.277],
      ['alpha', 0.269],
    ]);
  });

  it('adds the exact-name bonus to a match in id and name', () => {
    // df(beta) = 1: idf = ln(1 + 3.5 / 1.5) = 1.20397; id and name (weight 6 each, length 1 = mean): 12 × 1.20397 + 10.
    expect(index.search('beta')).toEqual([{ id: 'beta', score: 24.448, matched: ['id:beta', 'name:beta'] }]);
  });

  it('keeps the same scores after a product is replaced and the index compacted', () => {
    const updated = SearchIndex.build(products);
    for (let i = 0; i < 3; i++) updated.upsert([doc('delta', 'nothing relevant')]);
    expect(updated.search('widget')).toEqual(index.search('widget'));
    expect(SearchIndex.fromSnapshot(updated.toSnapshot()).search('widget')).toEqual(index.search('widget'));
  });
});

describe('prefix completion', () => {
  // kit00 … kit69: "kit" completes to 70 terms, of which the first 64 in code-unit order are used.
  const kits = Array.from({ length: 70 }, (_, i) => doc(`kit${String(i).padStart(2, '0')}`, 'boxed'));
  const index = SearchIndex.build(kits);

  it('completes the last word to at most 64 index terms, the first in code-unit order', () => {
    const ids = index.search('kit', {}, 100).map((h) => h.id);
    expect(ids).toEqual(Array.from({ length: 64 }, (_, i) => `kit${String(i).padStart(2, '0')}`));
  });

  it('still finds a product past the cap by its whole word or a longer prefix', () => {
    expect(index.search('kit65').map((h) => h.id)[0]).toBe('kit65');
    // The ten completions first (0.8), then the near misses of "kit6" (kit06, kit16, …; 0.6).
    expect(index.search('kit6', {}, 100).map((h) => h.id).slice(0, 10)).toEqual(['kit60', 'kit61', 'kit62', 'kit63', 'kit64', 'kit65', 'kit66', 'kit67', 'kit68', 'kit69']);
  });
});
