/**
 * One object per SQL engine: how identifiers are quoted, literals escaped and the few functions
 * that differ are spelled. Everything the compiler emits goes through these; nothing is
 * concatenated from contract text unescaped.
 */
import type { Literal } from './plan-types.js';

export interface SqlDialect {
  readonly name: 'athena' | 'duckdb';
  /** Athena refuses longer query strings; DuckDB has no such limit but plans stay identical. */
  readonly maxStatementBytes: number;
  ident(name: string): string;
  table(database: string, table: string): string;
  literal(literal: Literal): string;
  /** The number of rows where `condition` is true: 0, never NULL, when it is true for none. */
  countIf(condition: string): string;
  /** True when `value` contains a match of the regular expression `pattern` (both as SQL). */
  regexContains(value: string, pattern: string): string;
  /**
   * Give each DISTINCT-based measure (duplicates) its own sub-select over one materialized read of
   * the table (a `WITH ... AS MATERIALIZED` CTE), cross-joined into the one statement: still one
   * scan of the data. Athena keeps one SELECT; DuckDB runs several DISTINCT aggregates of one
   * SELECT with little parallelism, so it splits them.
   */
  readonly separateDistinctScans?: boolean;
  /**
   * Contract `sql` rules are written for Athena (Trino); a dialect that is not Athena translates
   * them. Absent: the SQL runs as written.
   */
  translateAthenaSql?(sql: string): { ok: true; sql: string } | { ok: false; error: string };
}

/** Athena's hard limit on the query string, in bytes. */
export const ATHENA_MAX_QUERY_BYTES = 262_144;

function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error(`identifier contains a NUL character: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteString(value: string): string {
  if (value.includes('\u0000')) throw new Error(`string literal contains a NUL character: ${JSON.stringify(value)}`);
  return `'${value.replaceAll("'", "''")}'`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?:Z|[+-]00:?00)?$/;

function literal(l: Literal): string {
  switch (l.kind) {
    case 'null':
      return 'NULL';
    case 'number':
      if (!Number.isFinite(l.value)) throw new Error(`not a finite number: ${l.value}`);
      return String(l.value);
    case 'string':
      return quoteString(l.value);
    case 'date':
      if (!ISO_DATE.test(l.value)) throw new Error(`not a date (YYYY-MM-DD): ${JSON.stringify(l.value)}`);
      return `DATE ${quoteString(l.value)}`;
    case 'timestamp': {
      const m = ISO_TIMESTAMP.exec(l.value) ?? (ISO_DATE.test(l.value) ? [l.value, l.value, '00:00:00'] : null);
      if (!m) throw new Error(`not a UTC timestamp (YYYY-MM-DD HH:MM:SS): ${JSON.stringify(l.value)}`);
      return `TIMESTAMP ${quoteString(`${m[1]} ${m[2]}`)}`;
    }
  }
}

export const athena: SqlDialect = {
  name: 'athena',
  maxStatementBytes: ATHENA_MAX_QUERY_BYTES,
  ident: quoteIdent,
  table: (database, table) => `${quoteIdent(database)}.${quoteIdent(table)}`,
  literal,
  regexContains: (value, pattern) => `regexp_like(${value}, ${pattern})`,
  countIf: (condition) => `count_if(${condition})`,
};

export { literal as sqlLiteral, quoteIdent };
