/**
 * What the search index keeps per product, by document slot, in columns rather than one object per
 * product: the id, the id's and the name's words (for the exact-name bonus), each field's length,
 * and the domain, tags, owners and classifications the filters test, as numbers into one table of
 * distinct strings. A retired slot has no id; `compact` renumbers the live ones.
 */

export interface DocMeta {
  readonly id: string;
  readonly domain: string;
  readonly tags: readonly string[];
  readonly owners: readonly string[];
  readonly classifications: readonly string[];
  readonly lengths: readonly number[];
  /** The id's and the name's words, for the exact-name boost. */
  readonly names: readonly string[];
}

export interface DocFilters {
  readonly domain?: string;
  readonly tag?: string;
  readonly classification?: string;
  readonly owner?: string;
}

export interface DocSections {
  /** The distinct domains, tags, owners and classifications. */
  readonly strings: readonly string[];
  readonly ids: readonly string[];
  /** A JSON array of each document's names array. */
  readonly names: readonly (readonly string[])[];
  /** `fields` lengths per document. */
  readonly lengths: Uint32Array;
  readonly domains: Uint32Array;
  /** Where each document's labels start, and one more entry. */
  readonly labelStarts: Uint32Array;
  /** `string * 4 + kind` (kind 0 tag, 1 owner, 2 classification). */
  readonly labels: Uint32Array;
}

const TAG = 0;
const OWNER = 1;
const CLASSIFICATION = 2;
const KINDS = 4;

/** A Uint32Array that grows; starts as a snapshot's section without copying it. */
class U32Vec {
  constructor(
    private data: Uint32Array = new Uint32Array(64),
    public length = data.length,
  ) {}

  static empty(): U32Vec {
    return new U32Vec(new Uint32Array(64), 0);
  }

