/**
 * The example mesh's view lineage, written out by hand from the two views' SQL in mesh/mesh.yaml,
 * and the lineage graph: product lineage from input ports (set here: on the example mesh no product
 * has a descriptor yet), walks up and down with a depth limit, and cycles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lineageReport } from '../../bin/cli/lineage.js';
import { renderText } from '../../bin/cli/lineage-render.js';
import { meshViewLineage } from '../../lib/lineage/columns.js';
import { lineageGraph, nodeId, walk, type LineageGraph, type LineageTree } from '../../lib/lineage/graph.js';
import type { ColumnInput } from '../../lib/lineage/model.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';

const root = new URL('../..', import.meta.url).pathname;
let mesh: Mesh;
beforeAll(async () => {
  const loaded = await loadMeshFile(`${root}mesh/mesh.yaml`);
  mesh = loaded.mesh!;
});

const lines = (inputs: readonly ColumnInput[]): string[] => inputs.flatMap((i) => i.transformations.map((t) => `${i.database}.${i.table}.${i.column} ${t.type} ${t.subtype}`));

describe('the example views', () => {
  it('warehouse_daily_shipments: grouped columns, a count and a sum, joined on order_id', () => {
    const view = meshViewLineage(mesh).find((v) => v.view === 'warehouse_daily_shipments')!;
    expect(view.database).toBe('ecommerce_views');
    expect(Object.fromEntries(Object.entries(view.columns).map(([c, i]) => [c, lines(i)]))).toEqual({
      ship_date: ['shipping.shipments.ship_date DIRECT IDENTITY'],
      warehouse_id: ['shipping.shipments.warehouse_id DIRECT IDENTITY'],
      carrier: ['shipping.shipments.carrier DIRECT IDENTITY'],
      parcels: ['shipping.shipments.shipment_id DIRECT AGGREGATION'],
      units: ['orders.order_lines.quantity DIRECT AGGREGATION'],
    });
    expect(lines(view.dataset)).toEqual([
      'orders.order_lines.order_id INDIRECT JOIN',
      'shipping.shipments.carrier INDIRECT GROUP_BY',
      'shipping.shipments.order_id INDIRECT JOIN',
      'shipping.shipments.ship_date INDIRECT GROUP_BY',
      'shipping.shipments.warehouse_id INDIRECT GROUP_BY',
    ]);
  });

  it('stock_cover: arithmetic and a cast, and units_ordered aggregated in the CTE `sold`', () => {
    const view = meshViewLineage(mesh).find((v) => v.view === 'stock_cover')!;
    expect(Object.fromEntries(Object.entries(view.columns).map(([c, i]) => [c, lines(i)]))).toEqual({
      snapshot_date: ['inventory.stock_levels.snapshot_date DIRECT IDENTITY'],
      warehouse_id: ['inventory.stock_levels.warehouse_id DIRECT IDENTITY'],
      sku: ['inventory.stock_levels.sku DIRECT IDENTITY'],
      available: ['inventory.stock_levels.on_hand DIRECT TRANSFORMATION', 'inventory.stock_levels.reserved DIRECT TRANSFORMATION'],
      stock_value: ['inventory.stock_levels.on_hand DIRECT TRANSFORMATION', 'inventory.stock_levels.unit_cost DIRECT TRANSFORMATION'],
      // coalesce(sold.units_ordered, 0): sum(l.quantity) through the CTE, and COALESCE's null test.
      units_ordered: ['orders.order_lines.quantity DIRECT AGGREGATION', 'orders.order_lines.quantity INDIRECT CONDITIONAL'],
    });
    expect(lines(view.dataset)).toEqual([
      'inventory.stock_levels.sku INDIRECT JOIN',
      'inventory.stock_levels.snapshot_date INDIRECT JOIN',
      'orders.order_lines.order_date INDIRECT JOIN',
      'orders.order_lines.order_date INDIRECT GROUP_BY',
      'orders.order_lines.sku INDIRECT JOIN',
      'orders.order_lines.sku INDIRECT GROUP_BY',
    ]);
  });
});

/** order-lines consumes stock-levels and stock-levels consumes order-lines: a cycle. */
function graphWithPorts(): LineageGraph {
  const ports: Record<string, { name: string; contractId: string; version: string }[]> = {
    'order-lines': [{ name: 'stock-in', contractId: 'stock-levels', version: '1.0.0' }],
    'stock-levels': [{ name: 'orders-in', contractId: 'order-lines', version: '1.0.0' }],
  };
  const products = mesh.products.map((p) => ({ ...p, inputPorts: ports[p.contract.id] ?? [] }));
  return lineageGraph({ config: mesh.config, products }, meshViewLineage(mesh));
}

