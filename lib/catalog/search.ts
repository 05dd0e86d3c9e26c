/**
 * Catalog search without a search cluster: an in-memory inverted index over the products' names,
 * tags, descriptions, tables, columns and owners, with field weights, BM25 scoring, prefix matching
 * for the word being typed, and tolerance for small typos (candidate terms found through a trigram
 * index, confirmed by edit distance). The index's arrays are its snapshot (search-snapshot.ts), so a
 * Lambda loads one at cold start instead of querying a cluster.
 */
import { distance } from 'fastest-levenshtein';
import { DocTable, type DocMeta, type DocSections } from './search-docs.js';
import { fieldOf, Postings, tfOf, type PostingsSections, type TermPostings } from './search-postings.js';
import { topK } from './search-topk.js';
import { Trigrams, type TrigramSections } from './search-trigrams.js';

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
const WEIGHTS = FIELDS.map((f) => FIELD_WEIGHTS[f]);
const K1 = 1.2;
const B = 0.75;
/** Matches found by typo tolerance or prefix count less than exact ones. */
const TYPO_FACTOR = 0.6;
const PREFIX_FACTOR = 0.8;
/** Added per query word when the whole query is the product's id or name. */
const EXACT_NAME_BONUS = 10;

/** The version-1 snapshot: the whole index as plain JSON (what the persisted format 1 holds). */
export interface SearchIndexSnapshot {
  readonly version: 2;
  readonly docs: readonly DocMeta[];
  /** Per term, (document slot, field index, term frequency) triples one after another. */
  readonly postings: Readonly<Record<string, readonly number[]>>;
}

/** The index as typed arrays and string lists, what the binary snapshot (search-snapshot.ts) holds. */
export interface SearchIndexSections {
  readonly docs: DocSections;
  readonly postings: PostingsSections;
  readonly trigrams: TrigramSections;
}

/**
 * The last query word completes to at most this many index terms (the first in code-unit order):
 * at 100,000 products, "12" would otherwise stand for the 1,111 product numbers starting with it,
 * and a query's cost would grow with the catalog instead of with what it shows.
 */
export const PREFIX_CAP = 64;

/**
 * The index is updated in place: `upsert` retires a product's old entry (its postings stay until
 * the next merge and are skipped while searching) and adds the new one, whose postings wait beside
 * the compact base (search-postings.ts), so refreshing the index after a few products changed costs
 * only those products. The base is rebuilt when retired entries reach a quarter of the live ones,
 * when the added postings reach a quarter of the base, and before a snapshot.
 */
export class SearchIndex {
  private docs = new DocTable(FIELDS.length);
  private postings = new Postings();
  private trigrams = Trigrams.of([]);
  private readonly slots = new Map<string, number>();
  /**
   * Per-search scratch, sized by the slots and reused: each document's score, whether it passed
   * the filters (0 not yet tested, 1 yes, 2 no), and the documents scored. Reusing them keeps a
   * broad query over 100,000 products from leaving megabytes of garbage behind.
   */
  private scores = new Float64Array(0);
  private allowed = new Uint8Array(0);
  private touched = new Uint32Array(0);

  private constructor() {}

  static build(documents: readonly CatalogDocument[]): SearchIndex {
    const index = new SearchIndex();
    index.upsert(documents);
    index.merge();
    return index;
  }

  static fromSections(sections: SearchIndexSections): SearchIndex {
    const index = new SearchIndex();
    index.docs = new DocTable(FIELDS.length, sections.docs);
    index.postings = new Postings(sections.postings);
    index.trigrams = new Trigrams(sections.trigrams, sections.postings.terms);
    sections.docs.ids.forEach((id, d) => index.slots.set(id, d));
    return index;
  }

