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
const K1 = 1.2;
const B = 0.75;
/** Matches found by typo tolerance or prefix count less than exact ones. */
const TYPO_FACTOR = 0.6;
const PREFIX_FACTOR = 0.8;
/** Added per query word when the whole query is the product's id or name. */
const EXACT_NAME_BONUS = 10;

/** A posting: document index, field index, term frequency. Packed as numbers for a small snapshot. */
type Posting = [doc: number, field: number, tf: number];

export interface SearchIndexSnapshot {
  readonly version: 1;
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
  readonly postings: Readonly<Record<string, readonly Posting[]>>;
  readonly averageLengths: readonly number[];
}

export class SearchIndex {
  private readonly trigrams = new Map<string, string[]>();
  private readonly terms: string[];

  private constructor(private readonly snapshot: SearchIndexSnapshot) {
    this.terms = Object.keys(snapshot.postings);
    for (const term of this.terms) {
      for (const gram of trigramsOf(term)) {
        const list = this.trigrams.get(gram);
        if (list) list.push(term);
        else this.trigrams.set(gram, [term]);
      }
    }
  }

  static build(documents: readonly CatalogDocument[]): SearchIndex {
    const postings = new Map<string, Posting[]>();
    const totals = FIELDS.map(() => 0);
    const docs = documents.map((doc, d) => {
      const lengths = FIELDS.map(() => 0);
      const fieldTexts: [Field, string][] = [
        ['id', doc.id],
        ['name', doc.name],
        ['domain', doc.domain],
        ['description', doc.description],
        ...doc.tags.map((t): [Field, string] => ['tag', t]),
        ...doc.owners.map((o): [Field, string] => ['owner', o]),
        ...doc.tables.flatMap((t): [Field, string][] => [
          ['table', t.name],
          ['description', t.description ?? ''],
          ...t.columns.flatMap((c): [Field, string][] => [
            ['column', c.name],
            ['columnDescription', c.description ?? ''],
          ]),
        ]),
      ];
      const counts = new Map<string, number>();
      for (const [field, text] of fieldTexts) {
        const f = FIELDS.indexOf(field);
        for (const token of tokenize(text)) {
          lengths[f]! += 1;
          const key = `${token}\u0000${f}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
      for (const [key, tf] of counts) {
        const [term, f] = key.split('\u0000') as [string, string];
        const list = postings.get(term);
        const posting: Posting = [d, Number(f), tf];
        if (list) list.push(posting);
        else postings.set(term, [posting]);
      }
      lengths.forEach((l, i) => (totals[i]! += l));
      const classifications = [...new Set(doc.tables.flatMap((t) => t.columns.map((c) => c.classification).filter((c): c is string => c !== undefined)))];
      const names = [...new Set([tokenize(doc.id).join(' '), tokenize(doc.name).join(' ')])];
      return { id: doc.id, domain: doc.domain, tags: doc.tags, owners: doc.owners, classifications, lengths, names };
    });
    return new SearchIndex({
      version: 1,
      docs,
      postings: Object.fromEntries(postings),
      averageLengths: totals.map((t) => (documents.length === 0 ? 0 : t / documents.length)),
    });
  }

  static fromSnapshot(snapshot: SearchIndexSnapshot): SearchIndex {
    if (snapshot.version !== 1) throw new Error(`unsupported search index snapshot version ${String(snapshot.version)}`);
    return new SearchIndex(snapshot);
  }

  toSnapshot(): SearchIndexSnapshot {
    return this.snapshot;
  }

  get size(): number {
    return this.snapshot.docs.length;
  }

  /** Ranked products for `text`, best first, after filters; `limit` hits at most. */
  search(text: string, filters: SearchFilters = {}, limit = 20): SearchHit[] {
    const words = tokenize(text);
    const { docs, postings, averageLengths } = this.snapshot;
    const allowed = (d: number): boolean => {
      const doc = docs[d]!;
      return (
        (filters.domain === undefined || doc.domain === filters.domain) &&
        (filters.tag === undefined || doc.tags.includes(filters.tag)) &&
        (filters.owner === undefined || doc.owners.includes(filters.owner)) &&
        (filters.classification === undefined || doc.classifications.includes(filters.classification))
      );
    };
    if (words.length === 0) {
      return docs.map((_, d) => d).filter(allowed).slice(0, limit).map((d) => ({ id: docs[d]!.id, score: 0, matched: [] }));
    }
    const scores = new Map<number, { score: number; matched: Set<string> }>();
    const n = docs.length;
    words.forEach((word, w) => {
      const last = w === words.length - 1;
      for (const [term, factor] of this.expand(word, last)) {
        const list = postings[term] ?? [];
        const docFreq = new Set(list.map((p) => p[0])).size;
        const idf = Math.log(1 + (n - docFreq + 0.5) / (docFreq + 0.5));
        for (const [d, f, tf] of list) {
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
    if (this.snapshot.postings[word]) out.set(word, 1);
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

  /** Terms sharing at least one trigram with `word`. */
  private candidates(word: string): Set<string> {
    const out = new Set<string>();
    for (const gram of trigramsOf(word)) for (const term of this.trigrams.get(gram) ?? []) out.add(term);
    return out;
  }
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

function trigramsOf(word: string): string[] {
  const padded = `  ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
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