function outline(tree: LineageTree, indent = ''): string[] {
  return tree.children.flatMap((c) => [`${indent}${c.node.id}${c.repeated ? ' (repeated)' : ''}`, ...outline(c, `${indent}  `)]);
}

describe('the lineage graph', () => {
  it('links products through input ports and to the views that read their tables, safe for cycles', () => {
    const graph = graphWithPorts();
    expect(outline(walk(graph, nodeId.product('order-lines'), 'down', 5))).toEqual([
      'product:stock-levels',
      '  product:order-lines (repeated)',
      '  view:ecommerce_views.stock_cover',
      'view:ecommerce_views.warehouse_daily_shipments',
      'view:ecommerce_views.stock_cover (repeated)',
    ]);
    expect(outline(walk(graph, nodeId.product('order-lines'), 'up', 5))).toEqual(['product:stock-levels', '  product:order-lines (repeated)']);
  });

  it('stops at the depth limit', () => {
    expect(outline(walk(graphWithPorts(), nodeId.product('order-lines'), 'down', 1))).toEqual([
      'product:stock-levels',
      'view:ecommerce_views.warehouse_daily_shipments',
      'view:ecommerce_views.stock_cover',
    ]);
  });

  it('walks a column down to the view columns and views that read it', () => {
    const graph = lineageGraph(mesh, meshViewLineage(mesh));
    expect(outline(walk(graph, nodeId.column('orders', 'order_lines', 'sku'), 'down', 5))).toEqual([
      'view:ecommerce_views.stock_cover',
    ]);
    expect(outline(walk(graph, nodeId.column('inventory', 'stock_levels', 'sku'), 'down', 5))).toEqual([
      'view-column:ecommerce_views.stock_cover.sku',
      'view:ecommerce_views.stock_cover',
    ]);
    expect(outline(walk(graph, nodeId.view('ecommerce_views', 'stock_cover'), 'up', 5))).toEqual(['table:inventory.stock_levels', 'table:orders.order_lines']);
  });

  it('prints product lineage from input ports as a tree', () => {
    const graph = graphWithPorts();
    expect(renderText(lineageReport(graph, nodeId.product('order-lines'), { up: false, down: false }, 5), graph)).toBe(
      [
        'order-lines 1.0.0 (product, domain orders)',
        'upstream (what it is derived from):',
        '  └── stock-levels 1.0.0 (product, domain inventory) [input port stock-in, version 1.0.0]',
        '      └── order-lines 1.0.0 (product, domain orders) [input port orders-in, version 1.0.0] (see above)',
        'downstream (what reads it):',
        '  ├── stock-levels 1.0.0 (product, domain inventory) [input port orders-in, version 1.0.0]',
        '  │   ├── order-lines 1.0.0 (product, domain orders) [input port stock-in, version 1.0.0] (see above)',
        '  │   └── ecommerce_views.stock_cover (view)',
        '  ├── ecommerce_views.warehouse_daily_shipments (view)',
        '  └── ecommerce_views.stock_cover (view) (see above)',
        '',
      ].join('\n'),
    );
  });
});