  /** Reads a version-1 (JSON) snapshot. */
  static fromSnapshot(snapshot: SearchIndexSnapshot): SearchIndex {
    if (snapshot.version !== 2) throw new Error(`unsupported search index snapshot version ${String(snapshot.version)}`);
    const index = new SearchIndex();
    for (const doc of snapshot.docs) index.slots.set(doc.id, index.docs.add(doc));
    for (const [term, list] of Object.entries(snapshot.postings)) for (let i = 0; i < list.length; i += 3) index.postings.add(term, list[i]!, list[i + 1]!, list[i + 2]!);
    index.merge();
    return index;
  }

  /** The compact sections of every live product (merges first). */
  toSections(): SearchIndexSections {
    this.merge();
    return { docs: this.docs.sections(), postings: this.postings.sections(), trigrams: this.trigrams.sections() };
  }

  /** The version-1 (JSON) snapshot. */
  toSnapshot(): SearchIndexSnapshot {
    const { docs, postings } = this.toSections();
    const json: Record<string, number[]> = {};
    postings.terms.forEach((term, t) => {
      const list: number[] = (json[term] = []);
      for (let i = postings.offsets[t]!; i < postings.offsets[t + 1]!; i++) list.push(postings.docs[i]!, fieldOf(postings.meta[i]!), tfOf(postings.meta[i]!));
    });
    return { version: 2, docs: docs.ids.map((_, d) => this.docs.meta(d)), postings: json };
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
    // Terms new to the index: added to the trigrams at the end, unless the base is rebuilt (with its trigrams).
    const fresh: string[] = [];
    for (const doc of documents) {
      this.remove(doc.id);
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
      const names = [...new Set([tokensOf(doc.id).join(' '), tokensOf(doc.name).join(' ')])];
      const slot = this.docs.add({ id: doc.id, domain: doc.domain, tags: doc.tags, owners: doc.owners, classifications: [...classifications], lengths, names });
      this.slots.set(doc.id, slot);
      // Postings of one document in field order, so each term's postings stay in (document, field) order.
      counts.forEach((map, f) => {
        for (const [term, tf] of map) {
          if (this.postings.add(term, slot, f, tf)) fresh.push(term);
        }
        map.clear();
      });
    }
    if ((this.docs.slots - this.docs.live) * 4 > this.docs.live || this.postings.pending * 4 > this.postings.docs.length) this.merge();
    else for (const term of fresh) this.trigrams.add(term);
  }

  /** Takes a product out of the results (its postings go at the next merge). */
  remove(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.docs.retire(slot);
    this.slots.delete(id);
  }

  /** Rebuilds the compact base: retired entries dropped, live ones renumbered, added postings folded in. */
  private merge(): void {
    const renumber = this.docs.compact();
    if (!renumber && this.postings.pending === 0) return;
    this.postings.merge(renumber);
    this.trigrams = Trigrams.of(this.postings.sections().terms);
    if (renumber) for (const [id, slot] of this.slots) this.slots.set(id, renumber[slot]!);
  }

