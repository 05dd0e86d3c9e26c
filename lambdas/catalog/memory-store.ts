/**
 * An in-memory `CatalogStore` with the DynamoDB adapter's layout, ordering and conditions: for fast
 * tests of the handlers, benchmarks, and demos without an AWS endpoint. Records are copied in and
 * out, so callers cannot change what is stored by mutating what they passed or got.
 */
import type { DiffReport, Rejection, VersionSummary } from '../../lib/catalog/api-schema.js';
import type { MeshConfig } from '../../lib/mesh/config.js';
import { CursorError } from '../../lib/catalog/cursor.js';
import type { RunEvent } from '../../lib/lineage/openlineage/run-event.js';
import {
  LINEAGE_PREFIX,
  lineageSortKey,
  productPk,
  QUALITY_PREFIX,
  qualitySortKey,
  REJECTION_PREFIX,
  rejectionSortKey,
  VERSION_PREFIX,
  versionSortKey,
  versionSummaryOf,
  type CatalogStore,
  type LineageRecord,
  type Page,
  type PageRequest,
  type StoredQualityRun,
  type SummaryRecord,
  type VersionRecord,
} from './store.js';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryCatalogStore implements CatalogStore {
  private config: MeshConfig | undefined;
  private readonly summaries = new Map<string, SummaryRecord>();
  /** pk → sk → record, for versions, quality runs and rejections. */
  private readonly items = new Map<string, Map<string, VersionRecord | StoredQualityRun | Rejection | LineageRecord>>();
  /** Job name → event. */
  /** The mesh's structural lineage events, as the last deploy wrote them. */
  private meshEvents: RunEvent[] = [];
  /** Calls per method, for tests that check what a request read. */
  readonly calls = new Map<string, number>();

  getMeshConfig(): Promise<MeshConfig | undefined> {
    this.count('getMeshConfig');
    return Promise.resolve(copy(this.config));
  }

  putMeshConfig(config: MeshConfig): Promise<void> {
    this.config = copy(config);
    return Promise.resolve();
  }

  getSummary(product: string): Promise<SummaryRecord | undefined> {
    this.count('getSummary');
    return Promise.resolve(copy(this.summaries.get(product)));
  }

  putSummary(record: SummaryRecord): Promise<boolean> {
    const current = this.summaries.get(record.product);
    if ((current?.revision ?? 0) !== record.revision - 1) return Promise.resolve(false);
    this.summaries.set(record.product, copy(record));
    return Promise.resolve(true);
  }

  changedSummaries(since?: string): Promise<SummaryRecord[]> {
    this.count('changedSummaries');
    const out = [...this.summaries.values()].filter((s) => since === undefined || s.changedAt > since).sort((a, b) => a.changedAt.localeCompare(b.changedAt));
    return Promise.resolve(copy(out));
  }

  getVersion(product: string, version: string): Promise<VersionRecord | undefined> {
    this.count('getVersion');
    return Promise.resolve(copy(this.partition(product).get(versionSortKey(version)) as VersionRecord | undefined));
  }

  latestVersion(product: string): Promise<VersionRecord | undefined> {
    const keys = this.keys(product, VERSION_PREFIX);
    const last = keys[keys.length - 1];
    return Promise.resolve(last === undefined ? undefined : copy(this.partition(product).get(last) as VersionRecord));
  }

  adjacentVersions(product: string, version: string): Promise<{ previous?: VersionRecord; next?: VersionRecord }> {
    const key = versionSortKey(version);
    const keys = this.keys(product, VERSION_PREFIX);
    const below = keys.filter((k) => k < key);
    const above = keys.filter((k) => k > key);
    const at = (k: string | undefined) => (k === undefined ? undefined : copy(this.partition(product).get(k) as VersionRecord));
    return Promise.resolve({ previous: at(below[below.length - 1]), next: at(above[0]) });
  }

  putVersionIfAbsent(record: VersionRecord): Promise<{ written: true } | { written: false; existing: VersionRecord }> {
    const partition = this.partition(record.product);
    const key = versionSortKey(record.version);
    const existing = partition.get(key) as VersionRecord | undefined;
    if (existing) return Promise.resolve({ written: false, existing: copy(existing) });
    partition.set(key, copy(record));
    return Promise.resolve({ written: true });
  }

  setVersionDiff(product: string, version: string, sha256: string, expectedPrevious: string | null, previousVersion: string | null, diff: DiffReport | null): Promise<boolean> {
    const partition = this.partition(product);
    const key = versionSortKey(version);
    const existing = partition.get(key) as VersionRecord | undefined;
    if (!existing || existing.sha256 !== sha256 || existing.previousVersion !== expectedPrevious) return Promise.resolve(false);
    partition.set(key, { ...existing, previousVersion, diff: copy(diff) });
    return Promise.resolve(true);
  }

  versions(product: string, page: PageRequest): Promise<Page<VersionSummary>> {
    this.count('versions');
    const { items, last } = this.page<VersionRecord>(product, VERSION_PREFIX, page);
    return Promise.resolve({ items: items.map(versionSummaryOf), last });
  }

  putQualityRun(run: StoredQualityRun): Promise<boolean> {
    const partition = this.partition(run.product);
    const key = qualitySortKey(run);
    if (partition.has(key)) return Promise.resolve(false);
    partition.set(key, copy(run));
    return Promise.resolve(true);
  }

  qualityRuns(product: string, page: PageRequest): Promise<Page<StoredQualityRun>> {
    this.count('qualityRuns');
    return Promise.resolve(this.page<StoredQualityRun>(product, QUALITY_PREFIX, page));
  }

  putRejection(rejection: Rejection): Promise<void> {
    this.partition(rejection.product).set(rejectionSortKey(rejection), copy(rejection));
    return Promise.resolve();
  }

  rejections(product: string, limit: number): Promise<Rejection[]> {
    this.count('rejections');
    return Promise.resolve([...this.page<Rejection>(product, REJECTION_PREFIX, { limit }).items]);
  }

  putLineageEvent(record: LineageRecord): Promise<void> {
    this.partition(record.product).set(lineageSortKey(record.event), copy(record));
    return Promise.resolve();
  }

  lineageEvents(product: string, limit: number): Promise<LineageRecord[]> {
    this.count('lineageEvents');
    return Promise.resolve([...this.page<LineageRecord>(product, LINEAGE_PREFIX, { limit }).items]);
  }

  meshLineage(): Promise<RunEvent[]> {
    this.count('meshLineage');
    return Promise.resolve(this.meshEvents.map(copy));
  }

  putMeshLineage(events: readonly RunEvent[]): Promise<void> {
    this.meshEvents = events.map(copy);
    return Promise.resolve();
  }

  private count(method: string): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }

  private partition(product: string): Map<string, VersionRecord | StoredQualityRun | Rejection | LineageRecord> {
    const pk = productPk(product);
    let partition = this.items.get(pk);
    if (!partition) {
      partition = new Map();
      this.items.set(pk, partition);
    }
    return partition;
  }

  private keys(product: string, prefix: string): string[] {
    return [...this.partition(product).keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  private page<T>(product: string, prefix: string, { limit, after }: PageRequest): Page<T> {
    if (after !== undefined && !after.startsWith(prefix)) throw new CursorError('the cursor does not belong to this list');
    const keys = this.keys(product, prefix)
      .reverse()
      .filter((k) => after === undefined || k < after);
    const kept = keys.slice(0, limit);
    return { items: kept.map((k) => copy(this.partition(product).get(k) as T)), last: keys.length > limit ? kept[kept.length - 1] : undefined };
  }
}
