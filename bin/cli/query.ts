/**
 * `tessera query "<sql>"`: cross-product SQL (Athena dialect) over the mesh. By default in the
 * analysts' Athena workgroup of the governance account (the user's AWS credentials; progress while
 * it runs, then bytes scanned and an estimated cost); with `--local`, on DuckDB over the example
 * mesh's local data, every product table registered as `<domain>.<table>` as in Athena.
 */
import { resolve } from 'node:path';
import { openLocalMesh } from '../../lib/engines/mesh-data.js';
import { LocalDataError } from '../../lib/engines/local-data.js';
import type { Cell, QueryResult } from '../../lib/engines/query-engine.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { NotOneSelectError } from '../../lib/engines/duckdb.js';
import { checkLocalQuery } from '../../lib/engines/local-query.js';
import { viewsDatabaseName } from '../../lib/views/check.js';
import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaQueryError, runAthenaQuery } from '../../lambdas/shared/athena.js';
import type { MeshConfig } from '../../lib/mesh/config.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';
import { meshFileOf } from './paths.js';
import { DEFAULT_QUERY_ROWS } from './query-rows.js';

export interface QueryOptions {
  readonly local?: boolean;
  /** The Athena workgroup. @default the mesh's analyst workgroup, `tessera-<mesh>-analysts` */
  readonly workgroup?: string;
  /** @default the mesh's region */
  readonly region?: string;
  /** Reuse an identical query's result up to this many minutes old; `false` (--no-reuse) never. @default 60 */
  readonly reuse?: string | false;
  readonly data?: string;
  readonly mesh?: string;
  readonly format?: 'table' | 'csv' | 'json';
  /** Print at most this many rows. @default DEFAULT_QUERY_ROWS */
  readonly limit?: number;
}

export async function queryCommand(sql: string, options: QueryOptions, io: CliIo): Promise<ExitCode> {
  if (sql.trim() === '') throw new UsageError('give the SQL to run, e.g. tessera query --local "SELECT count(*) FROM orders.orders"');
  const meshFile = await meshFileOf(options.mesh ?? 'mesh', io.cwd);
  const loaded = await loadMeshFile(meshFile);
  if (!loaded.mesh) {
    io.err(`${loaded.diagnostics.map(formatDiagnostic).join('\n')}\n${meshFile} is invalid\n`);
    return 1;
  }
  if (!options.local) return queryAthena(sql, loaded.mesh.config, options, io);
  const started = performance.now();
  const dataRoot = resolve(io.cwd, options.data ?? '.tessera/sample-data');
  let opened;
  try {
    opened = await openLocalMesh(loaded.mesh, dataRoot);
  } catch (e) {
    if (e instanceof LocalDataError) {
      io.err(`error: ${e.message}\n(run npm run demo, or the generator, to create the sample data)\n`);
      return 1;
    }
    throw e;
  }
  const { engine } = opened;
  try {
    const known = new Set([
      ...opened.tables.flatMap((t) => [`${t.database}.${t.table}`, t.table]),
      ...loaded.mesh.views.map(({ view }) => `${viewsDatabaseName(loaded.mesh!.config.name)}.${view.name}`),
    ]);
    let result: QueryResult;
    try {
      await engine.assertOneSelect(sql);
      await engine.prepareForAthenaSql([dataRoot]);
      // The SQL runs as written for Athena, on Trino-compatible macros; what cannot keep its meaning is refused.
      const checked = checkLocalQuery(await engine.syntaxTree(sql), known);
      if (!checked.ok) throw new NotOneSelectError(checked.problem);
      result = await engine.run(sql);
    } catch (e) {
      io.err(`${e instanceof NotOneSelectError ? 'query refused' : 'query failed'}: ${(e as Error).message.split('\n')[0]}\n`);
      return 1;
    }
    const shown = capRows(result, options.limit, io);
    io.out(render(shown, options.format ?? 'table'));
    if ((options.format ?? 'table') === 'table') io.out(`${shown.rows.length} row${shown.rows.length === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms (local DuckDB over ${opened.tables.length} tables)\n`);
    return 0;
  } finally {
    engine.close();
  }
}

/** Athena bills $5 per TB scanned, at least 10 MB per query. */
const USD_PER_TB = 5;
const MIN_BILLED_BYTES = 10 * 1024 * 1024;

async function queryAthena(sql: string, config: MeshConfig, options: QueryOptions, io: CliIo): Promise<ExitCode> {
  const workGroup = options.workgroup ?? `tessera-${config.name}-analysts`;
  const athena = new AthenaClient({ region: options.region ?? process.env.AWS_REGION ?? config.region });
  const controller = new AbortController();
  const interrupt = (): void => {
    io.err('\ninterrupted: stopping the query in Athena\n');
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  let lastReport = 0;
  try {
    const reuseMinutes = options.reuse === false ? 0 : Number(options.reuse ?? 60);
    if (!Number.isInteger(reuseMinutes) || reuseMinutes < 0 || reuseMinutes > 10080) throw new UsageError(`--reuse must be a whole number of minutes from 1 to 10080 (7 days), not '${String(options.reuse)}'`);
    const limit = options.limit ?? DEFAULT_QUERY_ROWS;
    const run = await runAthenaQuery(athena, sql, {
      workGroup,
      // One row more than shown tells whether the result was cut.
      maxRows: limit + 1,
      reuseMinutes,
      signal: controller.signal,
      onProgress: ({ state, elapsedMs, bytesScanned }) => {
        // A line every 2 s at most: readable in a terminal and in a CI log alike.
        if (elapsedMs - lastReport < 2000 && state !== 'SUCCEEDED') return;
        lastReport = elapsedMs;
        io.err(`${state.toLowerCase()} ${(elapsedMs / 1000).toFixed(1)} s, ${formatBytes(bytesScanned)} scanned\n`);
      },
    });
    const shown = capRows(run.result, limit, io);
    io.out(render(shown, options.format ?? 'table'));
    const scanned = run.result.bytesScanned ?? 0;
    const billed = Math.max(MIN_BILLED_BYTES, scanned);
    io.err(
      `${shown.rows.length} row${shown.rows.length === 1 ? '' : 's'} in ${(run.elapsedMs / 1000).toFixed(1)} s; scanned ${formatBytes(scanned)}, ` +
        `${run.reused ? 'reused a previous result, nothing billed' : `about $${((billed / 1e12) * USD_PER_TB).toFixed(6)}`} (workgroup ${workGroup}, query ${run.queryExecutionId})\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof AthenaQueryError) {
      io.err(`${e.state === 'CANCELLED' ? 'query cancelled' : 'query failed'}: ${e.message}\n`);
      return 1;
    }
    const name = (e as { name?: string }).name ?? '';
    if (name === 'InvalidRequestException' || name === 'CredentialsProviderError' || name === 'ExpiredTokenException' || name === 'AccessDeniedException' || /does not exist/i.test((e as Error).message)) {
      io.err(`query failed to start in workgroup ${workGroup}: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}

/** The first `limit` rows; a note on stderr (stdout stays a clean table, CSV or JSON) when more exist. */
function capRows(result: QueryResult, limit: number | undefined, io: CliIo): QueryResult {
  const max = limit ?? DEFAULT_QUERY_ROWS;
  if (result.rows.length <= max) return result;
  io.err(`note: showing the first ${max} rows; the query returned more (raise --limit, or add LIMIT or an aggregate to the SQL)\n`);
  return { ...result, rows: result.rows.slice(0, max) };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${bytes} B`;
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
