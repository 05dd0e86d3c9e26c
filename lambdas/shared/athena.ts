/**
 * Athena for Tessera's runtime and CLI: running a statement in a workgroup and waiting for it, and
 * reading its results as the `QueryEngine` port's `QueryResult`: the header row dropped, numbers
 * typed by column type, every page read, and the bytes the query scanned.
 */
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand, type AthenaClient } from '@aws-sdk/client-athena';
import type { Cell, QueryEngine, QueryResult } from '../../lib/engines/query-engine.js';

const NUMERIC = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'float', 'real', 'decimal']);

/** Reads the result of a finished query; with `maxRows`, stops paging once that many rows are read. */
export async function fetchAthenaResult(athena: AthenaClient, queryExecutionId: string, maxRows = Infinity): Promise<QueryResult> {
  const execution = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
  const state = execution.QueryExecution?.Status?.State;
  if (state !== 'SUCCEEDED') {
    throw new Error(`Athena query ${queryExecutionId} ended ${state ?? 'in an unknown state'}: ${execution.QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`);
  }
  let columns: string[] = [];
  let types: string[] = [];
  const rows: Cell[][] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: queryExecutionId, NextToken: token }));
    const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    if (columns.length === 0) {
      columns = info.map((c) => c.Name ?? '');
      types = info.map((c) => (c.Type ?? 'varchar').toLowerCase());
    }
    const pageRows = page.ResultSet?.Rows ?? [];
    // The first row of a SELECT's first page repeats the column names.
    for (const [i, row] of pageRows.entries()) {
      if (first && i === 0) continue;
      rows.push((row.Data ?? []).map((d, j) => toCell(d.VarCharValue, types[j] ?? 'varchar')));
    }
    first = false;
    token = page.NextToken;
  } while (token && rows.length < maxRows);
  return { columns, rows, bytesScanned: execution.QueryExecution?.Statistics?.DataScannedInBytes };
}

function toCell(value: string | undefined, type: string): Cell {
  if (value === undefined) return null;
  if (NUMERIC.has(type.replace(/\(.*$/, ''))) {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (type === 'boolean') return value === 'true';
  return value;
}

/**
 * An engine that answers each statement with a result fetched beforehand (the state machine ran
 * the queries); lets the same `runQualityPlan` judge Athena and DuckDB runs.
 */
export class PrefetchedEngine implements QueryEngine {
  readonly name = 'athena';
  constructor(private readonly results: ReadonlyMap<string, QueryResult | Error>) {}

  run(sql: string): Promise<QueryResult> {
    const result = this.results.get(sql);
    if (result === undefined) return Promise.reject(new Error('this statement was not run by the state machine'));
    return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
  }
}

export class AthenaQueryError extends Error {
  constructor(
    message: string,
    readonly state: 'FAILED' | 'CANCELLED',
    readonly queryExecutionId: string,
  ) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

export interface AthenaRun {
  readonly queryExecutionId: string;
  readonly result: QueryResult;
  readonly elapsedMs: number;
  /** Athena answered from a previous run's result (query result reuse): nothing was scanned. */
  readonly reused: boolean;
}

export interface RunQueryOptions {
  readonly workGroup: string;
  /** Called on every poll with the state and what Athena has scanned so far. */
  readonly onProgress?: (progress: { state: string; elapsedMs: number; bytesScanned: number }) => void;
  /** Aborting stops the query in Athena (cancelled queries are still billed for what they read). */
  readonly signal?: AbortSignal;
  /** Polling starts at this interval and backs off to 2 s. @default 200 */
  readonly pollMs?: number;
  /**
   * Let Athena answer with the result of an identical query at most this old (query result reuse).
   * @default - no reuse
   */
  readonly reuseMinutes?: number;
  /** Read at most about this many result rows (whole pages of up to 1,000). @default - every row */
  readonly maxRows?: number;
}

/**
 * Runs one statement in an Athena workgroup and waits for it: polls with backoff, reports progress,
 * stops the query when `signal` aborts, and turns FAILED and CANCELLED into `AthenaQueryError` with
 * Athena's reason.
 */
export async function runAthenaQuery(athena: AthenaClient, sql: string, options: RunQueryOptions): Promise<AthenaRun> {
  const started = Date.now();
  const reuse = options.reuseMinutes !== undefined && options.reuseMinutes > 0 ? { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: options.reuseMinutes } } : undefined;
  const { QueryExecutionId: id } = await athena.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: options.workGroup, ResultReuseConfiguration: reuse }));
  if (!id) throw new Error('Athena returned no query execution id');
  const onAbort = (): void => {
    void athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let wait = options.pollMs ?? 200;
    for (;;) {
      const { QueryExecution: execution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = execution?.Status?.State ?? 'UNKNOWN';
      options.onProgress?.({ state, elapsedMs: Date.now() - started, bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0 });
      if (state === 'SUCCEEDED') {
        const reused = execution?.Statistics?.ResultReuseInformation?.ReusedPreviousResult === true;
        return { queryExecutionId: id, result: await fetchAthenaResult(athena, id, options.maxRows), elapsedMs: Date.now() - started, reused };
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = execution?.Status?.AthenaError?.ErrorMessage ?? execution?.Status?.StateChangeReason ?? (state === 'CANCELLED' ? 'the query was cancelled' : 'no reason given');
        throw new AthenaQueryError(`Athena query ${id} ${state === 'FAILED' ? 'failed' : 'was cancelled'}: ${reason}`, state, id);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(2000, Math.round(wait * 1.5));
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
