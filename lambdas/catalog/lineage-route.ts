/**
 * `GET /products/{id}/lineage`: the product's place in the mesh's lineage graph, built from the
 * structural OpenLineage events the governance stack wrote (views, input ports) and the products'
 * tables as their summaries list them (lib/lineage/openlineage/graph.ts does the walking).
 */
import { DEFAULT_LINEAGE_DEPTH, type Lineage, type ProductSummary } from '../../lib/catalog/api-schema.js';
import { columnsDownstream, lineageGraph, walk, type Direction } from '../../lib/lineage/openlineage/graph.js';
import { ATHENA_CATALOG } from '../../lib/lineage/openlineage/naming.js';
import { HttpError } from './http.js';
import type { CatalogStore } from './store.js';

export interface LineageQuery {
  readonly direction?: Direction;
  readonly depth?: number;
  readonly column?: string;
}

/** `product` must exist (the caller checked); `summaries` are every product's, for who owns which table. */
export async function productLineage(product: string, query: LineageQuery, store: CatalogStore, summaries: ReadonlyMap<string, ProductSummary>): Promise<Lineage> {
  const direction = query.direction ?? 'both';
  const depth = query.depth ?? DEFAULT_LINEAGE_DEPTH;
  const owners = new Map<string, string>();
  for (const summary of summaries.values()) for (const table of summary.tables) owners.set(`${ATHENA_CATALOG}.${table}`, summary.id);
  // By job name: the answer does not depend on the order the deploy wrote the events in.
  const events = (await store.meshLineage()).sort((a, b) => a.job.name.localeCompare(b.job.name));
  const { nodes, edges } = walk(lineageGraph(events, owners), `product:${product}`, direction, depth);
  const lineage: Lineage = { product, direction, depth, nodes, edges };
  if (query.column === undefined) return lineage;

  const [table, column] = query.column.split('.') as [string, string];
  const page = (await store.latestVersion(product))?.page;
  const found = page?.tables.find((t) => t.physicalName === table);
  if (!found?.columns.some((c) => c.physicalName === column)) {
    const tables = page?.tables.map((t) => t.physicalName).join(', ') ?? '';
    throw new HttpError(404, 'ColumnNotFound', found ? `table '${table}' of product '${product}' has no column '${column}'` : `product '${product}' has no table '${table}'; its tables are ${tables}`);
  }
  // Only views have column lineage in the mesh: upstream of a product's column there is nothing.
  const downstream = direction === 'up' ? [] : columnsDownstream(events, `${ATHENA_CATALOG}.${found.athenaTable}`, column, depth).map((l) => ({ ...l, transformations: [...l.transformations] }));
  return { ...lineage, column: { table, column, downstream } };
}
