/**
 * The API's search index, kept warm in module scope: built on the first request from every
 * product's search document (read through the `byChange` index), then refreshed when older than
 * `maxAgeMs` by reading only the summaries changed since the last load.
 *
 * `changedAt` is set by the writer's clock before its write commits, and the index is eventually
 * consistent, so each refresh reads what changed since `overlapMs` before the previous load started
 * (by this process's clock) and keeps a record only when its revision is newer than the one it holds.
 * The window moves with the loads, so a burst of publications is read back once or twice, not on
 * every refresh.
 */
import type { ProductSummary } from '../../lib/catalog/api-schema.js';
import { decodeDocument } from '../../lib/catalog/records.js';
import { SearchIndex, type CatalogDocument } from '../../lib/catalog/search.js';
import { logger } from '../shared/powertools.js';
import type { CatalogStore, SummaryRecord } from './store.js';

interface Entry {
  readonly revision: number;
  readonly summary: ProductSummary;
  readonly doc: CatalogDocument;
}

export interface SearchSnapshot {
  readonly index: SearchIndex;
  readonly summaries: ReadonlyMap<string, ProductSummary>;
}

export interface SearchCacheOptions {
  /** @default 30 s */
  readonly maxAgeMs?: number;
  /** @default 60 s */
  readonly overlapMs?: number;
  /** Wall clock in epoch ms (compared with the writers' `changedAt`). @default Date.now */
  readonly now?: () => number;
}

export class SearchCache {
  private readonly entries = new Map<string, Entry>();
  private readonly summaries = new Map<string, ProductSummary>();
  private snapshot: SearchSnapshot | undefined;
  private loadedAt = 0;
  private previousLoadStart: number | undefined;
  private pending: Promise<SearchSnapshot> | undefined;
  private readonly maxAgeMs: number;
  private readonly overlapMs: number;
  private readonly now: () => number;
  /** What the last load did, for logs and benchmarks. */
  lastLoad: { readonly kind: 'full' | 'incremental'; readonly read: number; readonly changed: number; readonly ms: number } | undefined;

  constructor(
    private readonly store: CatalogStore,
    options: SearchCacheOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.overlapMs = options.overlapMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async get(): Promise<SearchSnapshot> {
    if (this.snapshot && this.now() - this.loadedAt < this.maxAgeMs) return this.snapshot;
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async load(): Promise<SearchSnapshot> {
    const started = this.now();
    const since = this.previousLoadStart === undefined ? undefined : new Date(this.previousLoadStart - this.overlapMs).toISOString();
    let records: SummaryRecord[];
    try {
      records = await this.store.changedSummaries(since);
    } catch (e) {
      // A warm index a little out of date serves better than an error; a cold one cannot.
      if (!this.snapshot) throw e;
      logger.warn('search index refresh failed; serving the previous index', { error: e as Error });
      this.loadedAt = started;
      return this.snapshot;
    }
    const changed: Entry[] = [];
    for (const record of records) {
      const known = this.entries.get(record.product);
      if (known && known.revision >= record.revision) continue;
      const entry = { revision: record.revision, summary: record.summary, doc: decodeDocument(record.doc) };
      this.entries.set(record.product, entry);
      changed.push(entry);
    }
    // Only the changed products are (re-)indexed; index and summaries change in one synchronous step.
    for (const e of changed) this.summaries.set(e.doc.id, e.summary);
    if (!this.snapshot) this.snapshot = { index: SearchIndex.build(changed.map((e) => e.doc)), summaries: this.summaries };
    else if (changed.length > 0) this.snapshot.index.upsert(changed.map((e) => e.doc));
    this.loadedAt = started;
    this.previousLoadStart = started;
    this.lastLoad = { kind: since === undefined ? 'full' : 'incremental', read: records.length, changed: changed.length, ms: this.now() - started };
    logger.debug('search index loaded', { ...this.lastLoad });
    return this.snapshot;
  }
}
