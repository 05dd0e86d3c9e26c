/**
 * What `tessera query --local` accepts: one SELECT (a WITH ... SELECT included) reading only
 * product tables, mesh views and its own CTEs, calling only functions that run locally with
 * Trino's meaning. A local DuckDB can read and write any file the user can, so the query's syntax
 * tree, as DuckDB's own parser gives it (`json_serialize_sql`, the parser that then runs it), is
 * checked before it runs; the engine is locked down as well.
 * https://duckdb.org/docs/stable/data/json/sql_to_and_from_json
 */
import { runsLocally } from './trino-functions.js';

export type LocalQueryCheck = { ok: true } | { ok: false; problem: string };

/**
 * Names DuckDB's parser gives to plain SQL syntax: INTERVAL '7' DAY, count(*), ARRAY[...], x[i],
 * EXTRACT, LIKE, CURRENT_DATE and the like. They mean the same as in Trino.
 */
// INTERVAL '7' DAY parses as to_days(CAST(trunc(CAST('7' AS DOUBLE)) AS INTEGER)), hence trunc.
const SYNTAX = new Set(['trunc', 'to_years', 'to_months', 'to_weeks', 'to_days', 'to_hours', 'to_minutes', 'to_seconds', 'to_milliseconds', 'count_star', 'list_value', 'array_extract', 'date_part', 'current_date', 'get_current_timestamp', 'current_timestamp', 'row', 'struct_pack', '~~', '!~~', '~~*', '!~~*', '||']);

/**
 * `tree`: `json_serialize_sql(sql)` of the query. `known`: the readable relations as lower-case
 * `database.table`, and bare table names.
 */
export function checkLocalQuery(tree: unknown, known: ReadonlySet<string>): LocalQueryCheck {
  const parsed = tree as { error?: boolean; error_message?: string; statements?: unknown[] };
  if (parsed.error) return { ok: false, problem: `not one SELECT: ${parsed.error_message ?? 'DuckDB could not read it'}` };
  if (parsed.statements?.length !== 1) return { ok: false, problem: `${parsed.statements?.length ?? 0} statements; --local runs exactly one SELECT` };
  const found = { ctes: new Set<string>(), functions: new Set<string>(), tableFunctions: new Set<string>(), tables: new Set<string>() };
  walk(parsed.statements[0], found);
  for (const fn of found.tableFunctions) if (fn !== 'unnest') return { ok: false, problem: `not supported locally: ${fn} (a table function; read product tables and views by name)` };
  for (const fn of found.functions) if (!runsLocally(fn) && !SYNTAX.has(fn)) return { ok: false, problem: `not supported locally: ${fn}` };
  for (const table of found.tables) {
    if ((!table.includes('.') && found.ctes.has(table)) || known.has(table)) continue;
    return { ok: false, problem: `${table} is not a product table or view of the mesh` };
  }
  return { ok: true };
}

type Node = Record<string, unknown>;
interface Found {
  ctes: Set<string>;
  functions: Set<string>;
  tableFunctions: Set<string>;
  tables: Set<string>;
}

function walk(node: unknown, found: Found): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  const cteMap = (n.cte_map as { map?: { key?: string }[] } | undefined)?.map;
  for (const cte of cteMap ?? []) if (cte.key) found.ctes.add(cte.key.toLowerCase());
  if (n.type === 'BASE_TABLE') found.tables.add([n.catalog_name, n.schema_name, n.table_name].filter((p) => typeof p === 'string' && p !== '').join('.').toLowerCase());
  const tableFunction = (n.function as Node | undefined)?.function_name;
  if (n.type === 'TABLE_FUNCTION') found.tableFunctions.add(typeof tableFunction === 'string' ? tableFunction.toLowerCase() : '(unnamed)');
  else if ((n.class === 'FUNCTION' || n.class === 'WINDOW') && n.is_operator !== true && typeof n.function_name === 'string') {
    // The parser itself qualifies some syntax with `main` (EXTRACT is main.date_part); the allow-list decides either way.
    found.functions.add([n.catalog, n.schema === 'main' ? '' : n.schema, n.function_name].filter((p) => typeof p === 'string' && p !== '').join('.').toLowerCase());
  }
  for (const value of Object.values(n)) walk(value, found);
}
