/**
 * The search index's postings, compact enough for 100,000 products in a 1 GB Lambda: the terms in
 * one sorted array (a term's slot is its position, found by binary search; a prefix is a range of
 * slots), and every term's postings in three flat typed arrays: where each term's postings start
 * (`offsets`), their document slots (`docs`), and their field and term frequency packed in one
 * number (`meta`). Within a term, postings are in document order.
 *
 * That base does not change between merges; postings added since (products indexed or re-indexed
 * after the base was built) sit in a small map of flat number arrays, and `merge` folds them in,
 * renumbering the documents and dropping the retired ones. A snapshot is the base's arrays as they
 * are, so a restore wraps them instead of rebuilding millions of small arrays.
 */

export interface PostingsSections {
  /** Sorted, no repeats. */
  readonly terms: readonly string[];
  /** `terms.length + 1` entries: term `t`'s postings are `[offsets[t], offsets[t + 1])`. */
  readonly offsets: Uint32Array;
  readonly docs: Uint32Array;
  /** `tf * 16 + field`. */
  readonly meta: Uint32Array;
}

const FIELD_SLOTS = 16;
export const packMeta = (field: number, tf: number): number => tf * FIELD_SLOTS + field;
export const fieldOf = (meta: number): number => meta % FIELD_SLOTS;
export const tfOf = (meta: number): number => Math.floor(meta / FIELD_SLOTS);

const EMPTY: PostingsSections = { terms: [], offsets: new Uint32Array(1), docs: new Uint32Array(0), meta: new Uint32Array(0) };

/** One term's postings: a range of the base, then the ones added since (flat `doc, meta` pairs). */
export interface TermPostings {
  readonly start: number;
  readonly end: number;
  readonly added: readonly number[];
}

export class Postings {
  private base: PostingsSections;
  private readonly added = new Map<string, number[]>();
  private addedCount = 0;

  constructor(base: PostingsSections = EMPTY) {
    if (base.offsets.length !== base.terms.length + 1 || base.docs.length !== base.meta.length || base.offsets[base.terms.length] !== base.docs.length) {
      throw new Error('inconsistent postings sections: offsets must have one entry per term plus one, docs and meta the same length');
    }
    this.base = base;
  }

  get docs(): Uint32Array {
    return this.base.docs;
  }

  get meta(): Uint32Array {
    return this.base.meta;
  }

  /** Postings added since the last merge. */
  get pending(): number {
    return this.addedCount;
  }

  /** Adds one posting; true when the term is new to the index. */
  add(term: string, doc: number, field: number, tf: number): boolean {
    this.addedCount++;
    const list = this.added.get(term);
    if (list) {
      list.push(doc, packMeta(field, tf));
      return false;
    }
    this.added.set(term, [doc, packMeta(field, tf)]);
    return this.slot(term) < 0;
  }

  has(term: string): boolean {
    return this.slot(term) >= 0 || this.added.has(term);
  }

  of(term: string): TermPostings {
    const slot = this.slot(term);
    const added = this.added.get(term) ?? [];
    return slot < 0 ? { start: 0, end: 0, added } : { start: this.base.offsets[slot]!, end: this.base.offsets[slot + 1]!, added };
  }

  /** The terms starting with `prefix`, in sorted order, at most `cap` of them. */
  withPrefix(prefix: string, cap: number): string[] {
    const terms = this.base.terms;
    const out: string[] = [];
    for (let t = lowerBound(terms, prefix); t < terms.length && out.length < cap && terms[t]!.startsWith(prefix); t++) out.push(terms[t]!);
    const extra = [...this.added.keys()].filter((term) => term.startsWith(prefix) && this.slot(term) < 0);
    if (extra.length === 0) return out;
    return [...out, ...extra].sort(byCodeUnit).slice(0, cap);
  }

  /** Every term, sorted (the base's and the added ones). */
  terms(): string[] {
    const extra = [...this.added.keys()].filter((term) => this.slot(term) < 0);
    return extra.length === 0 ? [...this.base.terms] : [...this.base.terms, ...extra].sort(byCodeUnit);
  }

  /**
   * Folds the added postings into a new base. `renumber[d]` is document `d`'s new slot, or -1 for
   * a retired one (its postings go); without it the slots stay. Terms left without postings go.
   */
  merge(renumber?: Int32Array): void {
    if (this.addedCount === 0 && !renumber) return;
    const all = this.terms();
    const size = this.base.docs.length + this.addedCount;
    const docs = new Uint32Array(size);
    const meta = new Uint32Array(size);
    const terms: string[] = [];
    const offsets: number[] = [0];
    let n = 0;
    const keep = (doc: number, m: number): void => {
      const to = renumber ? renumber[doc]! : doc;
      if (to < 0) return;
      docs[n] = to;
      meta[n++] = m;
    };
    for (const term of all) {
      const before = n;
      const { start, end, added } = this.of(term);
      for (let i = start; i < end; i++) keep(this.base.docs[i]!, this.base.meta[i]!);
      for (let i = 0; i < added.length; i += 2) keep(added[i]!, added[i + 1]!);
      if (n === before) continue;
      terms.push(term);
      offsets.push(n);
    }
    this.base = { terms, offsets: Uint32Array.from(offsets), docs: docs.slice(0, n), meta: meta.slice(0, n) };
    this.added.clear();
    this.addedCount = 0;
  }

  /** The base as it is; merge first for one that holds everything. */
  sections(): PostingsSections {
    return this.base;
  }

  private slot(term: string): number {
    const t = lowerBound(this.base.terms, term);
    return this.base.terms[t] === term ? t : -1;
  }
}

/** The first position in `sorted` whose string is not before `key` (code-unit order). */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