  at(i: number): number {
    return this.data[i]!;
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(Math.max(64, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

export class DocTable {
  private ids: (string | undefined)[];
  private names: (readonly string[])[];
  private lengths: U32Vec;
  private domains: U32Vec;
  private labelStarts: U32Vec;
  private labels: U32Vec;
  private strings: string[];
  private stringIds = new Map<string, number>();
  /** Each field's total length over the live documents (BM25's average length is this over `live`). */
  totals: number[];
  live = 0;

  constructor(
    private readonly fields: number,
    sections?: DocSections,
  ) {
    const s = sections ?? { strings: [], ids: [], names: [], lengths: new Uint32Array(0), domains: new Uint32Array(0), labelStarts: new Uint32Array(1), labels: new Uint32Array(0) };
    const n = s.ids.length;
    if (s.names.length !== n || s.lengths.length !== n * fields || s.domains.length !== n || s.labelStarts.length !== n + 1 || s.labelStarts[n] !== s.labels.length) {
      throw new Error(`inconsistent document sections for ${n} documents`);
    }
    this.ids = [...s.ids];
    this.names = [...s.names];
    this.lengths = new U32Vec(s.lengths);
    this.domains = new U32Vec(s.domains);
    this.labelStarts = new U32Vec(s.labelStarts);
    this.labels = new U32Vec(s.labels);
    this.strings = [...s.strings];
    this.strings.forEach((str, i) => this.stringIds.set(str, i));
    this.totals = Array.from({ length: fields }, () => 0);
    for (let d = 0; d < n; d++) for (let f = 0; f < fields; f++) this.totals[f]! += s.lengths[d * fields + f]!;
    this.live = n;
  }

  /** Slots, retired ones included. */
  get slots(): number {
    return this.ids.length;
  }

  id(slot: number): string | undefined {
    return this.ids[slot];
  }

  length(slot: number, field: number): number {
    return this.lengths.at(slot * this.fields + field);
  }

  hasName(slot: number, phrase: string): boolean {
    return this.names[slot]!.includes(phrase);
  }

  add(doc: DocMeta): number {
    const slot = this.ids.length;
    this.ids.push(doc.id);
    this.names.push(doc.names);
    for (let f = 0; f < this.fields; f++) {
      this.lengths.push(doc.lengths[f] ?? 0);
      this.totals[f]! += doc.lengths[f] ?? 0;
    }
    this.domains.push(this.intern(doc.domain));
    for (const tag of doc.tags) this.labels.push(this.intern(tag) * KINDS + TAG);
    for (const owner of doc.owners) this.labels.push(this.intern(owner) * KINDS + OWNER);
    for (const c of doc.classifications) this.labels.push(this.intern(c) * KINDS + CLASSIFICATION);
    this.labelStarts.push(this.labels.length);
    this.live++;
    return slot;
  }

  retire(slot: number): void {
    if (this.ids[slot] === undefined) return;
    for (let f = 0; f < this.fields; f++) this.totals[f]! -= this.length(slot, f);
    this.ids[slot] = undefined;
    this.live--;
  }

  /** A test of a slot against the filters, with the filter strings looked up once. */
  filter(filters: DocFilters): (slot: number) => boolean {
    const code = (value: string | undefined, kind: number): number | undefined => (value === undefined ? undefined : (this.stringIds.get(value) ?? -1) * KINDS + kind);
    const domain = filters.domain === undefined ? undefined : (this.stringIds.get(filters.domain) ?? -1);
    const wanted = [code(filters.tag, TAG), code(filters.owner, OWNER), code(filters.classification, CLASSIFICATION)].filter((c): c is number => c !== undefined);
    return (slot) => {
      if (this.ids[slot] === undefined) return false;
      if (domain !== undefined && this.domains.at(slot) !== domain) return false;
      for (const c of wanted) if (!this.hasLabel(slot, c)) return false;
      return true;
    };
  }

  meta(slot: number): DocMeta {
    const labels = this.labelsOf(slot);
    const of = (kind: number): string[] => labels.filter((l) => l % KINDS === kind).map((l) => this.strings[Math.floor(l / KINDS)]!);
    return {
      id: this.ids[slot]!,
      domain: this.strings[this.domains.at(slot)]!,
      tags: of(TAG),
      owners: of(OWNER),
      classifications: of(CLASSIFICATION),
      lengths: Array.from({ length: this.fields }, (_, f) => this.length(slot, f)),
      names: this.names[slot]!,
    };
  }

  /** Drops the retired slots; returns each old slot's new one (-1 for a retired slot), or undefined when none was retired. */
  compact(): Int32Array | undefined {
    if (this.live === this.ids.length) return undefined;
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const kept = new DocTable(this.fields);
    for (let d = 0; d < this.ids.length; d++) if (this.ids[d] !== undefined) renumber[d] = kept.add(this.meta(d));
    Object.assign(this, { ids: kept.ids, names: kept.names, lengths: kept.lengths, domains: kept.domains, labelStarts: kept.labelStarts, labels: kept.labels, strings: kept.strings, stringIds: kept.stringIds, totals: kept.totals, live: kept.live });
    return renumber;
  }

  /** The columns as they are (compact first for a table without retired slots). */
  sections(): DocSections {
    if (this.live !== this.ids.length) throw new Error('compact the document table before taking its sections');
    return { strings: this.strings, ids: this.ids as string[], names: this.names, lengths: this.lengths.view(), domains: this.domains.view(), labelStarts: this.labelStarts.view(), labels: this.labels.view() };
  }

  private hasLabel(slot: number, label: number): boolean {
    for (let i = this.labelStarts.at(slot); i < this.labelStarts.at(slot + 1); i++) if (this.labels.at(i) === label) return true;
    return false;
  }

  private labelsOf(slot: number): number[] {
    const out: number[] = [];
    for (let i = this.labelStarts.at(slot); i < this.labelStarts.at(slot + 1); i++) out.push(this.labels.at(i));
    return out;
  }

  private intern(value: string): number {
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.stringIds.set(value, id);
    }
    return id;
  }
}
