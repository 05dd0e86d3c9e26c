/**
 * Runs compiled statements on an engine and judges every check: the same code for DuckDB locally
 * and Athena on AWS (through the `QueryEngine` port). A statement that fails marks its checks as
 * errors with the engine's message; the others still run.
 */
import type { Cell, QueryEngine } from '../engines/query-engine.js';
import type { CompiledStatement } from './compile.js';
import { describeThreshold, formatAge, formatDuration, instantOf, meetsThreshold } from './evaluate.js';
import type { Check, QualityPlan } from './plan-types.js';

export interface CheckResult {
  readonly id: string;
  readonly name: string;
  readonly table: string;
  readonly column?: string;
  readonly kind: Check['kind'];
  readonly source: Check['source'];
  readonly dimension: string;
  readonly severity: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly expected: string;
  readonly actual: string;
  /** The measured number (rows, percent, or age in ms for SLAs). */
  readonly value?: number;
  readonly message?: string;
  readonly line?: number;
}

export interface StatementRun {
  readonly id: string;
  readonly kind: CompiledStatement['kind'];
  readonly sql: string;
  readonly elapsedMs: number;
  readonly error?: string;
  readonly bytesScanned?: number;
}

export interface QualityReport {
  readonly product: string;
  readonly version: string;
  readonly engine: string;
  readonly now: string;
  readonly results: readonly CheckResult[];
  readonly statements: readonly StatementRun[];
  /** Rows read by the full-table aggregate scans. */
  readonly rowsScanned: number;
  readonly bytesScanned?: number;
  readonly elapsedMs: number;
  readonly skipped: QualityPlan['skipped'];
  readonly summary: { readonly passed: number; readonly failed: number; readonly errors: number; readonly failedErrorSeverity: number };
}

/** At most this many failing checks travel in a quality event. */
export const MAX_FAILING_IN_EVENT = 100;

/**
 * The `detail` of the `tessera.quality` event a run puts on the mesh's central bus (the catalog
 * consumes it): the counts and at most 100 failing checks, so the event stays far below 256 KB.
 * SLA checks come first, then error severity, so a long list never hides what the catalog's
 * freshness and trust are judged on.
 */
export function qualityEventDetailOf(report: QualityReport, runId: string) {
  const rank = (r: CheckResult): number => (r.source === 'sla' ? 0 : r.severity === 'error' ? 1 : 2);
  return {
    product: report.product,
    version: report.version,
    runId,
    at: report.now,
    summary: report.summary,
    failing: report.results
      .filter((r) => r.status !== 'pass')
      .map((r, i) => ({ r, i }))
      .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
      .slice(0, MAX_FAILING_IN_EVENT)
      .map(({ r }) => r)
      .map((r) => ({ id: r.id, name: r.name, status: r.status, severity: r.severity, actual: r.actual, expected: r.expected })),
  };
}

