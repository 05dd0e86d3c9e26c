/**
 * The output columns of each mesh view, with their types, found by binding the view's SQL in DuckDB
 * over empty tables typed exactly as the contracts type them. An Athena view stored in Glue carries
 * its column list and types; Athena reports a view as stale when the stored types do not match what
 * the SQL produces, so they are derived from the contracts, never guessed. DuckDB types are mapped
 * to their Trino equivalents (Trino's `sum` of integers is a bigint where DuckDB's is a hugeint).
 * Binding also catches what parsing cannot: ambiguous columns, type errors, unknown functions.
 */
import sqlParser from 'node-sql-parser/build/trino.js';
import { glueTypeToDuckDb } from '../contract/glue-types.js';
import type { DuckDbEngine } from '../engines/duckdb.js';
import { athenaToDuckDb } from '../quality/duckdb-dialect.js';
import type { CheckedView, ViewSource } from './check.js';

export interface ViewColumn {
  readonly name: string;
  /** The type Athena (Trino) gives the column, as the Presto view definition spells it. */
  readonly trinoType: string;
  /** The same type as Glue's table schema spells it (Hive DDL). */
  readonly hiveType: string;
}

export interface DescribedView extends CheckedView {
  readonly columns: readonly ViewColumn[];
  /** The view's SQL in DuckDB's dialect, as it was bound (what the local engine creates the view from). */
  readonly duckdbSql: string;
}

export type DescribeProblem = (view: CheckedView, code: string, message: string, fix: string) => void;

/**
 * Binds every checked view in `engine` (a fresh in-memory DuckDB: schemas and empty tables are
 * created in it). Views that do not bind, or produce a type Athena views cannot hold, go to `problem`.
 */
export async function describeViews(engine: DuckDbEngine, views: readonly CheckedView[], problem: DescribeProblem): Promise<DescribedView[]> {
  const created = new Set<string>();
  for (const source of views.flatMap((v) => v.sources)) {
    const key = `${source.database}.${source.table.physicalName}`;
    if (created.has(key)) continue;
    created.add(key);
    await createEmptyTable(engine, source);
  }
  const described: DescribedView[] = [];
  for (const view of views) {
    const translated = athenaToDuckDb(view.view.sql);
    if (!translated.ok) {
      problem(view, 'view-sql-unsupported', `view '${view.view.name}' could not be checked: ${translated.error}`, 'simplify the SQL');
      continue;
    }
    let rows: readonly (readonly unknown[])[];
    try {
      rows = (await engine.run(`DESCRIBE ${translated.sql}`)).rows;
    } catch (e) {
      problem(view, 'view-does-not-bind', `view '${view.view.name}' does not run over its tables: ${firstLine((e as Error).message)}`, 'fix the SQL; it is checked against the contracts\u2019 column types');
      continue;
    }
    const columns: ViewColumn[] = [];
    const names = new Set<string>();
    let ok = true;
    const exprs = selectExpressions(view.view.sql);
    for (const [i, row] of rows.entries()) {
      const name = String(row[0]);
      const mapped = fromDuckDbType(String(row[1]));
      if (names.has(name.toLowerCase())) {
        problem(view, 'view-duplicate-column', `view '${view.view.name}' has two output columns named '${name}'`, 'give one of them another name with AS');
        ok = false;
      }
      names.add(name.toLowerCase());
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
        problem(view, 'view-column-name', `view '${view.view.name}' has an output column named '${name}'`, 'name every computed column with AS, in lower-case letters, digits and underscores');
        ok = false;
      }
      if (!mapped.ok) {
        problem(view, 'view-column-type', `view '${view.view.name}': column '${name}' has type ${String(row[1])}, ${mapped.problem}`, 'CAST it to a supported type');
        ok = false;
        continue;
      }
      if (mapped.trino.startsWith('decimal') && !decimalTypeIsKnown(exprs?.[i], view, String(row[1]))) {
        problem(
          view,
          'view-decimal-needs-cast',
          `view '${view.view.name}': column '${name}' is a decimal computed by an expression, whose precision Athena derives by its own rules (DuckDB gave ${String(row[1])}); a view stored with another type is stale and Athena refuses to read it`,
          `CAST the expression to the decimal type the view should have, e.g. CAST(... AS ${mapped.trino}) AS ${name}`,
        );
        ok = false;
        continue;
      }
      columns.push({ name, trinoType: mapped.trino, hiveType: mapped.hive });
    }
    if (ok) described.push({ ...view, columns, duckdbSql: translated.sql });
  }
  return described;
}

