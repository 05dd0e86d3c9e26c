/**
 * Column lineage of one SELECT, derived from node-sql-parser's Trino AST: for every output column the
 * base-table columns it is computed from (DIRECT), and the columns that decide which rows there are
 * (INDIRECT, dataset level). Table aliases, CTEs (also CTEs reading earlier ones), subqueries in FROM,
 * scalar and IN subqueries and UNION branches are resolved back to the base tables.
 *
 * Where a transformation goes follows OpenLineage's column lineage facet 1-2-0
 * (https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json): `fields` for what an
 * output column is computed from, `dataset` for "filtering, sorting, grouping (aggregates), joining,
 * window functions, etc." (the schema's description of `dataset`). CONDITIONAL (inputs of IF, CASE
 * WHEN, COALESCE) belongs to the one output column the expression computes, as OpenLineage's Spark
 * integration records it (integration/spark/spark3/.../column/visitors/expression/CaseWhenVisitor.java
 * and CoalesceVisitor.java: a COALESCE argument is both CONDITIONAL and TRANSFORMATION).
 */
import { AGGREGATION, asIndirect, IDENTITY, through, TRANSFORMATION, type Dependency } from './transformations.js';

type Node = Record<string, unknown>;

/** A base table a query may read: its physical name and physical column names. */
export interface CatalogTable {
  readonly database: string;
  readonly table: string;
  readonly columns: readonly string[];
}

export type TableCatalog = (database: string, table: string) => CatalogTable | undefined;

export interface OutputColumn {
  readonly name: string;
  readonly deps: readonly Dependency[];
}

export interface QueryLineage {
  readonly columns: readonly OutputColumn[];
  readonly dataset: readonly Dependency[];
}

type Source = { readonly alias: string; readonly table: CatalogTable } | { readonly alias: string; readonly derived: QueryLineage };

interface Scope {
  readonly catalog: TableCatalog;
  readonly ctes: ReadonlyMap<string, QueryLineage>;
  readonly sources: readonly Source[];
  /** The enclosing query's scope, for correlated subqueries. */
  readonly outer?: Scope;
  /** Dataset-level dependencies found while walking (joins, filters, windows, subqueries). */
  readonly dataset: Dependency[];
}

export class LineageError extends Error {}

/** The lineage of a parsed SELECT (with its UNION branches). */
export function queryLineage(select: Node, catalog: TableCatalog, ctes: ReadonlyMap<string, QueryLineage> = new Map(), outer?: Scope): QueryLineage {
  const first = selectLineage(select, catalog, ctes, outer);
  let next = select._next as Node | undefined;
  let merged = first;
  while (next) {
    const branch = selectLineage(next, catalog, ctes, outer);
    if (branch.columns.length !== merged.columns.length) throw new LineageError(`the branches of a ${typeof select.set_op === 'string' ? select.set_op : 'set operation'} have ${merged.columns.length} and ${branch.columns.length} columns`);
    merged = {
      columns: merged.columns.map((c, i) => ({ name: c.name, deps: [...c.deps, ...branch.columns[i]!.deps] })),
      dataset: [...merged.dataset, ...branch.dataset],
    };
    next = next._next as Node | undefined;
  }
  return merged;
}

function selectLineage(select: Node, catalog: TableCatalog, outerCtes: ReadonlyMap<string, QueryLineage>, outer?: Scope): QueryLineage {
  const ctes = withCtes(select, catalog, outerCtes, outer);
  const dataset: Dependency[] = [];
  const sources = fromSources(select, catalog, ctes, outer, dataset);
  const scope: Scope = { catalog, ctes, sources, outer, dataset };
  for (const entry of asArray(select.from)) {
    if (entry.on) dataset.push(...asIndirect(exprDeps(entry.on, scope), 'JOIN'));
    for (const name of usingNames(entry.using)) dataset.push(...asIndirect(resolveColumn(scope, undefined, name), 'JOIN'));
  }
  const columns = outputColumns(select, scope);
  const clause = (expr: unknown): Dependency[] => exprDeps(expr, scope, columns);
  if (select.where) dataset.push(...asIndirect(clause(select.where), 'FILTER'));
  if (select.having) dataset.push(...asIndirect(clause(select.having), 'FILTER'));
  const groupBy = select.groupby as { columns?: unknown[] } | null | undefined;
  for (const g of groupBy?.columns ?? []) dataset.push(...asIndirect(clause(g), 'GROUP_BY'));
  for (const o of asArray(select.orderby)) dataset.push(...asIndirect(clause(o.expr), 'SORT'));
  return { columns, dataset };
}