export async function runQualityPlan(plan: QualityPlan, statements: readonly CompiledStatement[], engine: QueryEngine, options: { now: Date }): Promise<QualityReport> {
  const started = performance.now();
  const checks = new Map(plan.tables.flatMap((t) => t.checks.map((c) => [c.id, c] as const)));
  const values = new Map<string, { value: Cell; rows?: number }>();
  const failures = new Map<string, string>();
  const runs: StatementRun[] = [];
  let rowsScanned = 0;
  let bytesScanned: number | undefined;

  for (const statement of statements) {
    const t0 = performance.now();
    if (statement.error) {
      for (const id of statement.outputs.flatMap((o) => o.checks)) failures.set(id, statement.error);
      runs.push({ id: statement.id, kind: statement.kind, sql: statement.sql, elapsedMs: 0, error: statement.error });
      continue;
    }
    try {
      const result = await engine.run(statement.sql);
      const row = result.rows[0] ?? [];
      if (result.bytesScanned !== undefined) bytesScanned = (bytesScanned ?? 0) + result.bytesScanned;
      const cell = (alias: string, index: number): Cell => {
        const at = alias === '' ? index : result.columns.indexOf(alias);
        return at >= 0 ? (row[at] ?? null) : null;
      };
      const rowsByScope = new Map<string, number>();
      statement.outputs.forEach((output, i) => {
        if (output.role === 'rows') rowsByScope.set(output.scope, Number(cell(output.alias, i) ?? 0));
      });
      if (statement.kind === 'aggregate') rowsScanned += rowsByScope.get('full') ?? 0;
      statement.outputs.forEach((output, i) => {
        if (output.role !== 'measure') return;
        for (const id of output.checks) values.set(id, { value: cell(output.alias, i), rows: rowsByScope.get(output.scope) });
      });
      runs.push({ id: statement.id, kind: statement.kind, sql: statement.sql, elapsedMs: performance.now() - t0, bytesScanned: result.bytesScanned });
    } catch (e) {
      const message = (e as Error).message.split('\n')[0] ?? String(e);
      for (const id of statement.outputs.flatMap((o) => o.checks)) failures.set(id, message);
      runs.push({ id: statement.id, kind: statement.kind, sql: statement.sql, elapsedMs: performance.now() - t0, error: message });
    }
  }

  const results: CheckResult[] = [];
  for (const check of checks.values()) {
    const common = {
      id: check.id,
      name: check.name,
      table: check.table,
      ...(check.column ? { column: check.column } : {}),
      kind: check.kind,
      source: check.source,
      dimension: check.dimension,
      severity: check.severity,
      ...(check.origin?.position ? { line: check.origin.position.line } : {}),
    };
    const expected = check.kind === 'age' ? `≤ ${formatDuration(check.maxAgeMs)} old` : describeThreshold(check.threshold, check.kind === 'aggregate' ? check.unit : 'rows');
    const failure = failures.get(check.id);
    const measured = values.get(check.id);
    if (failure !== undefined || !measured) {
      results.push({ ...common, status: 'error', expected, actual: 'not measured', message: failure ?? 'the statement returned no value for this check' });
      continue;
    }
    if (check.kind === 'age') {
      if (measured.value === null) {
        const empty = check.measure.op === 'max';
        results.push({ ...common, status: empty ? 'fail' : 'pass', expected, actual: 'no rows', message: empty ? 'the table has no data, so nothing is fresh' : undefined });
        continue;
      }
      const age = options.now.getTime() - instantOf(String(measured.value), check.columnType);
      const ok = age <= check.maxAgeMs;
      results.push({ ...common, status: ok ? 'pass' : 'fail', expected, actual: `${formatAge(age)} (${check.measure.op === 'max' ? 'newest' : 'oldest'} ${String(measured.value)})`, value: age });
      continue;
    }
    const raw = measured.value;
    const number = typeof raw === 'number' ? raw : raw === null ? 0 : Number(raw);
    if (!Number.isFinite(number)) {
      results.push({ ...common, status: 'error', expected, actual: String(raw), message: 'the check returned something other than a number' });
      continue;
    }
    if (check.kind === 'aggregate' && check.unit === 'percent') {
      const rows = measured.rows ?? 0;
      const percent = rows === 0 ? 0 : (number / rows) * 100;
      results.push({ ...common, status: meetsThreshold(percent, check.threshold) ? 'pass' : 'fail', expected, actual: `${round(percent)}% (${number} of ${rows} rows)`, value: percent });
      continue;
    }
    results.push({ ...common, status: meetsThreshold(number, check.threshold) ? 'pass' : 'fail', expected, actual: String(number), value: number });
  }

  const failedErrorSeverity = results.filter((r) => r.status !== 'pass' && r.severity.toLowerCase() === 'error').length;
  return {
    product: plan.product,
    version: plan.version,
    engine: engine.name,
    now: options.now.toISOString(),
    results,
    statements: runs,
    rowsScanned,
    ...(bytesScanned !== undefined ? { bytesScanned } : {}),
    elapsedMs: performance.now() - started,
    skipped: plan.skipped,
    summary: {
      passed: results.filter((r) => r.status === 'pass').length,
      failed: results.filter((r) => r.status === 'fail').length,
      errors: results.filter((r) => r.status === 'error').length,
      failedErrorSeverity,
    },
  };
}

function round(n: number): string {
  return n === Math.round(n) ? String(n) : n.toFixed(2);
}