  /** Ranked products for `text`, best first, after filters; `limit` hits at most. */
  search(text: string, filters: SearchFilters = {}, limit = 20): SearchHit[] {
    const words = tokenize(text);
    const docs = this.docs;
    const passes = docs.filter(filters);
    if (this.scores.length < docs.slots) {
      this.scores = new Float64Array(docs.slots * 2);
      this.allowed = new Uint8Array(docs.slots * 2);
      this.touched = new Uint32Array(docs.slots * 2);
    }
    const { scores, allowed, touched } = this;
    let count = 0;
    if (words.length === 0) {
      // Listing: by id, so pages are stable however the index was built and updated.
      for (let d = 0; d < docs.slots; d++) if (passes(d)) touched[count++] = d;
      return topK(touched.subarray(0, count), limit, (a, b) => docs.id(a)! < docs.id(b)!).map((d) => ({ id: docs.id(d)!, score: 0, matched: [] }));
    }
    const terms = new Set<string>();
    const live = docs.live;
    const averageLengths = docs.totals.map((t) => (live === 0 ? 0 : t / live));
    words.forEach((word, w) => {
      for (const [term, factor] of this.expand(word, w === words.length - 1)) {
        terms.add(term);
        const postings = this.postings.of(term);
        const docFreq = this.docFreq(postings);
        const idf = Math.log(1 + (live - docFreq + 0.5) / (docFreq + 0.5));
        this.eachPosting(postings, (d, meta) => {
          if (allowed[d] === 0) allowed[d] = passes(d) ? 1 : 2;
          if (allowed[d] === 2) return;
          const f = fieldOf(meta);
          const tf = tfOf(meta);
          const avg = averageLengths[f] || 1;
          const bm25 = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * docs.length(d, f)) / avg));
          // Every contribution is positive: a zero score means the document was not touched yet.
          if (scores[d] === 0) touched[count++] = d;
          scores[d]! += factor * WEIGHTS[f]! * idf * bm25;
        });
      }
    });
    // Typing a product's name exactly should find that product first.
    const phrase = words.join(' ');
    const scored = touched.subarray(0, count);
    for (const d of scored) if (docs.hasName(d, phrase)) scores[d]! += EXACT_NAME_BONUS * words.length;
    const before = (a: number, b: number): boolean => scores[a]! > scores[b]! || (scores[a] === scores[b] && byId(docs.id(a)!, docs.id(b)!) < 0);
    const best = topK(scored, limit, before);
    const hits = best.map((d) => ({ id: docs.id(d)!, score: Math.round(scores[d]! * 1000) / 1000, matched: this.matched(d, terms) }));
    for (const d of scored) scores[d] = 0;
    allowed.fill(0);
    return hits;
  }

  /** How many live documents a term's postings name (postings of one document are adjacent). */
  private docFreq(postings: TermPostings): number {
    let count = 0;
    let previous = -1;
    this.eachPosting(postings, (d) => {
      if (d !== previous && this.docs.id(d) !== undefined) count++;
      previous = d;
    });
    return count;
  }

  private eachPosting(postings: TermPostings, fn: (doc: number, meta: number) => void): void {
    const { docs, meta } = this.postings;
    for (let i = postings.start; i < postings.end; i++) fn(docs[i]!, meta[i]!);
    const added = postings.added;
    for (let i = 0; i < added.length; i += 2) fn(added[i]!, added[i + 1]!);
  }

  /** Which fields matched which of the query's terms in document `d`, for display. */
  private matched(d: number, terms: ReadonlySet<string>): string[] {
    const out = new Set<string>();
    const { docs, meta } = this.postings;
    for (const term of terms) {
      const { start, end, added } = this.postings.of(term);
      // A term's base postings are in document order: find `d`'s by bisection, not by a scan.
      let lo = start;
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (docs[mid]! < d) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < end && docs[i] === d; i++) out.add(`${FIELDS[fieldOf(meta[i]!)]}:${term}`);
      for (let i = 0; i < added.length; i += 2) if (added[i] === d) out.add(`${FIELDS[fieldOf(added[i + 1]!)]}:${term}`);
    }
    return [...out].sort();
  }

  /** The index terms a query word stands for: itself, prefixes (for the last word), near misses. */
  private expand(word: string, last: boolean): [string, number][] {
    const out = new Map<string, number>();
    if (this.postings.has(word)) out.set(word, 1);
    if (last && word.length >= 2) {
      const completions = this.postings.withPrefix(word, PREFIX_CAP + 1).filter((term) => term !== word);
      for (const term of completions.slice(0, PREFIX_CAP)) out.set(term, PREFIX_FACTOR);
    }
    if (!out.has(word) && word.length >= 4) {
      const allowed = word.length <= 5 ? 1 : 2;
      for (const term of this.trigrams.candidates(word)) {
        if (Math.abs(term.length - word.length) > allowed) continue;
        if (distance(term, word) <= allowed) out.set(term, Math.max(out.get(term) ?? 0, TYPO_FACTOR));
      }
    }
    return [...out];
  }
}

/** The old order of equal scores (localeCompare), made total for ids that compare equal in it. */
function byId(a: string, b: string): number {
  return a.localeCompare(b) || (a < b ? -1 : a > b ? 1 : 0);
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
