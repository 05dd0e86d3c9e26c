/**
 * The catalog's storage port. The ingest and the API depend on this interface only; the DynamoDB
 * adapter (`dynamo-store.ts`) serves AWS and the in-memory one (`memory-store.ts`) fast tests and
 * demos. Both keep the same single-table layout and conditions, described here once:
 *
 * | pk                | sk                              | what                                            |
 * |-------------------|---------------------------------|-------------------------------------------------|
 * | `MESH`            | `CONFIG`                        | `config`: the mesh config JSON (governance stack) |
 * | `PRODUCT#<id>`    | `SUMMARY`                       | the search result record + compact search doc;  |
 * |                   |                                 | GSI `byChange`: `changeKey='product'`, `changedAt` |
 * | `PRODUCT#<id>`    | `VERSION#<sortable version>`    | one published version: sha256, location, page,  |
 * |                   |                                 | doc, diff vs the previous version, contract text |
 * | `PRODUCT#<id>`    | `QUALITY#<at>#<runId>`          | one quality run                                 |
 * | `PRODUCT#<id>`    | `REJECTION#<at>#<eventId>`      | one refused publication                         |
 * | `PRODUCT#<id>`    | `LINEAGE#<eventTime>#<runId>`   | one OpenLineage run of the product (publication, |
 * |                   |                                 | quality run), with the publication's correlation id |
 * | `LINEAGE`         | `MESH`                          | the OpenLineage events of the mesh views and the |
 * |                   |                                 | products' input ports, packed (governance deploy) |
 *
 * A version item is written only if absent (never overwritten); the summary with optimistic locking
 * (`revision`), so concurrent ingests of the same product cannot lose each other's changes.
 */
import semver from 'semver';
import type { ContractLocation, DiffReport, ProductPage, ProductSummary, QualityRun, Rejection, VersionSummary } from '../../lib/catalog/api-schema.js';
import type { RunEvent } from '../../lib/lineage/openlineage/run-event.js';
import type { MeshConfig } from '../../lib/mesh/config.js';

export interface SummaryRecord {
  readonly product: string;
  /** Incremented on every write; the condition of the next one. */
  readonly revision: number;
  /** When the record last changed (ISO 8601); the `byChange` index's sort key. */
  readonly changedAt: string;
  readonly summary: ProductSummary;
  /** The search document, encoded by `encodeDocument`. */
  readonly doc: string;
  readonly slaCheckIds: readonly string[];
}

export interface VersionRecord {
  readonly product: string;
  readonly version: string;
  readonly sha256: string;
  readonly publishedAt: string;
  readonly location: ContractLocation;
  /** The correlation id of the publication that stored this version (the first, for a redelivery). */
  readonly correlationId?: string;
  readonly previousVersion: string | null;
  readonly diff: DiffReport | null;
  readonly page: ProductPage;
  /** The search document of this version (`encodeDocument`). */
  readonly doc: string;
  /** The contract as published (needed to diff against versions that arrive later). */
  readonly text: string;
}

export interface StoredQualityRun extends QualityRun {
  readonly product: string;
}

/** An OpenLineage run of one product, as the ingest stored it. */
export interface LineageRecord {
  readonly product: string;
  /** The correlation id of the publication the run belongs to (publications only). */
  readonly correlationId?: string;
  readonly event: RunEvent;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** The sort key to continue after, when there may be more. */
  readonly last?: string;
}

export interface PageRequest {
  readonly limit: number;
  /** Continue after this sort key (from `Page.last`). */
  readonly after?: string;
}

export interface CatalogStore {
  getMeshConfig(): Promise<MeshConfig | undefined>;
  putMeshConfig(config: MeshConfig): Promise<void>;

  getSummary(product: string): Promise<SummaryRecord | undefined>;
  /** Writes `record` if the stored revision is still `record.revision - 1` (absent for 1); false otherwise. */
  putSummary(record: SummaryRecord): Promise<boolean>;
  /** Summaries changed after `since` (every summary without it), for the search index. */
  changedSummaries(since?: string): Promise<SummaryRecord[]>;

