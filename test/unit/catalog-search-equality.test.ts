/**
 * The compact index answers exactly as BM25 computed by brute force: for every product and every
 * query, each field's term counts and lengths are counted again here from the documents, and the
 * score is summed from the formula (k1 = 1.2, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
 * the documented field weights, 0.8 for a completed prefix (at most the first 64 completions in
 * code-unit order), 0.6 for a typo sharing a trigram within edit distance 1 (words of 4–5 letters)
 * or 2, plus 10 per word when the query is the product's id or name).
 */
import { distance } from 'fastest-levenshtein';
import { describe, expect, it } from 'vitest';
import { corpus, queries } from '../../bench/catalog-search.js';
import { SearchIndex, tokenize, type CatalogDocument, type SearchFilters, type SearchHit } from '../../lib/catalog/search.js';

const WEIGHTS = { id: 6, name: 6, tag: 4, domain: 3, table: 3, column: 2, owner: 2, description: 1, columnDescription: 0.5 } as const;
type Field = keyof typeof WEIGHTS;

interface Counted {
  readonly doc: CatalogDocument;
  readonly tf: Map<Field, Map<string, number>>;
  readonly length: Map<Field, number>;
  readonly classifications: Set<string>;
}

function count(doc: CatalogDocument): Counted {
  const texts: [Field, string | undefined][] = [
    ['id', doc.id],
    ['name', doc.name],
    ['domain', doc.domain],
    ['description', doc.description],
    ...doc.tags.map((t): [Field, string] => ['tag', t]),
    ...doc.owners.map((o): [Field, string] => ['owner', o]),
    ...doc.tables.flatMap((t): [Field, string | undefined][] => [['table', t.name], ['description', t.description], ...t.columns.flatMap((c): [Field, string | undefined][] => [['column', c.name], ['columnDescription', c.description]])]),
  ];
  const tf = new Map<Field, Map<string, number>>();
  const length = new Map<Field, number>();
  for (const [field, text] of texts) {
    for (const word of tokenize(text ?? '')) {
      const m = tf.get(field) ?? new Map<string, number>();
      m.set(word, (m.get(word) ?? 0) + 1);
      tf.set(field, m);
      length.set(field, (length.get(field) ?? 0) + 1);
    }
  }
  const classifications = new Set(doc.tables.flatMap((t) => t.columns.flatMap((c) => (c.classification === undefined ? [] : [c.classification]))));
  return { doc, tf, length, classifications };
}

const grams = (w: string): Set<string> => new Set(Array.from({ length: w.length + 1 }, (_, i) => `  ${w} `.slice(i, i + 3)));

interface Prepared {
  readonly counted: readonly Counted[];
  readonly vocabulary: readonly string[];
  readonly df: ReadonlyMap<string, number>;
  readonly average: ReadonlyMap<Field, number>;
}

const prepared = new WeakMap<readonly CatalogDocument[], Prepared>();

