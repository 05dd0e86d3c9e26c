/**
 * The column lineage of every view of a mesh, derived from its SQL (see sql-lineage.ts for how),
 * in the shape of the shared lineage model: physical names of the product tables, the view's
 * columns with their inputs, and the inputs that shape every row.
 */
import { databaseNameFor } from '../glue/names.js';
import type { Mesh } from '../mesh/load.js';
import { parseViewSql, viewsDatabaseName } from '../views/check.js';
import type { ViewColumnLineage } from './model.js';
import { queryLineage, type CatalogTable, type TableCatalog } from './sql-lineage.js';
import { groupInputs } from './transformations.js';

type Products = Mesh['products'];

/** The mesh's product tables by `<domain database>.<table>`, lower-cased, with physical names. */
export function meshCatalog(products: Products): TableCatalog {
  const tables = new Map<string, CatalogTable>();
  for (const p of products) {
    const database = databaseNameFor(p.domain);
    for (const t of p.contract.tables) {
      tables.set(`${database}.${t.physicalName.toLowerCase()}`, { database, table: t.physicalName, columns: [...t.columns, ...t.partitionKeys.filter((k) => !t.columns.includes(k))].map((c) => c.physicalName) });
    }
  }
  return (database, table) => tables.get(`${database.toLowerCase()}.${table.toLowerCase()}`);
}

/** The lineage of one view's SQL against the catalog. */
export function viewColumnLineage(database: string, view: string, sql: string, catalog: TableCatalog): ViewColumnLineage {
  const ast = parseViewSql(sql);
  const select = (Array.isArray(ast) ? ast[0] : ast) as Record<string, unknown>;
  const lineage = queryLineage(select, catalog);
  const columns: Record<string, ReturnType<typeof groupInputs>> = {};
  for (const c of lineage.columns) columns[c.name] = groupInputs(c.deps);
  return { database, view, columns, dataset: groupInputs(lineage.dataset) };
}

/** The lineage of every (checked) view of the mesh, in the order of the config. */
export function meshViewLineage(mesh: Pick<Mesh, 'config' | 'products' | 'views'>): ViewColumnLineage[] {
  const catalog = meshCatalog(mesh.products);
  const database = viewsDatabaseName(mesh.config.name);
  return mesh.views.map((v) => viewColumnLineage(database, v.view.name, v.view.sql, catalog));
}
