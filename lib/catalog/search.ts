/**
 * Catalog search without a search cluster: an in-memory inverted index over the products' names,
 * tags, descriptions, tables, columns and owners, with field weights, BM25 scoring, prefix matching
 * for the word being typed, and tolerance for small typos (candidate terms found through a trigram
 * index, confirmed by edit distance). The index serializes to plain JSON, so a Lambda loads a
 * snapshot at cold start instead of querying a cluster.
 */
import { distance } from 'fastest-levenshtein';

export interface CatalogDocument {
  /** The product id. */
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly owners: readonly string[];
  readonly tables: readonly { readonly name: string; readonly description?: string; readonly columns: readonly { readonly name: string; readonly description?: string; readonly classification?: string }[] }[];
}

export interface SearchFilters {
  readonly domain?: string;
  readonly tag?: string;
  readonly classification?: string;
  readonly owner?: string;
}

export interface SearchHit {
  readonly id: string;
  readonly score: number;
  /** Which fields matched which query words, for display. */
  readonly matched: readonly string[];
}

type Field = 'id' | 'name' | 'tag' | 'table' | 'column' | 'owner' | 'domain' | 'description' | 'columnDescription';

/** How much a match in each field counts. */
const FIELD_WEIGHTS: Readonly<Record<Field, number>> = {
  id: 6,
  name: 6,
  tag: 4,
  domain: 3,
  table: 3,
  column: 2,
  owner: 2,
  description: 1,
  columnDescription: 0.5,
};
const FIELDS = Object.keys(FIELD_WEIGHTS) as Field[];
const F = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;
const K1 = 1.2;
const B = 0.75;
/** Matches found by typo tolerance or prefix count less than exact ones. */
const TYPO_FACTOR = 0.6;
const PREFIX_FACTOR = 0.8;
/** Added per query word when the whole query is the product's id or name. */
const EXACT_NAME_BONUS = 10;

/**
 * A term's postings, flat: (document slot, field index, term frequency) triples one after another.
 * Flat number arrays, not one small array per posting, keep building 10,000 products' index cheap
 * for the garbage collector and the snapshot small.
 */
type Postings = number[];

export interface SearchIndexSnapshot {
  readonly version: 2;
  readonly docs: readonly {
    readonly id: string;
    readonly domain: string;
    readonly tags: readonly string[];
    readonly owners: readonly string[];
    readonly classifications: readonly string[];
    readonly lengths: readonly number[];
    /** The id's and the name's words, for the exact-name boost. */
    readonly names: readonly string[];
  }[];
  readonly postings: Readonly<Record<string, readonly number[]>>;
}

type DocMeta = SearchIndexSnapshot['docs'][number];

/**
 * The index is updated in place: `upsert` retires a product's old entry (its postings stay until
 * the next compaction and are skipped while searching) and adds the new one, so refreshing the
 * index after a few products changed costs only those products. Compaction renumbers the live
 * entries when retired ones reach a quarter of them.
 */
export class SearchIndex {
  private docs: (DocMeta | undefined)[] = [];
  private readonly slots = new Map<string, number>();
  private postings = new Map<string, Postings>();
  private readonly trigrams = new Map<string, string[]>();
  private readonly totals = FIELDS.map(() => 0);
  private retired = 0;

  private constructor() {}

  static build(documents: readonly CatalogDocument[]): SearchIndex {
    const index = new SearchIndex();
    index.upsert(documents);
    return index;
  }

  static fromSnapshot(snapshot: SearchIndexSnapshot): SearchIndex {
    if (snapshot.version !== 2) throw new Error(`unsupported search index snapshot version ${String(snapshot.version)}`);
    const index = new SearchIndex();
    index.docs = [...snapshot.docs];
    snapshot.docs.forEach((doc, d) => {
      index.slots.set(doc.id, d);
      doc.lengths.forEach((l, f) => (index.totals[f]! += l));
    });
    for (const [term, list] of Object.entries(snapshot.postings)) index.addTerm(term, [...list]);
    return index;
  }

  toSnapshot(): SearchIndexSnapshot {
    this.compact();
    // Field lengths are recomputed when the snapshot loads; version-2 snapshots that still carry
    // `averageLengths` load unchanged (the field is ignored).
    return {
      version: 2,
      docs: this.docs as DocMeta[],
      postings: Object.fromEntries(this.postings),
    };
  }

  get size(): number {
    return this.slots.size;
  }

