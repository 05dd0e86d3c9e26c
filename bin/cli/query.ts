/**
 * `tessera query "<sql>" --local`: cross-product SQL (Athena dialect) over the example mesh's local
 * data on DuckDB, with every product table registered as `<domain>.<table>` as in Athena.
 */
import { resolve } from 'node:path';
import { openLocalMesh } from '../../lib/engines/mesh-data.js';
import { LocalDataError } from '../../lib/engines/local-data.js';
import type { Cell, QueryResult } from '../../lib/engines/query-engine.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { duckdb } from '../../lib/quality/duckdb-dialect.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';

export interface QueryOptions {
  readonly local?: boolean;
  readonly data?: string;
  readonly mesh?: string;
  readonly format?: 'table' | 'csv' | 'json';
}

export async function queryCommand(sql: string, options: QueryOptions, io: CliIo): Promise<ExitCode> {
  if (!options.local) throw new UsageError('only --local is available yet: the deployed path (Athena workgroup) comes with the MeshQuery construct');
  if (sql.trim() === '') throw new UsageError('give the SQL to run, e.g. tessera query --local "SELECT count(*) FROM orders.orders"');
  const meshFile = resolve(io.cwd, options.mesh ?? 'mesh', 'mesh.yaml');
  const loaded = await loadMeshFile(meshFile);
  if (!loaded.mesh) {
    io.err(`${loaded.diagnostics.map(formatDiagnostic).join('\n')}\n${meshFile} is invalid\n`);
    return 1;
  }
  const started = performance.now();
  let opened;
  try {
    opened = await openLocalMesh(loaded.mesh, resolve(io.cwd, options.data ?? '.tessera/sample-data'));
  } catch (e) {
    if (e instanceof LocalDataError) {
      io.err(`error: ${e.message}\n(run npm run demo, or the generator, to create the sample data)\n`);
      return 1;
    }
    throw e;
  }
  const { engine } = opened;
  try {
    // Analysts write Athena (Trino) SQL; DuckDB runs its translation.
    const translated = duckdb.translateAthenaSql!(sql);
    let result: QueryResult;
    try {
      result = await engine.run(translated.ok ? translated.sql : sql);
    } catch (e) {
      io.err(`query failed: ${(e as Error).message.split('\n')[0]}\n`);
      return 1;
    }
    io.out(render(result, options.format ?? 'table'));
    if ((options.format ?? 'table') === 'table') io.out(`${result.rows.length} row${result.rows.length === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms (local DuckDB over ${opened.tables.length} tables)\n`);
    return 0;
  } finally {
    engine.close();
  }
}

function render(result: QueryResult, format: 'table' | 'csv' | 'json'): string {
  const cell = (v: Cell | undefined): string => (v === null || v === undefined ? '' : String(v));
  if (format === 'json') return `${JSON.stringify(result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i] ?? null]))), null, 2)}\n`;
  if (format === 'csv') {
    const esc = (v: string): string => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    return `${[result.columns.map(esc).join(','), ...result.rows.map((r) => r.map((v) => esc(cell(v))).join(','))].join('\n')}\n`;
  }
  const rows = [result.columns, ...result.rows.map((r) => r.map(cell))];
  const widths = result.columns.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(rows[0]!), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n')}\n`;
}
