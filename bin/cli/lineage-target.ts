/**
 * What `tessera lineage <target>` names: `<product>[.<table>[.<column>]]` (contract id, then the
 * table's and column's physical or logical name), `<views database>.<view>[.<column>]`, or
 * `<domain database>.<table>[.<column>]` (the names Athena queries by). Anything else is a usage
 * error that names the closest existing name.
 */
import { closest } from 'fastest-levenshtein';
import { databaseNameFor } from '../../lib/glue/names.js';
import { nodeId, type LineageGraph } from '../../lib/lineage/graph.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { viewsDatabaseName } from '../../lib/views/check.js';
import { UsageError } from './io.js';

export function resolveTarget(mesh: Pick<Mesh, 'config' | 'products'>, graph: LineageGraph, target: string): string {
  const [first = '', ...rest] = target.split('.');
  const viewsDb = viewsDatabaseName(mesh.config.name);
  if (first === viewsDb) return viewTarget(graph, viewsDb, rest, target);
  // A domain database with one of its tables, as Athena names it (`orders.order_lines`)...
  const owner = rest.length > 0 ? mesh.products.find((p) => databaseNameFor(p.domain) === first && p.contract.tables.some((t) => sameName(t, rest[0]!))) : undefined;
  if (owner) return productTarget(owner, rest.join('.'), first);
  // ... else a product id (which may hold dots), then its table and column.
  const products = [...mesh.products].sort((a, b) => b.contract.id.length - a.contract.id.length);
  const product = products.find((p) => target === p.contract.id || target.startsWith(`${p.contract.id}.`));
  if (product) return productTarget(product, target.slice(product.contract.id.length + 1));
  const domain = mesh.products.find((p) => databaseNameFor(p.domain) === first);
  if (domain && rest.length > 0) return productTarget(domain, rest.join('.'), first);
  const names = [...mesh.products.map((p) => p.contract.id), viewsDb, ...new Set(mesh.products.map((p) => databaseNameFor(p.domain)))];
  throw new UsageError(`unknown product '${first}'${hint(first, names)}; name a product (${mesh.products.map((p) => p.contract.id).join(', ')}), a domain database with a table, or ${viewsDb}.<view>`);
}

type Product = Mesh['products'][number];

function productTarget(product: Product, rest: string, shownAs = product.contract.id): string {
  const database = databaseNameFor(product.domain);
  if (rest === '') return nodeId.product(product.contract.id);
  const [tableName = '', columnName, ...extra] = rest.split('.');
  const table = product.contract.tables.find((t) => sameName(t, tableName));
  if (!table) {
    const names = product.contract.tables.map((t) => t.physicalName);
    throw new UsageError(`'${shownAs}' has no table '${tableName}'${hint(tableName, names)}; its tables are: ${names.join(', ')}`);
  }
  if (columnName === undefined) return nodeId.table(database, table.physicalName);
  const columns = [...table.columns, ...table.partitionKeys.filter((k) => !table.columns.includes(k))];
  const column = columns.find((c) => sameName(c, columnName));
  if (!column || extra.length > 0) {
    const names = columns.map((c) => c.physicalName);
    throw new UsageError(`table ${database}.${table.physicalName} has no column '${[columnName, ...extra].join('.')}'${hint(columnName, names)}; its columns are: ${names.join(', ')}`);
  }
  return nodeId.column(database, table.physicalName, column.physicalName);
}

function viewTarget(graph: LineageGraph, database: string, rest: readonly string[], target: string): string {
  const [viewName = '', columnName, ...extra] = rest;
  const views = [...graph.nodes.values()].filter((n) => n.kind === 'view');
  const view = views.find((v) => v.view.toLowerCase() === viewName.toLowerCase());
  if (!view || view.kind !== 'view') {
    const names = views.map((v) => (v.kind === 'view' ? v.view : ''));
    throw new UsageError(`unknown view '${target}'${hint(viewName, names, `${database}.`)}; the views are: ${names.map((n) => `${database}.${n}`).join(', ') || '(none)'}`);
  }
  if (columnName === undefined) return view.id;
  const column = view.columns.find((c) => c === columnName.toLowerCase());
  if (!column || extra.length > 0) throw new UsageError(`view ${database}.${view.view} has no column '${[columnName, ...extra].join('.')}'${hint(columnName, view.columns)}; its columns are: ${view.columns.join(', ')}`);
  return nodeId.viewColumn(database, view.view, column);
}

function sameName(named: { readonly name: string; readonly physicalName: string }, written: string): boolean {
  const w = written.toLowerCase();
  return named.physicalName.toLowerCase() === w || named.name.toLowerCase() === w;
}

function hint(written: string, names: readonly string[], prefix = ''): string {
  if (names.length === 0) return '';
  return ` (did you mean '${prefix}${closest(written, [...names])}'?)`;
}
