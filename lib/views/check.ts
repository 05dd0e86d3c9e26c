/**
 * Mesh views, checked before anything is created: each view's SQL must be exactly one Trino SELECT
 * (the dialect Athena runs), may reference only the mesh's product tables as `<domain database>.<table>`
 * and only columns those tables have, must list its columns (no `*`, which would freeze the view's
 * columns at creation and go stale when a contract adds one), and every consumer in its audience
 * must be able to read every column it references: Athena checks the querying principal's Lake
 * Formation permissions on the view's underlying tables, so a view cannot widen anyone's access.
 *
 * Pure: the access matrix comes from `lib/access`, the parse from node-sql-parser's Trino build.
 */
import sqlParser from 'node-sql-parser/build/trino.js';
import type { YamlPath } from '../diagnostics.js';
import type { AccessMatrix } from '../access/evaluate.js';
import type { Table } from '../contract/model.js';
import { databaseNameFor } from '../glue/names.js';
import type { MeshConfig, MeshView } from '../mesh/config.js';

const { Parser } = sqlParser;
const parser = new Parser();
const TRINO = { database: 'trino' };

/** The AST of a view's SQL, parsed as Trino (the parse every view check and the lineage share). */
export function parseViewSql(sql: string): unknown {
  return parser.astify(sql, TRINO);
}

/** The central Glue database the mesh's views live in (in the governance account). */
export function viewsDatabaseName(mesh: string): string {
  return `${databaseNameFor(mesh)}_views`;
}

/** A product table a view reads. */
export interface ViewSource {
  readonly product: string;
  readonly domain: string;
  readonly database: string;
  readonly table: Table;
  /** The physical column names the view references. */
  readonly columns: readonly string[];
}

export interface CheckedView {
  readonly view: MeshView;
  /** Index in `views` of the mesh config, for positions. */
  readonly index: number;
  readonly sources: readonly ViewSource[];
}

export type ViewReport = (path: YamlPath, code: string, message: string, fix: string) => void;

interface ProductTables {
  readonly product: string;
  readonly domain: string;
  readonly database: string;
  readonly table: Table;
}

/**
 * Checks every view of the config against the products and the access matrix. Problems go to
 * `report` (errors); views that pass are returned with the tables and columns they read.
 */
export function checkViews(
  config: MeshConfig,
  products: readonly { readonly domain: string; readonly contract: { readonly id: string; readonly tables: readonly Table[] } }[],
  matrix: AccessMatrix,
  report: ViewReport,
): CheckedView[] {
  const tables = new Map<string, ProductTables>();
  for (const p of products) {
    const database = databaseNameFor(p.domain);
    for (const table of p.contract.tables) tables.set(`${database}.${table.physicalName.toLowerCase()}`, { product: p.contract.id, domain: p.domain, database, table });
  }
  const viewsDb = viewsDatabaseName(config.name);
  if (config.views.length > 0 && config.domains.some((d) => databaseNameFor(d.name) === viewsDb)) {
    report(['views'], 'views-database-clash', `the views database '${viewsDb}' has the name of a domain's database`, 'rename the domain or the mesh');
  }
  const consumers = new Set(config.consumers.map((c) => c.name));
  const seen = new Set<string>();
  const checked: CheckedView[] = [];
  for (const [index, view] of config.views.entries()) {
    const at = (...rest: (string | number)[]): YamlPath => ['views', index, ...rest];
    const before = { problems: 0 };
    const problem: ViewReport = (path, code, message, fix) => {
      before.problems++;
      report(path, code, message, fix);
    };
    if (seen.has(view.name)) problem(at('name'), 'duplicate-view', `view '${view.name}' is declared twice`, 'give every view its own name');
    seen.add(view.name);
    for (const [a, consumer] of view.audience.entries()) {
      if (!consumers.has(consumer)) problem(at('audience', a), 'unknown-consumer', `view '${view.name}': '${consumer}' is not a consumer of the mesh`, `use one of: ${[...consumers].join(', ') || '(no consumers declared)'}`);
    }
    const sources = analyzeSql(view, tables, (code, message, fix) => problem(at('sql'), code, message, fix));
    if (sources === undefined) continue;
    for (const consumer of view.audience) {
      const access = matrix.principals.find((p) => p.principal.name === consumer);
      if (!access) continue;
      for (const source of sources) {
        const tableAccess = access.tables.find((t) => t.glueDatabase === source.database && t.glueTable === source.table.physicalName);
        for (const column of source.columns) {
          const columnAccess = tableAccess?.columns.find((c) => c.glueColumn === column);
          if (columnAccess?.readable) continue;
          problem(
            at('audience', view.audience.indexOf(consumer)),
            'view-audience-denied',
            `view '${view.name}' reads ${source.database}.${source.table.physicalName}.${column}${columnAccess?.classification ? ` (${columnAccess.classification})` : ''}, which consumer '${consumer}' cannot read${columnAccess?.reason ? `: ${columnAccess.reason}` : ''}`,
            `drop the column from the view, remove '${consumer}' from its audience, or grant '${consumer}' that classification in the mesh config`,
          );
        }
      }
    }
    if (before.problems === 0) checked.push({ view, index, sources });
  }
  return checked;
}

type SqlProblem = (code: string, message: string, fix: string) => void;

