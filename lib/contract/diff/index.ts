/**
 * Contract evolution: what changed between two versions of a data contract, judged from the side
 * of the product's consumers (their queries, their pipelines, their access) and of its existing
 * data. Pure: two loaded contracts in, a list of classified changes and a verdict out.
 *
 * A change is `breaking` when a consumer or existing data can fail without doing anything
 * (a column disappears, a type narrows, an SLA weakens), a `warning` when it may surprise someone
 * and deserves a look, `compatible` otherwise; compatible changes are still reported because the
 * catalog shows them. Any breaking change needs a major version bump (semver).
 *
 * Each area has its module (contract.ts, servers.ts, tables.ts, columns.ts, slas.ts, quality.ts);
 * the orders they judge by are code of their own (type-lattice.ts, bounds.ts, sla-order.ts,
 * thresholds.ts).
 */
import semver from 'semver';
import { compareContract } from './contract.js';
import { DiffContext } from './context.js';
import type { DataContract } from '../model.js';
import { compareQuality } from './quality.js';
import { DEFAULT_CLASSIFICATIONS } from '../rules.js';
import type { ContractDiff, DiffOptions, VersionBump } from './rules.js';
import { compareServers } from './servers.js';
import { compareSlas } from './slas.js';
import { compareTables } from './tables.js';

export { CHANGE_SEVERITIES, DIFF_RULES, type Change, type ChangeSeverity, type ContractDiff, type DiffOptions, type DiffRule, type VersionBump } from './rules.js';
export { matchBy } from './match.js';
export { compareScalarTypes } from './type-lattice.js';
export { sortKeys, stableJson } from './text.js';

/** The areas, in the order of the report. */
const AREAS: readonly ((ctx: DiffContext) => void)[] = [compareContract, compareServers, compareTables, compareSlas, compareQuality];

export function diffContracts(before: DataContract, after: DataContract, options: DiffOptions = {}): ContractDiff {
  const ctx = new DiffContext(before, after, options.classifications ?? DEFAULT_CLASSIFICATIONS);
  for (const compare of AREAS) compare(ctx);
  const versionBumpValue = versionBump(before.version, after.version);
  if (ctx.changes.length > 0 && versionBumpValue === 'none') {
    ctx.emit({
      rule: 'version-unchanged',
      subject: 'version',
      message: `the contract changed but its version is still ${after.version}; the stored contract of that version would be replaced, so consumers cannot tell the two apart`,
      before: before.version,
      after: after.version,
      origin: ctx.topOrigin('version'),
    });
  }
  const changes = [...ctx.changes];
  const breaking = changes.some((c) => c.severity === 'breaking');
  const ok = !(breaking && versionBumpValue !== 'major') && versionBumpValue !== 'downgrade';
  let suggested: string | undefined;
  if (!ok && semver.valid(before.version)) {
    suggested = breaking ? (semver.inc(before.version, 'major') ?? undefined) : (semver.inc(before.version, 'patch') ?? undefined);
  }
  return {
    changes,
    breaking,
    versionBump: versionBumpValue,
    ok,
    versions: { before: before.version, after: after.version, ...(suggested ? { suggested } : {}) },
  };
}

/** How `after` moved from `before` in semver terms; a pre-release counts as its kind (premajor = major). */
export function versionBump(before: string, after: string): VersionBump {
  if (!semver.valid(before) || !semver.valid(after)) return 'invalid';
  if (semver.lt(after, before)) return 'downgrade';
  switch (semver.diff(before, after)) {
    case null:
      return 'none';
    case 'major':
    case 'premajor':
      return 'major';
    case 'minor':
    case 'preminor':
      return 'minor';
    default:
      return 'patch';
  }
}