  /** Adds products, or replaces those already indexed under the same id. */
  upsert(documents: readonly CatalogDocument[]): void {
    const tokens = new Map<string, string[]>();
    // One term-frequency map per field, reused for every product: no composite keys to build and split.
    const counts = FIELDS.map(() => new Map<string, number>());
    const tokensOf = (text: string): string[] => {
      let cached = tokens.get(text);
      if (!cached) tokens.set(text, (cached = tokenize(text)));
      return cached;
    };
    for (const doc of documents) {
      this.remove(doc.id);
      const slot = this.docs.length;
      const lengths = FIELDS.map(() => 0);
      const add = (field: number, text: string | undefined): void => {
        if (!text) return;
        const words = tokensOf(text);
        lengths[field]! += words.length;
        const map = counts[field]!;
        for (const word of words) map.set(word, (map.get(word) ?? 0) + 1);
      };
      add(F.id, doc.id);
      add(F.name, doc.name);
      add(F.domain, doc.domain);
      add(F.description, doc.description);
      for (const t of doc.tags) add(F.tag, t);
      for (const o of doc.owners) add(F.owner, o);
      const classifications = new Set<string>();
      for (const table of doc.tables) {
        add(F.table, table.name);
        add(F.description, table.description);
        for (const column of table.columns) {
          add(F.column, column.name);
          add(F.columnDescription, column.description);
          if (column.classification !== undefined) classifications.add(column.classification);
        }
      }
      counts.forEach((map, f) => {
        for (const [term, tf] of map) {
          const list = this.postings.get(term);
          if (list) list.push(slot, f, tf);
          else this.addTerm(term, [slot, f, tf]);
        }
        map.clear();
      });
      lengths.forEach((l, f) => (this.totals[f]! += l));
      const names = [...new Set([tokensOf(doc.id).join(' '), tokensOf(doc.name).join(' ')])];
      this.docs.push({ id: doc.id, domain: doc.domain, tags: doc.tags, owners: doc.owners, classifications: [...classifications], lengths, names });
      this.slots.set(doc.id, slot);
    }
    if (this.retired * 4 > this.slots.size) this.compact();
  }

  /** Takes a product out of the results (its postings go at the next compaction). */
  remove(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.docs[slot]!.lengths.forEach((l, f) => (this.totals[f]! -= l));
    this.docs[slot] = undefined;
    this.slots.delete(id);
    this.retired++;
  }

  /** Drops retired entries and renumbers the live ones (terms no live product has are dropped too). */
  private compact(): void {
    if (this.retired === 0) return;
    const renumber = new Map<number, number>();
    const docs: DocMeta[] = [];
    this.docs.forEach((doc, d) => {
      if (!doc) return;
      renumber.set(d, docs.length);
      this.slots.set(doc.id, docs.length);
      docs.push(doc);
    });
    const postings = new Map<string, Postings>();
    for (const [term, list] of this.postings) {
      const kept: Postings = [];
      for (let i = 0; i < list.length; i += 3) {
        const to = renumber.get(list[i]!);
        if (to !== undefined) kept.push(to, list[i + 1]!, list[i + 2]!);
      }
      if (kept.length > 0) postings.set(term, kept);
    }
    this.docs = docs;
    this.postings = postings;
    this.retired = 0;
  }

  private addTerm(term: string, list: Postings): void {
    this.postings.set(term, list);
    for (const gram of trigramsOf(term)) {
      const terms = this.trigrams.get(gram);
      if (terms) terms.push(term);
      else this.trigrams.set(gram, [term]);
    }
  }

