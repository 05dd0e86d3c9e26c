/**
 * Athena query results as the `QueryEngine` port's `QueryResult`: the header row dropped, numbers
 * typed by column type, every page read, and the bytes the query scanned.
 */
import { GetQueryExecutionCommand, GetQueryResultsCommand, type AthenaClient } from '@aws-sdk/client-athena';
import type { Cell, QueryEngine, QueryResult } from '../../lib/engines/query-engine.js';

const NUMERIC = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'float', 'real', 'decimal']);

export async function fetchAthenaResult(athena: AthenaClient, queryExecutionId: string): Promise<QueryResult> {
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
  } while (token);
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