/** The query's own CTEs, each seeing the ones before it. */
function withCtes(select: Node, catalog: TableCatalog, outerCtes: ReadonlyMap<string, QueryLineage>, outer?: Scope): ReadonlyMap<string, QueryLineage> {
  const ctes = new Map(outerCtes);
  for (const cte of asArray(select.with)) {
    const name = identifier(cte.name).toLowerCase();
    const stmt = (cte.stmt as Node | undefined)?.ast as Node | undefined;
    if (!stmt) throw new LineageError(`CTE '${name}' has no SELECT`);
    const lineage = queryLineage(stmt, catalog, ctes, outer);
    const renamed = asArray(cte.columns).map((c) => identifier(c.type === 'column_ref' ? c.column : c).toLowerCase());
    ctes.set(name, renamed.length === 0 ? lineage : { ...lineage, columns: lineage.columns.map((c, i) => ({ ...c, name: renamed[i] ?? c.name })) });
  }
  return ctes;
}

function fromSources(select: Node, catalog: TableCatalog, ctes: ReadonlyMap<string, QueryLineage>, outer: Scope | undefined, dataset: Dependency[]): Source[] {
  const sources: Source[] = [];
  for (const entry of asArray(select.from)) {
    const subquery = (entry.expr as Node | undefined)?.ast as Node | undefined;
    if (subquery) {
      const derived = queryLineage(subquery, catalog, ctes, outer);
      dataset.push(...derived.dataset);
      sources.push({ alias: identifier(entry.as).toLowerCase(), derived });
      continue;
    }
    const name = identifier(entry.table);
    const db = entry.db ? identifier(entry.db) : undefined;
    const alias = (entry.as ? identifier(entry.as) : name).toLowerCase();
    const cte = db ? undefined : ctes.get(name.toLowerCase());
    if (cte) {
      dataset.push(...cte.dataset);
      sources.push({ alias, derived: cte });
      continue;
    }
    const table = db ? catalog(db, name) : undefined;
    if (!table) throw new LineageError(`table ${db ? `${db}.` : ''}${name} is not a table of the mesh`);
    sources.push({ alias, table });
  }
  return sources;
}

function outputColumns(select: Node, scope: Scope): OutputColumn[] {
  if (!Array.isArray(select.columns)) throw new LineageError('SELECT * is not supported: list the columns');
  return (select.columns as Node[]).map((c, i) => {
    const expr = c.expr as Node;
    if (expr.type === 'column_ref' && identifier(expr.column) === '*') throw new LineageError('SELECT * is not supported: list the columns');
    const name = c.as ? identifier(c.as) : expr.type === 'column_ref' ? identifier(expr.column) : `_col${i}`;
    return { name: name.toLowerCase(), deps: exprDeps(expr, scope) };
  });
}

/**
 * What an expression's value is computed from. A plain column keeps the transformation it has in its
 * source (IDENTITY for a base table); anything else is at least a TRANSFORMATION of its inputs.
 * `outputs`: the select's own columns, which GROUP BY and ORDER BY may name by alias or position.
 */
function exprDeps(expr: unknown, scope: Scope, outputs?: readonly OutputColumn[]): Dependency[] {
  if (expr === null || typeof expr !== 'object') return [];
  if (Array.isArray(expr)) return expr.flatMap((e) => exprDeps(e, scope, outputs));
  const node = expr as Node;
  if (node.type === 'column_ref') return columnDeps(node, scope, outputs);
  if (outputs && node.type === 'number' && Number.isInteger(node.value)) return [...(outputs[Number(node.value) - 1]?.deps ?? [])];
  if (node.ast && typeof node.ast === 'object') return through(subqueryDeps(node.ast as Node, scope), TRANSFORMATION);
  if (node.type === 'aggr_func') {
    windowDeps(node.over, scope);
    return through(exprDeps(node.args, scope), AGGREGATION);
  }
  if (node.type === 'case') return caseDeps(node, scope);
  if (node.type === 'function') return functionDeps(node, scope);
  return through(
    Object.entries(node).flatMap(([key, value]) => (key === 'over' ? [] : exprDeps(value, scope))),
    TRANSFORMATION,
  );
}

