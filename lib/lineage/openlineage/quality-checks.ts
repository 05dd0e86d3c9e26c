/**
 * A quality run's checks as OpenLineage assertions, per table. A `tessera.quality` event names only
 * the failing checks (at most 100: lib/quality/run.ts); every other check of the version's plan
 * passed. When the event's list is cut short, the checks it does not name are unknown and left out,
 * rather than reported as passed.
 */
import type { QualityEventDetail } from '../../catalog/publication.js';
import type { Check, QualityPlan } from '../../quality/plan-types.js';
import type { Assertion } from './facets.js';
import type { QualityTableResult } from './quality.js';

/** The facet's classification of a check ("not_null, unique, row_count, freshness, custom_sql, ..."). */
function assertionOf(check: Check): string {
  switch (check.kind) {
    case 'age':
      return check.id.endsWith('.retention') ? 'retention' : 'freshness';
    case 'sql':
      return 'custom_sql';
    case 'reference':
      return 'relationships';
    case 'aggregate':
      if (check.measure.op === 'count') return 'row_count';
      if (check.measure.op === 'duplicates') return 'unique';
      if (check.measure.op === 'countIf') return check.dimension;
      return 'range';
  }
}

/** Whether the run failed as the quality service judges it: an error-severity check failed or could not run. */
export function qualityRunFailed(detail: Pick<QualityEventDetail, 'summary'>): boolean {
  return detail.summary.failedErrorSeverity > 0 || detail.summary.errors > 0;
}

export function qualityTablesOf(detail: Pick<QualityEventDetail, 'summary' | 'failing'>, plan: QualityPlan | undefined): QualityTableResult[] {
  const failing = new Map(detail.failing.map((f) => [f.id, f]));
  const complete = detail.failing.length >= detail.summary.failed + detail.summary.errors;
  const tables = new Map<string, Assertion[]>();
  const add = (table: string, assertion: Assertion): void => void tables.set(table, [...(tables.get(table) ?? []), assertion]);
  const planned = new Set<string>();
  for (const table of plan?.tables ?? []) {
    for (const check of table.checks) {
      planned.add(check.id);
      const failed = failing.get(check.id);
      if (!failed && !complete) continue;
      add(table.physicalTable, {
        assertion: assertionOf(check),
        success: !failed,
        ...(check.column ? { column: check.column } : {}),
        severity: check.severity,
        name: check.id,
        ...(failed?.expected !== undefined ? { expected: failed.expected } : {}),
        ...(failed?.actual !== undefined ? { actual: failed.actual } : {}),
      });
    }
  }
  // Failing checks the plan does not know (no published version to plan from, or schema drift
  // findings): their table is the first segment of the id, `<table>.<column or *>.<what>`.
  for (const f of detail.failing) {
    if (planned.has(f.id)) continue;
    add(f.id.split('.')[0]!, { assertion: f.id.split('.').pop()!, success: false, severity: f.severity, name: f.id, ...(f.expected !== undefined ? { expected: f.expected } : {}), ...(f.actual !== undefined ? { actual: f.actual } : {}) });
  }
  return [...tables].map(([table, assertions]) => ({ table, assertions }));
}
