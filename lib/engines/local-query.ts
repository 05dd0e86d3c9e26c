/**
 * What `tessera query --local` accepts: exactly one SELECT (a WITH ... SELECT included) in Athena's
 * dialect, reading only product tables, mesh views and its own CTEs, calling only functions that
 * run locally with Trino's meaning. A local DuckDB can read and write any file the user can, so a
 * query is parsed (as Trino SQL) and checked before it runs; the engine is locked down as well.
 */
import sqlParser from 'node-sql-parser/build/trino.js';
import { runsLocally } from './trino-functions.js';

const { Parser } = sqlParser;
const parser = new Parser();

export type LocalQueryCheck = { ok: true } | { ok: false; problem: string };

/** `known`: the readable relations as lower-case `database.table`, and bare table names. */
export function checkLocalQuery(sql: string, known: ReadonlySet<string>): LocalQueryCheck {
  const text = sql.trim().replace(/;\s*$/, '');
  let ast: unknown;
  try {
    ast = parser.astify(text, { database: 'trino' });
  } catch (e) {
    return { ok: false, problem: `not one SELECT in Athena (Trino) SQL: ${(e as Error).message.split('\n')[0]}` };
  }
  const statements = (Array.isArray(ast) ? ast : [ast]) as { type?: string }[];
  if (statements.length !== 1) return { ok: false, problem: `${statements.length} statements; --local runs exactly one SELECT` };
  if (statements[0]!.type !== 'select') return { ok: false, problem: `a ${String(statements[0]!.type).toUpperCase()} statement; --local runs exactly one SELECT` };

  const ctes = new Set<string>();
  const functions = new Set<string>();
  const tableFunctions = new Set<string>();
  walk(statements[0], ctes, functions, tableFunctions);
  for (const fn of tableFunctions) if (fn !== 'unnest') return { ok: false, problem: `not supported locally: ${fn} (a table function; read product tables and views by name)` };
  for (const fn of functions) if (!runsLocally(fn)) return { ok: false, problem: `not supported locally: ${fn}` };
  for (const entry of parser.tableList(text, { database: 'trino' })) {
    const [, db, table] = entry.split('::') as [string, string, string];
    const name = (db === 'null' ? table : `${db}.${table}`).toLowerCase();
    if (db === 'null' && ctes.has(name)) continue;
    if (!known.has(name)) return { ok: false, problem: `${name} is not a product table or view of the mesh` };
  }
  return { ok: true };
}

type Node = Record<string, unknown>;

/** Collects CTE names, called functions and functions used as tables, anywhere in the tree. */
function walk(node: unknown, ctes: Set<string>, functions: Set<string>, tableFunctions: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, ctes, functions, tableFunctions);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  if (Array.isArray(n.with)) for (const cte of n.with as { name?: { value?: string } }[]) if (cte.name?.value) ctes.add(cte.name.value.toLowerCase());
  if (Array.isArray(n.from)) {
    for (const item of n.from as Node[]) {
      const expr = item.expr as Node | undefined;
      if (item.type === 'expr' && expr?.type === 'function') tableFunctions.add(functionName(expr));
    }
  }
  if (n.type === 'function') functions.add(functionName(n));
  if (n.type === 'aggr_func' && typeof n.name === 'string') functions.add(n.name.toLowerCase());
  for (const value of Object.values(n)) walk(value, ctes, functions, tableFunctions);
}

function functionName(node: Node): string {
  const parts = ((node.name as { name?: { value?: string }[] } | undefined)?.name ?? []).map((p) => p.value ?? '');
  return parts.join('.').toLowerCase();
}