  getVersion(product: string, version: string): Promise<VersionRecord | undefined>;
  /** The highest version (semver order), with its page. */
  latestVersion(product: string): Promise<VersionRecord | undefined>;
  /** The versions just below and just above `version` in semver order. */
  adjacentVersions(product: string, version: string): Promise<{ previous?: VersionRecord; next?: VersionRecord }>;
  /** Writes the version if no version with that number exists; otherwise returns the stored one, untouched. */
  putVersionIfAbsent(record: VersionRecord): Promise<{ written: true } | { written: false; existing: VersionRecord }>;
  /**
   * Replaces the diff of a stored version, only while its sha256 is `sha256` and its previous version
   * is still `expectedPrevious` (compare-and-set: two ingests correcting the same version cannot
   * overwrite each other with stale neighbours). False when the version changed meanwhile.
   */
  setVersionDiff(product: string, version: string, sha256: string, expectedPrevious: string | null, previousVersion: string | null, diff: DiffReport | null): Promise<boolean>;
  /** Newest first. */
  versions(product: string, page: PageRequest): Promise<Page<VersionSummary>>;

  /** Writes the run unless a run with the same `at` and `runId` is stored; false when it was. */
  putQualityRun(run: StoredQualityRun): Promise<boolean>;
  /** Newest first. */
  qualityRuns(product: string, page: PageRequest): Promise<Page<StoredQualityRun>>;

  /** Idempotent per (product, at, eventId). */
  putRejection(rejection: Rejection): Promise<void>;
  /** Newest first. */
  rejections(product: string, limit: number): Promise<Rejection[]>;

  /** Idempotent per (product, eventTime, runId): a redelivered message writes the same item. */
  putLineageEvent(record: LineageRecord): Promise<void>;
  /** Newest first. */
  lineageEvents(product: string, limit: number): Promise<LineageRecord[]>;
  /** The events of the mesh's structure (views, input ports), as the last deploy wrote them. */
  meshLineage(): Promise<RunEvent[]>;
  /** Replaces them all (one item, `lib/lineage/openlineage/pack.ts`), as the governance stack's deploy does. */
  putMeshLineage(events: readonly RunEvent[]): Promise<void>;
}

export const MESH_PK = 'MESH';
export const CONFIG_SK = 'CONFIG';
export const SUMMARY_SK = 'SUMMARY';
export { CHANGE_INDEX } from '../../lib/catalog/table.js';
export const PRODUCT_CHANGE_KEY = 'product';
export const VERSION_PREFIX = 'VERSION#';
export const QUALITY_PREFIX = 'QUALITY#';
export const REJECTION_PREFIX = 'REJECTION#';
export const LINEAGE_PREFIX = 'LINEAGE#';
export const MESH_LINEAGE_PK = 'LINEAGE';
export const MESH_LINEAGE_SK = 'MESH';

export const productPk = (product: string): string => `PRODUCT#${product}`;

const DIGITS = 16;
const pad = (n: number): string => String(n).padStart(DIGITS, '0');

/**
 * A sort key that orders versions as semver does: numbers zero-padded, a release after its
 * pre-releases (`~` sorts after `-`), numeric pre-release identifiers padded. Build metadata, which
 * semver ignores for precedence, is appended so `1.0.0+a` and `1.0.0+b` stay distinct.
 */
export function versionSortKey(version: string): string {
  const v = semver.parse(version);
  if (!v) throw new Error(`not a semantic version: ${JSON.stringify(version)}`);
  const release = `${pad(v.major)}.${pad(v.minor)}.${pad(v.patch)}`;
  const pre = v.prerelease.length === 0 ? '~' : `-${v.prerelease.map((p) => (typeof p === 'number' ? pad(p) : p)).join('.')}`;
  const build = v.build.length > 0 ? `+${v.build.join('.')}` : '';
  return `${VERSION_PREFIX}${release}${pre}${build}`;
}

export function qualitySortKey(run: { at: string; runId: string }): string {
  return `${QUALITY_PREFIX}${run.at}#${run.runId}`;
}

export function rejectionSortKey(rejection: { at: string; eventId: string }): string {
  return `${REJECTION_PREFIX}${rejection.at}#${rejection.eventId}`;
}

export function lineageSortKey(event: { eventTime: string; run: { runId: string } }): string {
  return `${LINEAGE_PREFIX}${event.eventTime}#${event.run.runId}`;
}

export function versionSummaryOf(record: VersionRecord): VersionSummary {
  return {
    version: record.version,
    sha256: record.sha256,
    publishedAt: record.publishedAt,
    previousVersion: record.previousVersion,
    breaking: record.diff ? record.diff.breaking : null,
    changes: record.diff ? record.diff.changes.length : 0,
  };
}
