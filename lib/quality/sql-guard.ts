/**
 * Contract `sql` rules run with the permissions of the quality service, so they are accepted only
 * as one read-only SELECT (a WITH ... SELECT included), checked by parsing them as Trino SQL, the
 * dialect Athena runs. Placeholders the standard's examples use (`${table}`, `{object}`,
 * `{property}` ...) are replaced by quoted identifiers before parsing and before running.
 */
import sqlParser from 'node-sql-parser/build/trino.js';

const { Parser } = sqlParser;
const parser = new Parser();

export type GuardResult = { ok: true } | { ok: false; problem: string };

const TABLE_PLACEHOLDERS = ['table', 'object', 'model', 'schema'];
const COLUMN_PLACEHOLDERS = ['column', 'property', 'field'];
const PLACEHOLDER = /\$?\{(\w+)\}/g;

/** Replaces `${table}`/`{object}`/... and `${column}`/`{property}`/... with the given SQL text. */
export function resolvePlaceholders(query: string, table: string, column?: string): string {
  return query.replace(PLACEHOLDER, (whole, name: string) => {
    const key = name.toLowerCase();
    if (TABLE_PLACEHOLDERS.includes(key)) return table;
    if (COLUMN_PLACEHOLDERS.includes(key) && column !== undefined) return column;
    return whole;
  });
}

// Verdicts by query text: a mesh checks each rule at least twice (contract rules, quality plan),
// and copies of one contract repeat the same queries. Bounded, as a long-lived handler sees many.
const verdicts = new Map<string, GuardResult>();
const VERDICTS_MAX = 1000;

/** Accepts exactly one SELECT statement; anything else (DML, DDL, several statements) is refused. */
export function checkReadOnlySelect(query: string): GuardResult {
  const known = verdicts.get(query);
  if (known) return known;
  const verdict = guard(query);
  if (verdicts.size >= VERDICTS_MAX) verdicts.clear();
  verdicts.set(query, verdict);
  return verdict;
}

function guard(query: string): GuardResult {
  const text = resolvePlaceholders(query, '"placeholder_table"', '"placeholder_column"').trim();
  if (text === '') return { ok: false, problem: 'the query is empty' };
  const leftover = PLACEHOLDER.exec(text);
  PLACEHOLDER.lastIndex = 0;
  if (leftover) return { ok: false, problem: `unknown placeholder ${leftover[0]}; use \${table} or \${column}` };
  let ast: unknown;
  try {
    ast = parser.astify(text, { database: 'trino' });
  } catch (e) {
    const message = (e as Error).message.split('\n')[0] ?? 'syntax error';
    return { ok: false, problem: `the query is not valid Trino/Athena SQL (${message})` };
  }
  const statements = (Array.isArray(ast) ? ast : [ast]) as { type?: string }[];
  if (statements.length !== 1) return { ok: false, problem: `the query has ${statements.length} statements; write exactly one SELECT` };
  if (statements[0]!.type !== 'select') return { ok: false, problem: `the query is a ${String(statements[0]!.type).toUpperCase()} statement; only a read-only SELECT may run` };
  return { ok: true };
}

/** True when `sql` parses as exactly one statement of Trino SQL (used to check what we emit). */
export function parsesAsTrino(sql: string): GuardResult {
  try {
    const ast = parser.astify(sql, { database: 'trino' });
    const n = Array.isArray(ast) ? ast.length : 1;
    return n === 1 ? { ok: true } : { ok: false, problem: `${n} statements` };
  } catch (e) {
    return { ok: false, problem: (e as Error).message.split('\n')[0] ?? 'syntax error' };
  }
}