  /** Ranked products for `text`, best first, after filters; `limit` hits at most. */
  search(text: string, filters: SearchFilters = {}, limit = 20): SearchHit[] {
    const words = tokenize(text);
    const docs = this.docs;
    const live = this.slots.size;
    const averageLengths = this.totals.map((t) => (live === 0 ? 0 : t / live));
    const allowed = (d: number): boolean => {
      const doc = docs[d];
      return (
        doc !== undefined &&
        (filters.domain === undefined || doc.domain === filters.domain) &&
        (filters.tag === undefined || doc.tags.includes(filters.tag)) &&
        (filters.owner === undefined || doc.owners.includes(filters.owner)) &&
        (filters.classification === undefined || doc.classifications.includes(filters.classification))
      );
    };
    if (words.length === 0) {
      // Listing: by id, so pages are stable however the index was built and updated.
      const out: string[] = [];
      for (let d = 0; d < docs.length; d++) if (allowed(d)) out.push(docs[d]!.id);
      return out
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, limit)
        .map((id) => ({ id, score: 0, matched: [] }));
    }
    const scores = new Map<number, { score: number; matched: Set<string> }>();
    words.forEach((word, w) => {
      const last = w === words.length - 1;
      for (const [term, factor] of this.expand(word, last)) {
        const list = this.postings.get(term) ?? [];
        const containing = new Set<number>();
        for (let i = 0; i < list.length; i += 3) if (docs[list[i]!] !== undefined) containing.add(list[i]!);
        const docFreq = containing.size;
        const idf = Math.log(1 + (live - docFreq + 0.5) / (docFreq + 0.5));
        for (let i = 0; i < list.length; i += 3) {
          const d = list[i]!;
          const f = list[i + 1]!;
          const tf = list[i + 2]!;
          if (!allowed(d)) continue;
          const length = docs[d]!.lengths[f] ?? 0;
          const avg = averageLengths[f] || 1;
          const bm25 = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avg));
          const entry = scores.get(d) ?? { score: 0, matched: new Set<string>() };
          entry.score += factor * FIELD_WEIGHTS[FIELDS[f]!] * idf * bm25;
          entry.matched.add(`${FIELDS[f]}:${term}`);
          scores.set(d, entry);
        }
      }
    });
    // Typing a product's name exactly should find that product first.
    const phrase = words.join(' ');
    for (const [d, entry] of scores) if (docs[d]!.names.includes(phrase)) entry.score += EXACT_NAME_BONUS * words.length;
    return [...scores.entries()]
      .sort((a, b) => b[1].score - a[1].score || docs[a[0]]!.id.localeCompare(docs[b[0]]!.id))
      .slice(0, limit)
      .map(([d, s]) => ({ id: docs[d]!.id, score: Math.round(s.score * 1000) / 1000, matched: [...s.matched].sort() }));
  }

  /** The index terms a query word stands for: itself, prefixes (for the last word), near misses. */
  private expand(word: string, last: boolean): [string, number][] {
    const out = new Map<string, number>();
    if (this.postings.has(word)) out.set(word, 1);
    if (last && word.length >= 2) {
      for (const term of this.candidates(word)) if (term !== word && term.startsWith(word)) out.set(term, Math.max(out.get(term) ?? 0, PREFIX_FACTOR));
    }
    if (!out.has(word) && word.length >= 4) {
      const allowed = word.length <= 5 ? 1 : 2;
      for (const term of this.candidates(word)) {
        if (Math.abs(term.length - word.length) > allowed) continue;
        if (distance(term, word) <= allowed) out.set(term, Math.max(out.get(term) ?? 0, TYPO_FACTOR));
      }
    }
    return [...out];
  }

  /** Terms sharing at least one trigram with `word` (terms of retired products included: harmless). */
  private candidates(word: string): Set<string> {
    const out = new Set<string>();
    for (const gram of trigramsOf(word)) for (const term of this.trigrams.get(gram) ?? []) out.add(term);
    return out;
  }
}

function trigramsOf(word: string): string[] {
  const padded = `  ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

/** Lower-case words, split on anything but letters and digits and on camelCase; `order_lines` → order, lines. */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .map(stem);
}

/** Plural and possessive endings only: enough to match "orders" with "order", cheap and predictable. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}


/** The catalog document of a loaded contract. */
export function documentOf(contract: {
  readonly id: string;
  readonly name?: string;
  readonly domain?: string;
  readonly description: { readonly purpose?: string; readonly usage?: string };
  readonly tags: readonly string[];
  readonly owners: readonly { readonly username: string; readonly name?: string }[];
  readonly team?: { readonly name?: string };
  readonly tables: readonly { readonly name: string; readonly description?: string; readonly columns: readonly { readonly name: string; readonly description?: string; readonly classification?: string }[] }[];
}): CatalogDocument {
  return {
    id: contract.id,
    name: contract.name ?? contract.id,
    domain: contract.domain ?? '',
    description: [contract.description.purpose, contract.description.usage].filter(Boolean).join(' '),
    tags: contract.tags,
    owners: [...(contract.team?.name ? [contract.team.name] : []), ...contract.owners.map((o) => o.username)],
    tables: contract.tables.map((t) => ({ name: t.name, description: t.description, columns: t.columns.map((c) => ({ name: c.name, description: c.description, classification: c.classification })) })),
  };
}