const parser = new sqlParser.Parser();

interface SqlExpr {
  readonly type?: string;
  readonly column?: { readonly expr?: { readonly value?: unknown } } | string;
}

/** The outer SELECT's expressions, in order (undefined when the SQL does not parse that way). */
function selectExpressions(sql: string): (SqlExpr | undefined)[] | undefined {
  try {
    const ast = parser.astify(sql, { database: 'trino' }) as unknown;
    const select = (Array.isArray(ast) ? ast[0] : ast) as { columns?: { expr?: SqlExpr }[] } | undefined;
    return Array.isArray(select?.columns) ? select.columns.map((c) => c.expr) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the decimal type DuckDB bound for an output column is the one Trino gives it too: an
 * explicit CAST, or a plain reference to a source column of that very type. Decimal arithmetic and
 * aggregates are typed by different rules in the two engines: Trino's `decimal(p1,s1) * decimal(p2,s2)`
 * is `decimal(p1+p2, s1+s2)` and an integer operand counts as `decimal(10,0)`
 * (https://trino.io/docs/current/language/types.html#decimal, "Decimal operators"), so
 * `integer * decimal(10,2)` is `decimal(20,2)` where DuckDB says `decimal(18,2)`.
 */
function decimalTypeIsKnown(expr: SqlExpr | undefined, view: CheckedView, duckType: string): boolean {
  if (!expr) return false;
  if (expr.type === 'cast') return true;
  if (expr.type !== 'column_ref') return false;
  const raw = typeof expr.column === 'string' ? expr.column : expr.column?.expr?.value;
  const column = typeof raw === 'string' ? raw : '';
  return view.sources.some((s) =>
    s.table.columns.some((c) => c.physicalName.toLowerCase() === column.toLowerCase() && c.glueType !== undefined && glueTypeToDuckDb(c.glueType).replace(/\s+/g, '') === duckType.replace(/\s+/g, '')),
  );
}

async function createEmptyTable(engine: DuckDbEngine, source: ViewSource): Promise<void> {
  const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;
  const columns = [...source.table.columns, ...source.table.partitionKeys.filter((p) => !source.table.columns.includes(p))];
  const definitions = columns.filter((c) => c.glueType !== undefined).map((c) => `${q(c.physicalName)} ${glueTypeToDuckDb(c.glueType!)}`);
  await engine.run(`CREATE SCHEMA IF NOT EXISTS ${q(source.database)}`);
  await engine.run(`CREATE TABLE IF NOT EXISTS ${q(source.database)}.${q(source.table.physicalName)} (${definitions.join(', ')})`);
}

type Mapped = { ok: true; trino: string; hive: string } | { ok: false; problem: string };

const SIMPLE: Readonly<Record<string, [string, string]>> = {
  BOOLEAN: ['boolean', 'boolean'],
  TINYINT: ['tinyint', 'tinyint'],
  SMALLINT: ['smallint', 'smallint'],
  INTEGER: ['integer', 'int'],
  BIGINT: ['bigint', 'bigint'],
  // Trino sums and counts integers as bigint; DuckDB widens sums to 128 bits.
  HUGEINT: ['bigint', 'bigint'],
  FLOAT: ['real', 'float'],
  DOUBLE: ['double', 'double'],
  VARCHAR: ['varchar', 'string'],
  DATE: ['date', 'date'],
  TIMESTAMP: ['timestamp', 'timestamp'],
  BLOB: ['varbinary', 'binary'],
};

/** A DuckDB type name (as DESCRIBE prints it) in Trino's and Hive's spelling. */
export function fromDuckDbType(type: string): Mapped {
  const t = type.trim();
  const simple = SIMPLE[t];
  if (simple) return { ok: true, trino: simple[0], hive: simple[1] };
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (decimal) return { ok: true, trino: `decimal(${decimal[1]},${decimal[2]})`, hive: `decimal(${decimal[1]},${decimal[2]})` };
  if (t.endsWith('[]')) {
    const element = fromDuckDbType(t.slice(0, -2));
    return element.ok ? { ok: true, trino: `array(${element.trino})`, hive: `array<${element.hive}>` } : element;
  }
  if (/^(U(TINY|SMALL|BIG|HUGE)?INT|UINTEGER)$/.test(t)) return { ok: false, problem: 'an unsigned integer Athena has no type for' };
  if (t.startsWith('TIMESTAMP')) return { ok: false, problem: 'a zoned or non-millisecond timestamp Athena views cannot store' };
  return { ok: false, problem: 'which an Athena view cannot declare' };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