function prepare(docs: readonly CatalogDocument[]): Prepared {
  const counted = docs.map(count);
  const df = new Map<string, number>();
  for (const c of counted) for (const term of new Set([...c.tf.values()].flatMap((m) => [...m.keys()]))) df.set(term, (df.get(term) ?? 0) + 1);
  const vocabulary = [...df.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const average = new Map((Object.keys(WEIGHTS) as Field[]).map((f) => [f, counted.reduce((s, c) => s + (c.length.get(f) ?? 0), 0) / docs.length || 1]));
  return { counted, vocabulary, df, average };
}

function bruteForce(docs: readonly CatalogDocument[], text: string, filters: SearchFilters, limit: number): SearchHit[] {
  if (!prepared.has(docs)) prepared.set(docs, prepare(docs));
  const { counted, vocabulary, df, average } = prepared.get(docs)!;
  const passes = (c: Counted): boolean =>
    (filters.domain === undefined || c.doc.domain === filters.domain) &&
    (filters.tag === undefined || c.doc.tags.includes(filters.tag)) &&
    (filters.owner === undefined || c.doc.owners.includes(filters.owner)) &&
    (filters.classification === undefined || c.classifications.has(filters.classification));
  const words = tokenize(text);
  if (words.length === 0) {
    const ids = counted.filter(passes).map((c) => c.doc.id);
    return ids.sort((a, b) => (a < b ? -1 : 1)).slice(0, limit).map((id) => ({ id, score: 0, matched: [] }));
  }
  const n = docs.length;
  const scores = new Map<Counted, { score: number; matched: Set<string> }>();
  words.forEach((word, w) => {
    const terms = new Map<string, number>();
    if (df.has(word)) terms.set(word, 1);
    if (w === words.length - 1 && word.length >= 2) for (const t of vocabulary.filter((v) => v.startsWith(word) && v !== word).slice(0, 64)) terms.set(t, 0.8);
    if (!df.has(word) && word.length >= 4) {
      const allowed = word.length <= 5 ? 1 : 2;
      const mine = grams(word);
      for (const t of vocabulary) if (Math.abs(t.length - word.length) <= allowed && [...grams(t)].some((g) => mine.has(g)) && distance(t, word) <= allowed) terms.set(t, Math.max(terms.get(t) ?? 0, 0.6));
    }
    for (const [term, factor] of terms) {
      const idf = Math.log(1 + (n - df.get(term)! + 0.5) / (df.get(term)! + 0.5));
      for (const c of counted) {
        if (!passes(c)) continue;
        for (const [field, m] of c.tf) {
          const tf = m.get(term);
          if (tf === undefined) continue;
          const bm25 = (tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * c.length.get(field)!) / average.get(field)!));
          const entry = scores.get(c) ?? { score: 0, matched: new Set<string>() };
          entry.score += factor * WEIGHTS[field] * idf * bm25;
          entry.matched.add(`${field}:${term}`);
          scores.set(c, entry);
        }
      }
    }
  });
  const phrase = words.join(' ');
  for (const [c, entry] of scores) if (tokenize(c.doc.id).join(' ') === phrase || tokenize(c.doc.name).join(' ') === phrase) entry.score += 10 * words.length;
  return [...scores]
    .sort(([a, x], [b, y]) => y.score - x.score || a.doc.id.localeCompare(b.doc.id))
    .slice(0, limit)
    .map(([c, entry]) => ({ id: c.doc.id, score: Math.round(entry.score * 1000) / 1000, matched: [...entry.matched].sort() }));
}

const docs = corpus(1500);
const asked: { text: string; filters: SearchFilters }[] = [
  ...queries(40),
  // "11" completes to 111 terms (11, 110–119, 1100–1199): the cap of 64 applies.
  { text: 'order 11', filters: {} },
  { text: 'custmer', filters: {} },
  { text: 'payment daily', filters: { domain: 'domain-07' } },
  { text: 'invoice', filters: { tag: 'daily', owner: 'order-team' } },
  { text: '', filters: { classification: 'restricted' } },
  { text: docs[3]!.name, filters: {} },
];

describe('search against brute-force BM25', () => {
  it('gives the same hits, scores and matches for every query, filters included', () => {
    const index = SearchIndex.build(docs);
    for (const q of asked) expect(index.search(q.text, q.filters, 10), JSON.stringify(q)).toEqual(bruteForce(docs, q.text, q.filters, 10));
  });

  it('still does after products were replaced, added and removed, and the index saved and restored', () => {
    const index = SearchIndex.build(docs.slice(0, 1400));
    const renamed = docs.slice(0, 50).map((d) => ({ ...d, name: `${d.name} zeppelin`, description: `${d.description} refund claim` }));
    index.upsert([...renamed, ...docs.slice(1400)]);
    for (const d of docs.slice(50, 60)) index.remove(d.id);
    const final = [...renamed, ...docs.slice(60)];
    // "zeppelin" is new to the index: its typo "zepelin" needs the trigrams of terms added since the base.
    const all = [...asked, { text: 'refund clai', filters: {} }, { text: 'zepelin', filters: {} }];
    const expected = all.map((q) => bruteForce(final, q.text, q.filters, 10));
    // Before the merge (the changes wait beside the base), then after a save and restore.
    all.forEach((q, i) => expect(index.search(q.text, q.filters, 10), JSON.stringify(q)).toEqual(expected[i]));
    const restored = SearchIndex.fromSections(index.toSections());
    all.forEach((q, i) => expect(restored.search(q.text, q.filters, 10), JSON.stringify(q)).toEqual(expected[i]));
  });
});
