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
 *
 * With a snapshot store, a cold start begins from the persisted index (one object read and unzipped,
 * instead of every product's document read and indexed) and then reads only what changed since
 * that snapshot's watermark. The container that had to read everything writes the snapshot; later
 * ones refresh it after changes, at most every `snapshotEveryMs`.
 */
import type { ProductSummary } from '../../lib/catalog/api-schema.js';
import { decodeDocument } from '../../lib/catalog/records.js';
import { SEARCH_SNAPSHOT_KEY } from '../../lib/catalog/publication.js';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SearchIndex, type CatalogDocument } from '../../lib/catalog/search.js';
import { decodeSearchSnapshot, encodeSearchSnapshot } from '../../lib/catalog/search-snapshot.js';
import { logger } from '../shared/powertools.js';
import type { CatalogStore, SummaryRecord } from './store.js';

export interface SearchSnapshot {
  readonly index: SearchIndex;
  readonly summaries: ReadonlyMap<string, ProductSummary>;
}

/**
 * Where the warm index is persisted between cold starts (an S3 object in the catalog's bucket):
 * the index, the summaries with their revisions, and the watermark up to which it holds every
 * change, in the format of lib/catalog/search-snapshot.ts. Any container may write it (the last write wins): each one it writes is
 * consistent with its own watermark, which is all a reader needs.
 */
export interface SearchSnapshotStore {
  read(): Promise<Uint8Array | undefined>;
  write(body: Uint8Array): Promise<void>;
}

export interface SearchCacheOptions {
  /** @default 30 s */
  readonly maxAgeMs?: number;
  /** @default 60 s */
  readonly overlapMs?: number;
  /** Wall clock in epoch ms (compared with the writers' `changedAt`). @default Date.now */
  readonly now?: () => number;
  /**
   * A persisted snapshot to start from at cold start, and to update.
   * @default - none: every cold start reads every product's search document
   */
  readonly snapshots?: SearchSnapshotStore;
  /**
   * Rewrite the persisted snapshot after a refresh that changed something, at most this often.
   * @default 10 minutes
   */
  readonly snapshotEveryMs?: number;
}

export class SearchCache {
  /** The revision of each product's summary this process holds (the summary itself is in `summaries`). */
  private readonly revisions = new Map<string, number>();
  private readonly summaries = new Map<string, ProductSummary>();
  private snapshot: SearchSnapshot | undefined;
  private loadedAt = 0;
  private previousLoadStart: number | undefined;
  private pending: Promise<SearchSnapshot> | undefined;
  private readonly maxAgeMs: number;
  private readonly overlapMs: number;
  private readonly now: () => number;
  private readonly snapshots: SearchSnapshotStore | undefined;
  private readonly snapshotEveryMs: number;
  private persistedAt: number | undefined;
  private changedSincePersist = false;
  /** What the last load did, for logs and benchmarks. */
  lastLoad: { readonly kind: 'full' | 'incremental' | 'snapshot'; readonly read: number; readonly changed: number; readonly ms: number } | undefined;

  constructor(
    private readonly store: CatalogStore,
    options: SearchCacheOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.overlapMs = options.overlapMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.snapshots = options.snapshots;
    this.snapshotEveryMs = options.snapshotEveryMs ?? 10 * 60_000;
  }

  async get(): Promise<SearchSnapshot> {
    if (this.snapshot && this.now() - this.loadedAt < this.maxAgeMs) return this.snapshot;
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async load(): Promise<SearchSnapshot> {
    const fromSnapshot = !this.snapshot && (await this.restore());
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
    const changed: CatalogDocument[] = [];
    for (const record of records) {
      const known = this.revisions.get(record.product);
      if (known !== undefined && known >= record.revision) continue;
      this.revisions.set(record.product, record.revision);
      this.summaries.set(record.product, record.summary);
      changed.push(decodeDocument(record.doc));
    }
    // Only the changed products are (re-)indexed; index and summaries change in one synchronous step.
    if (!this.snapshot) this.snapshot = { index: SearchIndex.build(changed), summaries: this.summaries };
    else if (changed.length > 0) this.snapshot.index.upsert(changed);
    this.loadedAt = started;
    this.previousLoadStart = started;
    if (changed.length > 0) this.changedSincePersist = true;
    this.lastLoad = { kind: fromSnapshot ? 'snapshot' : since === undefined ? 'full' : 'incremental', read: records.length, changed: changed.length, ms: this.now() - started };
    logger.debug('search index loaded', { ...this.lastLoad });
    await this.persist(started);
    return this.snapshot;
  }

  /** Starts from the persisted snapshot; any problem with it means a full load instead. */
  private async restore(): Promise<boolean> {
    if (!this.snapshots) return false;
    try {
      const body = await this.snapshots.read();
      if (!body) return false;
      const persisted = decodeSearchSnapshot(body);
      const index = persisted.index;
      for (const [product, revision, summary] of persisted.entries) {
        this.revisions.set(product, revision);
        this.summaries.set(product, summary);
      }
      this.snapshot = { index, summaries: this.summaries };
      this.previousLoadStart = persisted.watermark;
      this.persistedAt = this.now();
      return true;
    } catch (e) {
      logger.warn('the persisted search snapshot cannot be used; reading every product instead', { error: e as Error });
      this.revisions.clear();
      this.summaries.clear();
      this.snapshot = undefined;
      return false;
    }
  }

  /** Writes the snapshot after a full load, and after changes at most every `snapshotEveryMs`. */
  private async persist(watermark: number): Promise<void> {
    if (!this.snapshots || !this.snapshot || !this.changedSincePersist) return;
    if (this.persistedAt !== undefined && this.now() - this.persistedAt < this.snapshotEveryMs) return;
    try {
      const entries = [...this.revisions].map(([product, revision]) => [product, revision, this.summaries.get(product)!] as const);
      await this.snapshots.write(encodeSearchSnapshot({ watermark, entries, index: this.snapshot.index }));
      this.persistedAt = this.now();
      this.changedSincePersist = false;
    } catch (e) {
      // The next cold start reads every product instead; nothing is lost.
      logger.warn('could not write the search snapshot', { error: e as Error });
    }
  }
}

/** The snapshot as one S3 object (the catalog's bucket; KMS-encrypted by the bucket's default). */
export function s3SnapshotStore(s3: S3Client, bucket: string, key = SEARCH_SNAPSHOT_KEY): SearchSnapshotStore {
  return {
    read: async () => {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return object.Body ? await object.Body.transformToByteArray() : undefined;
      } catch (e) {
        if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
        throw e;
      }
    },
    write: async (body) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/octet-stream', ContentEncoding: 'gzip' }));
    },
  };
}
