/**
 * Which breaking-change report each stored version should carry: its diff against the version
 * right below it in semver order. Versions may arrive in any order, so after a version is stored the
 * ingest corrects its own diff and the next version's (`lambdas/catalog/ingest/reconcile-diffs.ts`);
 * this module decides what each should be and whether what is stored differs. Pure.
 */
import { stableJson } from '../contract/diff.js';
import { loadContract } from '../contract/load.js';
import type { DataContract } from '../contract/model.js';
import type { MeshConfig } from '../mesh/config.js';
import type { ContractLocation, DiffReport } from './api-schema.js';
import { diffReportOf } from './records.js';

/** What is stored of a version that the diff needs. */
export interface StoredContract {
  readonly version: string;
  readonly text: string;
  readonly location: ContractLocation;
}

export interface VersionDiff {
  readonly previousVersion: string | null;
  readonly diff: DiffReport | null;
}

/** Loads a stored contract again (it was valid when stored; undefined if a later release disagrees). */
export function loadStored(record: StoredContract, config: MeshConfig | undefined): DataContract | undefined {
  return loadContract(record.text, `s3://${record.location.bucket}/${record.location.key}`, { profile: 'odcs', classifications: config?.classifications }).contract;
}

/** previousVersion and diff of `contract` against the version below it (none: the first version). */
export function diffAgainst(previous: StoredContract | undefined, contract: DataContract, config: MeshConfig | undefined): VersionDiff {
  if (!previous) return { previousVersion: null, diff: null };
  const before = loadStored(previous, config);
  return { previousVersion: previous.version, diff: before ? diffReportOf(before, contract, config?.classifications) : null };
}

/** Whether `stored` differs from `wanted`, compared as storage gives it back. */
export function diffDiffers(stored: VersionDiff, wanted: VersionDiff): boolean {
  return stored.previousVersion !== wanted.previousVersion || stableJson(stored.diff) !== stableJson(normalized(wanted.diff));
}

/** As it reads back from storage (JSON drops undefined fields). */
export function normalized<T>(value: T): T {
  return value === null || value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
