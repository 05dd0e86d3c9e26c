/**
 * Runs compiled statements on an engine and judges every check: the same code for DuckDB locally
 * and Athena on AWS (through the `QueryEngine` port). A statement that fails marks its checks as
 * errors with the engine's message; the others still run.
 */
import type { Cell, QueryEngine, QueryResult } from '../engines/query-engine.js';
import type { CompiledStatement, StatementOutput } from './compile.js';
import { describeThreshold, formatAge, formatDuration, instantOf, meetsThreshold } from './evaluate.js';
import type { Check, QualityPlan } from './plan-types.js';

export interface CheckResult {
  readonly id: string;
  readonly name: string;
  readonly table: string;
  readonly column?: string;
  /** `schema`: a drift finding, the data files against the declared columns (./drift.ts). */
  readonly kind: Check['kind'] | 'schema';
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
  /** Local runs: the files read for each table. */
  readonly sources?: readonly { readonly table: string; readonly path: string; readonly files: readonly string[]; readonly bytes: number }[];
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
      if (result.bytesScanned !== undefined) bytesScanned = (bytesScanned ?? 0) + result.bytesScanned;
      // An SLA's newest or oldest value is NULL on an empty table; every other NULL is a measure not returned.
      const cells = readOutputs(statement, result, (output) => output.checks.every((id) => checks.get(id)?.kind === 'age'));
      const rowsOf = new Map(statement.outputs.flatMap((o, i) => (o.role === 'rows' ? [[o.scope, cells[i]!] as const] : [])));
      if (statement.kind === 'aggregate') rowsScanned += Number(rowsOf.get('full')?.value ?? 0);
      statement.outputs.forEach((output, i) => {
        if (output.role !== 'measure') return;
        const rows = rowsOf.get(output.scope);
        for (const id of output.checks) {
          const check = checks.get(id);
          const needsRows = check?.kind === 'aggregate' && check.unit === 'percent';
          // A measure the statement did not return is an error, never a 0 that passes `mustBe: 0`.
          const missing = cells[i]!.missing ?? (needsRows ? (rows?.missing ?? (rows ? undefined : `statement ${statement.id} has no row count for scope ${output.scope}`)) : undefined);
          if (missing) failures.set(id, `unmeasured: ${missing}`);
          else values.set(id, { value: cells[i]!.value, rows: rows?.missing ? undefined : Number(rows?.value) });
        }
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
    const number = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(number)) {
      results.push({ ...common, status: 'error', expected, actual: String(raw), message: 'the check returned something other than a number' });
      continue;
    }
    if (check.kind === 'aggregate' && check.unit === 'percent') {
      const rows = measured.rows!;
      const percent = rows === 0 ? 0 : (number / rows) * 100;
      results.push({ ...common, status: meetsThreshold(percent, check.threshold) ? 'pass' : 'fail', expected, actual: `${round(percent)}% (${number} of ${rows} rows)`, value: percent });
      continue;
    }
    results.push({ ...common, status: meetsThreshold(number, check.threshold) ? 'pass' : 'fail', expected, actual: String(number), value: number });
  }

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
    summary: summarize(results),
  };
}

/** The report with more results in front (drift findings), its summary counted again. */
export function withResults(report: QualityReport, first: readonly CheckResult[]): QualityReport {
  const results = [...first, ...report.results];
  return { ...report, results, summary: summarize(results) };
}

function summarize(results: readonly CheckResult[]): QualityReport['summary'] {
  return {
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    errors: results.filter((r) => r.status === 'error').length,
    failedErrorSeverity: results.filter((r) => r.status !== 'pass' && r.severity.toLowerCase() === 'error').length,
  };
}

/**
 * Each output of a statement as the engine returned it, or why it is missing: no row, no column of
 * that name, or a NULL where a count is due. Only the newest/oldest value of an SLA may be NULL (an
 * empty table), and the value of a `sql` rule is its first column, whatever its name.
 */
function readOutputs(statement: CompiledStatement, result: QueryResult, mayBeNull: (output: StatementOutput) => boolean): { value: Cell; missing?: string }[] {
  const row = result.rows[0];
  return statement.outputs.map((output, index) => {
    const what = output.role === 'rows' ? `the row count of scope ${output.scope}` : `the measure of check ${output.checks.join(', ')}`;
    const column = output.alias === '' ? `column ${index + 1}` : `column "${output.alias}"`;
    if (!row) return { value: null, missing: `statement ${statement.id} returned no row, so ${what} (${column}) was not measured` };
    const at = output.alias === '' ? index : result.columns.indexOf(output.alias);
    if (at < 0 || at >= row.length) return { value: null, missing: `statement ${statement.id} returned no ${column}, so ${what} was not measured` };
    const value = row[at] ?? null;
    if (value === null && (output.role === 'rows' || !mayBeNull(output)))
      return { value, missing: `statement ${statement.id} returned NULL in ${column} where ${what} is due` };
    return { value };
  });
}

function round(n: number): string {
  return n === Math.round(n) ? String(n) : n.toFixed(2);
}
