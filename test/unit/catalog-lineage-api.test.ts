/**
 * `GET /products/{id}/lineage` through the API's whole middy chain on an in-memory store: the
 * example products published, and the mesh's lineage events as the governance stack would write
 * them, from a view's column lineage written by hand and an input port.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { errorSchema, lineageSchema, type Lineage } from '../../lib/catalog/api-schema.js';
import type { ViewColumnLineage } from '../../lib/lineage/model.js';
import type { RunEvent } from '../../lib/lineage/openlineage/run-event.js';
import { productLineageEvent, viewEvent } from '../../lib/lineage/openlineage/view.js';
import { LocalCatalog, MemoryCatalogStore } from '../../lambdas/catalog/local.js';
import { exampleMesh } from '../support/catalog.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const VIEW = 'AwsDataCatalog.ecommerce_views.warehouse_daily_shipments';

// The example view: SELECT s.ship_date, count(DISTINCT s.shipment_id) AS parcels, sum(l.quantity) AS units
// FROM shipping.shipments s JOIN orders.order_lines l ON l.order_id = s.order_id GROUP BY s.ship_date ...
const shipmentsView: ViewColumnLineage = {
  database: 'ecommerce_views',
  view: 'warehouse_daily_shipments',
  columns: {
    ship_date: [{ database: 'shipping', table: 'shipments', column: 'ship_date', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }],
    parcels: [{ database: 'shipping', table: 'shipments', column: 'shipment_id', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }] }],
    units: [{ database: 'orders', table: 'order_lines', column: 'quantity', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }] }],
  },
  dataset: [
    { database: 'orders', table: 'order_lines', column: 'order_id', transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] },
    { database: 'shipping', table: 'shipments', column: 'order_id', transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] },
    { database: 'shipping', table: 'shipments', column: 'ship_date', transformations: [{ type: 'INDIRECT', subtype: 'GROUP_BY' }] },
  ],
};

let catalog: LocalCatalog;

beforeAll(async () => {
  const mesh = await exampleMesh();
  const store = new MemoryCatalogStore();
  catalog = new LocalCatalog({ store, mesh: mesh.config.name });
  await catalog.seedMeshConfig(mesh.config);
  expect((await catalog.publish(mesh.products.map((p) => ({ text: p.contract.source.text, domain: p.domain })))).batchItemFailures).toEqual([]);
  const at = '2026-12-01T00:00:00.000Z';
  await store.putMeshLineage([
    viewEvent({ mesh: 'ecommerce', region: 'eu-west-1', lineage: shipmentsView, at }),
    // shipments consumes orders (an input port).
    productLineageEvent({ mesh: 'ecommerce', region: 'eu-west-1', consumer: { product: 'shipments', database: 'shipping', tables: ['shipments'] }, inputs: [{ product: 'orders', database: 'orders', tables: ['orders'] }], at }),
  ]);
});

const lineage = async (path: string): Promise<Lineage> => {
  const { status, body } = await catalog.get<Lineage>(path);
  expect(status).toBe(200);
  return lineageSchema.parse(body);
};

describe('GET /products/{id}/lineage', () => {
  it('walks down by default both ways: a product read by a view', async () => {
    expect(await lineage('/products/order-lines/lineage')).toEqual({
      product: 'order-lines',
      direction: 'both',
      depth: 3,
      nodes: [
        { id: 'product:order-lines', kind: 'product', distance: 0 },
        { id: 'view:ecommerce_views.warehouse_daily_shipments', kind: 'view', distance: 1 },
      ],
      edges: [{ from: 'product:order-lines', to: 'view:ecommerce_views.warehouse_daily_shipments', job: 'ecommerce_views.warehouse_daily_shipments' }],
    });
  });

  it('follows input ports and views downstream, hop by hop', async () => {
    const down = await lineage('/products/orders/lineage?direction=down');
    expect(down.nodes).toEqual([
      { id: 'product:orders', kind: 'product', distance: 0 },
      { id: 'product:shipments', kind: 'product', distance: 1 },
      { id: 'view:ecommerce_views.warehouse_daily_shipments', kind: 'view', distance: 2 },
    ]);
    expect((await lineage('/products/orders/lineage?direction=down&depth=1')).nodes.map((n) => n.id)).toEqual(['product:orders', 'product:shipments']);
    expect((await lineage('/products/orders/lineage?direction=up')).nodes.map((n) => n.id)).toEqual(['product:orders']);
  });

  it('walks upstream from a view-reading product to what it consumes', async () => {
    const up = await lineage('/products/shipments/lineage?direction=up');
    expect(up.nodes).toEqual([
      { id: 'product:orders', kind: 'product', distance: -1 },
      { id: 'product:shipments', kind: 'product', distance: 0 },
    ]);
    expect(up.edges).toEqual([{ from: 'product:orders', to: 'product:shipments', job: 'shipments.consume' }]);
  });

  it("answers a column's lineage: the view columns derived from it, and the views it shapes", async () => {
    expect((await lineage('/products/order-lines/lineage?column=order_lines.quantity')).column).toEqual({
      table: 'order_lines',
      column: 'quantity',
      downstream: [{ dataset: VIEW, column: 'units', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }], distance: 1 }],
    });
    expect((await lineage('/products/order-lines/lineage?column=order_lines.order_id')).column?.downstream).toEqual([{ dataset: VIEW, transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }], distance: 1 }]);
    expect((await lineage('/products/shipments/lineage?column=shipments.ship_date')).column?.downstream).toEqual([
      { dataset: VIEW, column: 'ship_date', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }], distance: 1 },
      { dataset: VIEW, transformations: [{ type: 'INDIRECT', subtype: 'GROUP_BY' }], distance: 1 },
    ]);
    expect((await lineage('/products/order-lines/lineage?column=order_lines.quantity&direction=up')).column?.downstream).toEqual([]);
  });

  it.each([
    ['an unknown product', '/products/nope/lineage', 404, 'ProductNotFound', /product 'nope' is not in the catalog/],
    ['depth 0', '/products/orders/lineage?depth=0', 400, 'InvalidParameter', /'depth' "0": must be a whole number from 1 to 10/],
    ['depth 11', '/products/orders/lineage?depth=11', 400, 'InvalidParameter', /'depth' "11": must be a whole number from 1 to 10/],
    ['depth abc', '/products/orders/lineage?depth=abc', 400, 'InvalidParameter', /'depth' "abc"/],
    ['a direction that is none', '/products/orders/lineage?direction=sideways', 400, 'InvalidParameter', /'direction' "sideways": must be up, down or both/],
    ['a column without its table', '/products/orders/lineage?column=order_id', 400, 'InvalidParameter', /'column' "order_id": must be <table>.<column>/],
    ['an unknown parameter', '/products/orders/lineage?columns=a.b', 400, 'UnknownParameter', /'columns'.*it takes direction, depth, column/],
    ['a table the product does not have', '/products/order-lines/lineage?column=orders.order_id', 404, 'ColumnNotFound', /product 'order-lines' has no table 'orders'; its tables are order_lines/],
    ['a column its table does not have', '/products/order-lines/lineage?column=order_lines.nope', 404, 'ColumnNotFound', /table 'order_lines' of product 'order-lines' has no column 'nope'/],
  ])('%s: %i %s', async (_, path, status, error, message) => {
    const response = await catalog.get(path);
    expect(response.status).toBe(status);
    const body = errorSchema.parse(response.body);
    expect(body.error).toBe(error);
    expect(body.message).toMatch(message);
  });
});

describe('lineage sinks beside the store', () => {
  it('forwards each event the ingest stores, the same event, after storing it', async () => {
    const mesh = await exampleMesh();
    const store = new MemoryCatalogStore();
    const forwarded: RunEvent[] = [];
    const local = new LocalCatalog({ store, mesh: mesh.config.name, forwardLineage: (event) => Promise.resolve(void forwarded.push(event)) });
    await local.seedMeshConfig(mesh.config);
    const orders = mesh.products.find((p) => p.contract.id === 'orders')!;
    expect((await local.publish([{ text: orders.contract.source.text, domain: orders.domain }])).batchItemFailures).toEqual([]);
    const stored = await store.lineageEvents('orders', 10);
    expect(stored).toHaveLength(1);
    expect(forwarded).toEqual([stored[0]!.event]);
  });
});