function columnDeps(node: Node, scope: Scope, outputs?: readonly OutputColumn[]): Dependency[] {
  const column = identifier(node.column);
  if (column === '*') return [];
  const table = node.table ? identifier(node.table) : undefined;
  const found = resolveColumn(scope, table, column);
  if (found.length > 0 || table) return found;
  return [...(outputs?.find((o) => o.name === column.toLowerCase())?.deps ?? [])];
}

/** `t.c` or `c` against the sources in scope, then the enclosing queries' (correlation). */
function resolveColumn(scope: Scope, table: string | undefined, column: string): Dependency[] {
  const lower = column.toLowerCase();
  const candidates = table === undefined ? scope.sources : scope.sources.filter((s) => s.alias === table.toLowerCase() || ('table' in s && s.table.table.toLowerCase() === table.toLowerCase()));
  const deps = candidates.flatMap((s): Dependency[] => {
    if ('table' in s) {
      const physical = s.table.columns.find((c) => c.toLowerCase() === lower);
      return physical === undefined ? [] : [{ ref: { database: s.table.database, table: s.table.table, column: physical }, transformation: IDENTITY }];
    }
    return [...(s.derived.columns.find((c) => c.name === lower)?.deps ?? [])];
  });
  if (deps.length > 0 || !scope.outer) return deps;
  return resolveColumn(scope.outer, table, column);
}

/** A subquery's output dependencies; what shapes its rows counts for the whole enclosing query. */
function subqueryDeps(ast: Node, scope: Scope): Dependency[] {
  const lineage = queryLineage(ast, scope.catalog, scope.ctes, scope);
  scope.dataset.push(...lineage.dataset);
  return lineage.columns.flatMap((c) => c.deps);
}

function windowDeps(over: unknown, scope: Scope): void {
  const spec = ((over as Node | null | undefined)?.as_window_specification as Node | undefined)?.window_specification as Node | undefined;
  if (!spec) return;
  for (const p of asArray(spec.partitionby)) scope.dataset.push(...asIndirect(exprDeps(p.expr, scope), 'WINDOW'));
  for (const o of asArray(spec.orderby)) scope.dataset.push(...asIndirect(exprDeps(o.expr, scope), 'WINDOW'));
}

function caseDeps(node: Node, scope: Scope): Dependency[] {
  const deps: Dependency[] = asIndirect(exprDeps(node.expr, scope), 'CONDITIONAL');
  for (const arm of asArray(node.args)) {
    if (arm.cond) deps.push(...asIndirect(exprDeps(arm.cond, scope), 'CONDITIONAL'));
    deps.push(...through(exprDeps(arm.result, scope), TRANSFORMATION));
  }
  return deps;
}

/** COALESCE and NULLIF choose between their arguments by value; IF by its first. */
function functionDeps(node: Node, scope: Scope): Dependency[] {
  windowDeps(node.over, scope);
  const name = functionName(node.name).toLowerCase();
  const args = asArray((node.args as Node | null | undefined)?.value);
  const value = (list: readonly Node[]): Dependency[] => through(list.flatMap((a) => exprDeps(a, scope)), TRANSFORMATION);
  if (name === 'coalesce' || name === 'nullif') {
    const deps = value(args);
    return [...deps, ...asIndirect(deps, 'CONDITIONAL')];
  }
  if (name === 'if') return [...asIndirect(exprDeps(args[0], scope), 'CONDITIONAL'), ...value(args.slice(1))];
  return value(args);
}

function functionName(name: unknown): string {
  if (typeof name === 'string') return name;
  const parts = asArray((name as Node | undefined)?.name);
  return parts.map((p) => identifier(p)).join('.');
}

/** An identifier as node-sql-parser spells it: a string, or `{ expr: { value } }` / `{ value }`. */
function identifier(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Node | null | undefined;
  if (!node) return '';
  if (node.expr) return identifier(node.expr);
  return typeof node.value === 'string' || typeof node.value === 'number' ? String(node.value) : '';
}

function usingNames(using: unknown): string[] {
  return Array.isArray(using) ? using.map((u) => identifier(u)) : [];
}

function asArray(value: unknown): Node[] {
  return Array.isArray(value) ? (value as Node[]) : [];
}