function analyzeSql(view: MeshView, tables: ReadonlyMap<string, ProductTables>, problem: SqlProblem): ViewSource[] | undefined {
  let ast: unknown;
  try {
    ast = parseViewSql(view.sql);
  } catch (e) {
    problem('view-sql-syntax', `view '${view.name}' is not valid Trino/Athena SQL: ${(e as Error).message.split('\n')[0] ?? 'syntax error'}`, 'write one SELECT statement in the dialect Athena runs');
    return undefined;
  }
  const statements = (Array.isArray(ast) ? ast : [ast]) as { type?: string }[];
  if (statements.length !== 1 || statements[0]?.type !== 'select') {
    problem('view-not-select', `view '${view.name}' must be exactly one SELECT statement (found ${statements.map((s) => String(s.type).toUpperCase()).join(', ')})`, 'write one SELECT (WITH ... SELECT is fine)');
    return undefined;
  }
  const { ctes, aliases } = namesDefinedIn(ast);
  let tableRefs: string[];
  let columnRefs: string[];
  try {
    tableRefs = parser.tableList(view.sql, TRINO);
    columnRefs = parser.columnList(view.sql, TRINO);
  } catch (e) {
    problem('view-sql-syntax', `view '${view.name}' could not be analysed: ${(e as Error).message.split('\n')[0] ?? ''}`, 'simplify the SQL');
    return undefined;
  }

  let ok = true;
  const used = new Map<string, ProductTables>();
  for (const ref of tableRefs) {
    const [, db, name] = ref.split('::') as [string, string, string];
    if (db === 'null') {
      if (ctes.has(name.toLowerCase())) continue;
      const candidates = [...tables.keys()].filter((k) => k.endsWith(`.${name.toLowerCase()}`));
      problem('view-unknown-table', `view '${view.name}' reads table '${name}' without its database`, candidates.length > 0 ? `write ${candidates.join(' or ')}` : 'qualify every table as <domain database>.<table>');
      ok = false;
      continue;
    }
    const found = tables.get(`${db.toLowerCase()}.${name.toLowerCase()}`);
    if (!found) {
      problem('view-unknown-table', `view '${view.name}' reads ${db}.${name}, which is not a table of any product in the mesh`, `the mesh's tables are: ${[...tables.keys()].join(', ')}`);
      ok = false;
      continue;
    }
    const clash = used.get(found.table.physicalName.toLowerCase());
    if (clash && clash.database !== found.database) {
      // The parser names a column's table without its database: the two could not be told apart.
      problem('view-ambiguous-table', `view '${view.name}' reads two tables named '${found.table.physicalName}' (${clash.database}.${clash.table.physicalName} and ${found.database}.${found.table.physicalName}), whose columns Tessera cannot tell apart to check access`, 'split the view, or join the two in separate views');
      ok = false;
      continue;
    }
    used.set(found.table.physicalName.toLowerCase(), found);
  }
  if (!ok) return undefined;

  const columns = new Map<ProductTables, Set<string>>([...used.values()].map((t) => [t, new Set<string>()]));
  for (const ref of columnRefs) {
    const [, tableName, column] = ref.split('::') as [string, string, string];
    if (column === '(.*)' || column === '*') {
      problem('view-select-star', `view '${view.name}' selects *`, 'list the columns: a view over * keeps the columns it had when it was created and goes stale when a contract adds one');
      ok = false;
      continue;
    }
    const lower = column.toLowerCase();
    if (tableName !== 'null') {
      const table = used.get(tableName.toLowerCase());
      // A column of a CTE or a derived table: checked where that one reads its own tables.
      if (!table) continue;
      if (!table.table.columns.some((c) => c.physicalName.toLowerCase() === lower)) {
        problem('view-unknown-column', `view '${view.name}' reads ${table.database}.${table.table.physicalName}.${column}, which the contract of '${table.product}' does not have`, `its columns are: ${table.table.columns.map((c) => c.physicalName).join(', ')}`);
        ok = false;
        continue;
      }
      columns.get(table)!.add(table.table.columns.find((c) => c.physicalName.toLowerCase() === lower)!.physicalName);
      continue;
    }
    // Unqualified: it belongs to every table read that has it (checked for each, the cautious
    // reading), or it is a name the SQL itself defines (an alias of a CTE or derived column).
    const owners = [...used.values()].filter((t) => t.table.columns.some((c) => c.physicalName.toLowerCase() === lower));
    if (owners.length === 0) {
      if (aliases.has(lower)) continue;
      problem('view-unknown-column', `view '${view.name}' reads column '${column}', which none of its tables (${[...used.values()].map((t) => `${t.database}.${t.table.physicalName}`).join(', ')}) has`, 'check the spelling, or qualify it with its table');
      ok = false;
      continue;
    }
    for (const owner of owners) columns.get(owner)!.add(owner.table.columns.find((c) => c.physicalName.toLowerCase() === lower)!.physicalName);
  }
  if (!ok) return undefined;
  return [...columns].map(([t, cols]) => ({ product: t.product, domain: t.domain, database: t.database, table: t.table, columns: [...cols].sort() }));
}

/** CTE names and every `AS` alias the statement defines, lower-cased. */
function namesDefinedIn(ast: unknown): { ctes: Set<string>; aliases: Set<string> } {
  const ctes = new Set<string>();
  const aliases = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record.with)) {
      for (const cte of record.with as { name?: { value?: string } | string }[]) {
        const name = typeof cte.name === 'string' ? cte.name : cte.name?.value;
        if (name) ctes.add(name.toLowerCase());
      }
    }
    if (typeof record.as === 'string') aliases.add(record.as.toLowerCase());
    Object.values(record).forEach(visit);
  };
  visit(ast);
  return { ctes, aliases };
}
