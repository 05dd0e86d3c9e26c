/**
 * The port through which quality checks and queries reach an engine: Athena on AWS (lambdas/), or
 * DuckDB over local Parquet (./duckdb.ts). Values come back as plain JSON scalars: numbers (BIGINT
 * and DECIMAL as numbers when exact, else strings), dates as `YYYY-MM-DD`, timestamps as
 * `YYYY-MM-DD HH:MM:SS[.fff]` in UTC.
 */
export type Cell = string | number | boolean | null;

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Bytes the engine read, when it says (Athena's DataScannedInBytes). */
  readonly bytesScanned?: number;
}

export interface QueryEngine {
  readonly name: string;
  run(sql: string): Promise<QueryResult>;
}
