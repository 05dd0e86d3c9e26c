/**
 * `tessera test <contract> --data <folder-or-file>`: every quality rule of a contract (and what its
 * schema and SLAs imply) on local Parquet through DuckDB, with exactly the plan that runs on Athena.
 */
import { loadContractFile } from '../../lib/contract/load.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { LocalDataError } from '../../lib/engines/local-data.js';
import { runLocalQuality } from '../../lib/quality/local.js';
import { PlanError } from '../../lib/quality/plan.js';
import type { QualityReport } from '../../lib/quality/run.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';
import { contractFileOf } from './paths.js';

export interface QualityTestOptions {
  readonly data: string;
  readonly json?: boolean;
  /** The moment SLAs are measured at (ISO 8601). @default now */
  readonly now?: string;
  readonly showSql?: boolean;
}

export async function qualityTestCommand(contractFile: string, options: QualityTestOptions, io: CliIo): Promise<ExitCode> {
  const now = options.now === undefined ? new Date() : new Date(options.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now '${options.now}' is not a date-time; write e.g. --now 2026-11-25T08:00:00Z`);
  // Any valid ODCS contract can be tested: readiness as a data product is not needed to check data.
  const loaded = await loadContractFile(await contractFileOf(contractFile, io.cwd, 'test'), { profile: 'odcs' });
  if (!loaded.contract) {
    io.err(`${loaded.diagnostics.map((d) => formatDiagnostic({ ...d, file: contractFile })).join('\n')}\n\n${contractFile} is not a valid contract (run tessera validate for details)\n`);
    return 1;
  }
  const contract = loaded.contract;
  let report: QualityReport;
  try {
    report = await runLocalQuality(contract, options.data, now);
  } catch (e) {
    if (e instanceof LocalDataError) {
      io.err(`error: ${e.message}\n`);
      return 1;
    }
    if (e instanceof PlanError) {
      const where = e.origin?.position ? `${contractFile}:${e.origin.position.line}:${e.origin.position.column} ` : '';
      io.err(`${where}error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, options.showSql ?? false));
  // A check that could not be measured fails the run whatever its severity: nothing vouches for it.
  return report.summary.failedErrorSeverity > 0 || report.summary.errors > 0 ? 1 : 0;
}

/** Every file when there are a few; the first and last of a long partitioned list. */
function listFiles(files: readonly string[]): string {
  return files.length <= 4 ? files.join(', ') : `${files.slice(0, 2).join(', ')} … ${files.slice(-2).join(', ')} (--json lists all)`;
}

export function renderReport(report: QualityReport, showSql: boolean): string {
  const rows: string[][] = [['rule', 'dimension', 'severity', 'expected', 'actual', 'result']];
  for (const r of report.results) rows.push([r.name, r.dimension, r.severity, r.expected, r.actual, r.status === 'pass' ? 'pass' : r.status === 'fail' ? 'FAIL' : 'ERROR']);
  const widths = rows[0]!.map((_, i) => Math.min(60, Math.max(...rows.map((row) => row[i]!.length))));
  const line = (row: string[]): string => row.map((cell, i) => (cell.length > widths[i]! ? `${cell.slice(0, widths[i]! - 1)}…` : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [`${report.product} ${report.version} — ${report.results.length} checks on ${report.engine}, measured at ${report.now}`, ''];
  if (report.sources) {
    out.push('Data read:');
    for (const s of report.sources) out.push(`  ${s.table}: ${s.files.length} file${s.files.length === 1 ? '' : 's'}, ${s.bytes} bytes in ${s.path}: ${listFiles(s.files)}`);
    out.push('');
  }
  out.push(line(rows[0]!), line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows.slice(1)) out.push(line(row));
  const drift = report.results.filter((r) => r.kind === 'schema');
  if (drift.length > 0) {
    out.push('', 'Schema drift (the data files against the contract):');
    for (const r of drift) out.push(`  ${r.table}.${r.column ?? ''}: ${r.message ?? ''}`);
  }
  const errors = report.results.filter((r) => r.status === 'error');
  if (errors.length > 0) {
    out.push('', 'Checks that could not be measured:');
    for (const r of errors) out.push(`  ${r.name}: ${r.message ?? ''}`);
  }
  const failing = report.results.filter((r) => r.status === 'fail' && r.message);
  for (const r of failing) out.push(`  ${r.name}: ${r.message}`);
  if (report.skipped.length > 0) {
    out.push('', 'Not run:');
    for (const s of report.skipped) out.push(`  ${s.name}: ${s.reason}`);
  }
  const { passed, failed, errors: errored, failedErrorSeverity } = report.summary;
  const aggregate = report.statements.filter((s) => s.kind === 'aggregate').length;
  out.push(
    '',
    `${passed} passed, ${failed} failed, ${errored} could not be measured; ${failedErrorSeverity} of them error severity`,
    `${report.rowsScanned} rows scanned in ${aggregate} aggregate statement${aggregate === 1 ? '' : 's'} (+${report.statements.length - aggregate} for sql and reference rules); ${Math.round(report.elapsedMs)} ms`,
  );
  if (showSql) {
    out.push('', 'Statements:');
    for (const s of report.statements) out.push(`-- ${s.id} (${Math.round(s.elapsedMs)} ms)${s.error ? ` ERROR: ${s.error}` : ''}`, `${s.sql};`);
  }
  return `${out.join('\n')}\n`;
}

