/**
 * The lineage graph of a mesh: products, their tables and columns, the views and their columns;
 * edges point from what is read to what reads it. Three levels, so that a walk stays at the grain
 * it started at: `product` (a product consumes another through an input port; a view reads a
 * product), `table` (a view reads a table), `column` (a view column is derived from a table column,
 * or a table column shapes every row of a view: the INDIRECT dataset-level inputs).
 */
import { databaseNameFor } from '../glue/names.js';
import type { Mesh } from '../mesh/load.js';
import { viewsDatabaseName } from '../views/check.js';
import type { ColumnTransformation, ViewColumnLineage } from './model.js';

export type LineageLevel = 'product' | 'table' | 'column';

export type LineageNode =
  | { readonly kind: 'product'; readonly id: string; readonly contractId: string; readonly version: string; readonly domain: string; readonly tables: readonly string[] }
  | { readonly kind: 'table'; readonly id: string; readonly product: string; readonly database: string; readonly table: string; readonly columns: readonly string[] }
  | { readonly kind: 'column'; readonly id: string; readonly product: string; readonly database: string; readonly table: string; readonly column: string }
  | { readonly kind: 'view'; readonly id: string; readonly database: string; readonly view: string; readonly columns: readonly string[] }
  | { readonly kind: 'view-column'; readonly id: string; readonly database: string; readonly view: string; readonly column: string };

export interface LineageEdge {
  readonly from: string;
  readonly to: string;
  readonly level: LineageLevel;
  /** Column level: how `to` depends on `from`. */
  readonly transformations?: readonly ColumnTransformation[];
  /** Product level, through an input port: the port's name and the version consumed. */
  readonly port?: { readonly name: string; readonly version: string };
}

export interface LineageGraph {
  readonly nodes: ReadonlyMap<string, LineageNode>;
  readonly edges: readonly LineageEdge[];
}

export const nodeId = {
  product: (contractId: string): string => `product:${contractId}`,
  table: (database: string, table: string): string => `table:${database}.${table}`,
  column: (database: string, table: string, column: string): string => `column:${database}.${table}.${column}`,
  view: (database: string, view: string): string => `view:${database}.${view}`,
  viewColumn: (database: string, view: string, column: string): string => `view-column:${database}.${view}.${column}`,
};

/** The graph of `mesh`, with the view lineage derived from its SQL (lib/lineage/columns.ts). */
export function lineageGraph(mesh: Pick<Mesh, 'config' | 'products'>, views: readonly ViewColumnLineage[]): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  const productOfTable = new Map<string, string>();
  for (const p of mesh.products) {
    const database = databaseNameFor(p.domain);
    const id = nodeId.product(p.contract.id);
    nodes.set(id, { kind: 'product', id, contractId: p.contract.id, version: p.contract.version, domain: p.domain, tables: p.contract.tables.map((t) => `${database}.${t.physicalName}`) });
    for (const t of p.contract.tables) {
      const tableId = nodeId.table(database, t.physicalName);
      const columns = [...t.columns, ...t.partitionKeys.filter((k) => !t.columns.includes(k))].map((c) => c.physicalName);
      nodes.set(tableId, { kind: 'table', id: tableId, product: p.contract.id, database, table: t.physicalName, columns });
      productOfTable.set(tableId, id);
      for (const column of columns) nodes.set(nodeId.column(database, t.physicalName, column), { kind: 'column', id: nodeId.column(database, t.physicalName, column), product: p.contract.id, database, table: t.physicalName, column });
    }
  }
  for (const p of mesh.products) {
    for (const port of p.inputPorts ?? []) {
      const from = nodeId.product(port.contractId);
      if (nodes.has(from)) edges.push({ from, to: nodeId.product(p.contract.id), level: 'product', port: { name: port.name, version: port.version } });
    }
  }
  const database = viewsDatabaseName(mesh.config.name);
  for (const v of views) addView(nodes, edges, productOfTable, { ...v, database });
  return { nodes, edges };
}

function addView(nodes: Map<string, LineageNode>, edges: LineageEdge[], productOfTable: ReadonlyMap<string, string>, v: ViewColumnLineage): void {
  const viewId = nodeId.view(v.database, v.view);
  nodes.set(viewId, { kind: 'view', id: viewId, database: v.database, view: v.view, columns: Object.keys(v.columns) });
  const tables = new Set<string>();
  for (const [column, inputs] of Object.entries(v.columns)) {
    const id = nodeId.viewColumn(v.database, v.view, column);
    nodes.set(id, { kind: 'view-column', id, database: v.database, view: v.view, column });
    for (const input of inputs) {
      tables.add(nodeId.table(input.database, input.table));
      edges.push({ from: nodeId.column(input.database, input.table, input.column), to: id, level: 'column', transformations: input.transformations });
    }
  }
  for (const input of v.dataset) {
    tables.add(nodeId.table(input.database, input.table));
    edges.push({ from: nodeId.column(input.database, input.table, input.column), to: viewId, level: 'column', transformations: input.transformations });
  }
  const products = new Set<string>();
  for (const table of [...tables].sort()) {
    edges.push({ from: table, to: viewId, level: 'table' });
    const product = productOfTable.get(table);
    if (product !== undefined) products.add(product);
  }
  for (const product of [...products].sort()) edges.push({ from: product, to: viewId, level: 'product' });
}

export type Direction = 'up' | 'down';

/** One step of a walk: the node reached, the edge that reached it, and what lies beyond. */
export interface LineageTree {
  readonly node: LineageNode;
  readonly edge?: LineageEdge;
  readonly children: readonly LineageTree[];
  /** Already expanded elsewhere in the walk (a diamond or a cycle): not expanded again. */
  readonly repeated?: boolean;
}

/** The level a walk from `node` follows. */
export function levelOf(node: LineageNode): LineageLevel {
  if (node.kind === 'product') return 'product';
  return node.kind === 'table' || node.kind === 'view' ? 'table' : 'column';
}

/**
 * Walks from `start` up (what it reads) or down (what reads it), `depth` edges at most, at the
 * start node's level. Safe for cycles: every node is expanded once; a node met again is `repeated`.
 */
export function walk(graph: LineageGraph, start: string, direction: Direction, depth: number): LineageTree {
  const root = graph.nodes.get(start);
  if (!root) throw new Error(`no lineage node ${start}`);
  const level = levelOf(root);
  const edges = graph.edges.filter((e) => e.level === level);
  const expanded = new Set<string>([start]);
  const visit = (node: LineageNode, edge: LineageEdge | undefined, left: number): LineageTree => {
    if (left === 0) return { node, edge, children: [] };
    const next = edges.filter((e) => (direction === 'up' ? e.to : e.from) === node.id);
    const children = next.map((e) => {
      const id = direction === 'up' ? e.from : e.to;
      const child = graph.nodes.get(id)!;
      if (expanded.has(id)) return { node: child, edge: e, children: [], repeated: true };
      expanded.add(id);
      return visit(child, e, left - 1);
    });
    return { node, edge, children };
  };
  return visit(root, undefined, depth);
}
