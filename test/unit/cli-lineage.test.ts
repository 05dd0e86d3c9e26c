/**
 * `tessera lineage` on the example mesh, and the impact lines of `tessera diff`. Every expected
 * output is written out by hand from the views' SQL in mesh/mesh.yaml and the grants of its
 * consumers (analysts#1: every domain, public+internal; customer-service#2 and supply-chain#2:
 * orders, public+internal; shipping-pipelines#1, the shipping domain's pipelines: orders,
 * public+internal).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTessera } from '../support/cli.js';
import { indented, QUANTITY_IMPACT } from '../support/impact.js';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-lineage-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (...argv: string[]): ReturnType<typeof runTessera> => runTessera(root, ...argv);

describe('tessera lineage', () => {
  it("prints a view column's inputs and the inputs that shape its view's rows", async () => {
    const { code, out, err } = await run('lineage', 'ecommerce_views.stock_cover.stock_value');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'ecommerce_views.stock_cover.stock_value (view column)',
        'upstream (what it is derived from):',
        '  ├── inventory.stock_levels.on_hand (column of stock-levels) [DIRECT TRANSFORMATION]',
        '  └── inventory.stock_levels.unit_cost (column of stock-levels) [DIRECT TRANSFORMATION]',
        'every row of its view is shaped by (dataset level):',
        '  inventory.stock_levels.sku [INDIRECT JOIN]',
        '  inventory.stock_levels.snapshot_date [INDIRECT JOIN]',
        '  orders.order_lines.order_date [INDIRECT JOIN, INDIRECT GROUP_BY]',
        '  orders.order_lines.sku [INDIRECT JOIN, INDIRECT GROUP_BY]',
        'downstream (what reads it):',
        '  (nothing)',
        '',
      ].join('\n'),
    );
  });

  it('walks a column down by its product id or by its Athena name', async () => {
    const expected = [
      'orders.order_lines.quantity (column of order-lines)',
      'downstream (what reads it):',
      '  ├── ecommerce_views.warehouse_daily_shipments.units (view column) [DIRECT AGGREGATION]',
      '  └── ecommerce_views.stock_cover.units_ordered (view column) [DIRECT AGGREGATION, INDIRECT CONDITIONAL]',
      '',
    ].join('\n');
    expect((await run('lineage', 'order-lines.order_lines.quantity', '--down')).out).toBe(expected);
    expect((await run('lineage', 'orders.order_lines.quantity', '--down')).out).toBe(expected);
  });

  it('prints JSON in the documented shape', async () => {
    const { code, out } = await run('lineage', 'ecommerce_views.stock_cover.units_ordered', '--up', '--json', '--depth', '2');
    expect(code).toBe(0);
    const direct = (subtype: string): object => ({ type: 'DIRECT', subtype });
    const indirect = (subtype: string): object => ({ type: 'INDIRECT', subtype });
    expect(JSON.parse(out)).toEqual({
      target: { name: 'ecommerce_views.stock_cover.units_ordered', kind: 'view-column', id: 'view-column:ecommerce_views.stock_cover.units_ordered', database: 'ecommerce_views', view: 'stock_cover', column: 'units_ordered' },
      depth: 2,
      upstream: [
        {
          name: 'orders.order_lines.quantity',
          kind: 'column',
          id: 'column:orders.order_lines.quantity',
          product: 'order-lines',
          database: 'orders',
          table: 'order_lines',
          column: 'quantity',
          transformations: [direct('AGGREGATION'), indirect('CONDITIONAL')],
          children: [],
        },
      ],
      dataset: [
        { name: 'inventory.stock_levels.sku', transformations: [indirect('JOIN')] },
        { name: 'inventory.stock_levels.snapshot_date', transformations: [indirect('JOIN')] },
        { name: 'orders.order_lines.order_date', transformations: [indirect('JOIN'), indirect('GROUP_BY')] },
        { name: 'orders.order_lines.sku', transformations: [indirect('JOIN'), indirect('GROUP_BY')] },
      ],
    });
  });

  it('prints a Graphviz digraph of the edges walked', async () => {
    const { out } = await run('lineage', 'ecommerce_views.stock_cover', '--up', '--dot');
    expect(out).toBe(
      [
        'digraph lineage {',
        '  rankdir=LR;',
        '  "view:ecommerce_views.stock_cover" [label="ecommerce_views.stock_cover (view)", shape=component, style=bold];',
        '  "table:inventory.stock_levels" [label="inventory.stock_levels (table of stock-levels)", shape=box];',
        '  "table:orders.order_lines" [label="orders.order_lines (table of order-lines)", shape=box];',
        '  "table:inventory.stock_levels" -> "view:ecommerce_views.stock_cover";',
        '  "table:orders.order_lines" -> "view:ecommerce_views.stock_cover";',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('shows the views that read a product', async () => {
    const { out } = await run('lineage', 'stock-levels');
    expect(out).toBe(['stock-levels 1.0.0 (product, domain inventory)', 'upstream (what it is derived from):', '  (nothing)', 'downstream (what reads it):', '  └── ecommerce_views.stock_cover (view)', ''].join('\n'));
  });

  it("shows product lineage from the example's ODPS input port (mesh/shipping/shipments.odps.yaml consumes orders 1.0.0)", async () => {
    const up = await run('lineage', 'shipments');
    expect(up.out).toBe(
      [
        'shipments 1.0.0 (product, domain shipping)',
        'upstream (what it is derived from):',
        '  └── orders 1.0.0 (product, domain orders) [input port orders, version 1.0.0]',
        'downstream (what reads it):',
        '  └── ecommerce_views.warehouse_daily_shipments (view)',
        '',
      ].join('\n'),
    );
    const down = await run('lineage', 'orders', '--down', '--depth', '1');
    expect(down.out).toBe(['orders 1.0.0 (product, domain orders)', 'downstream (what reads it):', '  └── shipments 1.0.0 (product, domain shipping) [input port orders, version 1.0.0]', ''].join('\n'));
  });

  it.each([
    ['ecommerce_views.stock_cover.stok_value', "error: view ecommerce_views.stock_cover has no column 'stok_value' (did you mean 'stock_value'?); its columns are: snapshot_date, warehouse_id, sku, available, stock_value, units_ordered"],
    ['ecommerce_views.stock_covr', "error: unknown view 'ecommerce_views.stock_covr' (did you mean 'ecommerce_views.stock_cover'?); the views are: ecommerce_views.warehouse_daily_shipments, ecommerce_views.stock_cover"],
    ['ordr-lines', "error: unknown product 'ordr-lines' (did you mean 'order-lines'?); name a product (customer-profiles, orders, order-lines, stock-levels, shipments), a domain database with a table, or ecommerce_views.<view>"],
    ['order-lines.order_line', "error: 'order-lines' has no table 'order_line' (did you mean 'order_lines'?); its tables are: order_lines"],
    ['orders.order_lines.qty', "error: table orders.order_lines has no column 'qty' (did you mean 'sku'?); its columns are: order_id, line_number, sku, quantity, unit_price, discount_pct, line_amount, order_date"],
  ])('%s: exit 2, with the closest name', async (target, message) => {
    const { code, out, err } = await run('lineage', target);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`${message}\n(run with --help for usage)\n`);
  });

  it('prints the findings of an invalid mesh and exits 1', async () => {
    const dir = join(scratch, 'broken-mesh');
    cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
    const meshFile = join(dir, 'mesh.yaml');
    writeFileSync(meshFile, readFileSync(meshFile, 'utf8').replace('sum(l.quantity) AS units\n', 'sum(l.qty) AS units\n'));
    const { code, out, err } = await run('lineage', 'stock-levels', '--mesh', dir);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain("view 'warehouse_daily_shipments' reads orders.order_lines.qty, which the contract of 'order-lines' does not have");
    expect(err).toContain(`${meshFile} is invalid`);
  });

  it('refuses --json with --dot, and a depth below 1', async () => {
    expect(await run('lineage', 'stock-levels', '--json', '--dot')).toEqual({ code: 2, out: '', err: 'error: choose one of --json and --dot\n(run with --help for usage)\n' });
    const { code, err } = await run('lineage', 'stock-levels', '--depth', '0');
    expect(code).toBe(2);
    expect(err).toContain("option '--depth <n>' argument '0' is invalid. must be a whole number from 1 to 100.");
  });
});

const orderLines = readFileSync(join(root, 'mesh/orders/order-lines.odcs.yaml'), 'utf8');
const quantity = '      - name: quantity\n        logicalType: integer\n        physicalType: int\n        description: Units ordered.\n        classification: internal\n        required: true\n        logicalTypeOptions:\n          minimum: 1\n          maximum: 100\n';

/** order-lines without its quantity column. */
function withoutQuantity(): string {
  expect(orderLines).toContain(quantity);
  return orderLines.replace(quantity, '');
}

const IMPACT = indented(QUANTITY_IMPACT, '    ');

describe('tessera diff: impact of a change on the mesh', () => {
  it('lists who reads a removed column, with --mesh for a copy outside the mesh', async () => {
    const copy = join(scratch, 'order-lines.odcs.yaml');
    writeFileSync(copy, withoutQuantity());
    const { code, out } = await run('diff', '--mesh', 'mesh', 'mesh/orders/order-lines.odcs.yaml', copy);
    expect(code).toBe(1);
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.includes('order_lines.quantity [column-removed]'));
    expect(lines.slice(at + 1, at + 2 + IMPACT.length)).toEqual(['      int → (none)', ...IMPACT]);
  });

  it('finds the mesh above the new file, read as it was before the change', async () => {
    // In the copy the views no longer bind (quantity is gone); the impact is judged on the old text.
    cpSync(join(root, 'mesh'), join(scratch, 'mesh'), { recursive: true, filter: (src) => !src.includes('generator') });
    const changed = join(scratch, 'mesh', 'orders', 'order-lines.odcs.yaml');
    writeFileSync(changed, withoutQuantity());
    const { out } = await runTessera(scratch, 'diff', '--json', join(root, 'mesh/orders/order-lines.odcs.yaml'), 'mesh/orders/order-lines.odcs.yaml');
    const json = JSON.parse(out) as { impact: unknown };
    const aggregation = { type: 'DIRECT', subtype: 'AGGREGATION' };
    expect(json.impact).toEqual({
      mesh: join('mesh', 'mesh.yaml'),
      columns: [
        {
          rule: 'column-removed',
          severity: 'breaking',
          subject: 'order_lines.quantity',
          column: { database: 'orders', table: 'order_lines', column: 'quantity' },
          viewColumns: [
            { view: 'ecommerce_views.warehouse_daily_shipments', column: 'units', transformations: [aggregation] },
            { view: 'ecommerce_views.stock_cover', column: 'units_ordered', transformations: [aggregation, { type: 'INDIRECT', subtype: 'CONDITIONAL' }] },
          ],
          views: [],
          products: [],
          grants: [
            { consumer: 'analysts', grants: ['analysts#1'] },
            { consumer: 'customer-service', grants: ['customer-service#2'] },
            { consumer: 'supply-chain', grants: ['supply-chain#2'] },
            { consumer: 'shipping-pipelines', grants: ['shipping-pipelines#1'] },
          ],
        },
      ],
    });
  });

  it('lists a join key as read by every row of the view', async () => {
    const copy = join(scratch, 'order-id-raised.odcs.yaml');
    const from = "      - name: order_id\n        logicalType: string\n";
    expect(orderLines).toContain(from);
    // classification raised on a join key: a warning, and both views' readers are affected.
    const text = orderLines.replace(/( {6}- name: order_id\n(?: {8}.*\n)*? {8}classification: )internal/, '$1confidential');
    expect(text).not.toBe(orderLines);
    writeFileSync(copy, text);
    const { out } = await run('diff', '--mesh', 'mesh', 'mesh/orders/order-lines.odcs.yaml', copy);
    expect(out).toContain(['    impact: orders.order_lines.order_id is read by:', '      view ecommerce_views.warehouse_daily_shipments, every row [INDIRECT JOIN]', '      consumer analysts (grant analysts#1)'].join('\n'));
  });

  it('says in one line when the mesh does not hold the product', async () => {
    const a = join(scratch, 'other.odcs.yaml');
    const b = join(scratch, 'other-2.odcs.yaml');
    writeFileSync(a, orderLines.replace(/^id: order-lines$/m, 'id: other-lines'));
    writeFileSync(b, withoutQuantity().replace(/^id: order-lines$/m, 'id: other-lines'));
    const { out } = await run('diff', '--mesh', 'mesh', a, b);
    expect(out).toContain("\nimpact: product 'other-lines' is not a product of the mesh mesh/mesh.yaml\n");
  });

  it('says nothing extra without a mesh', async () => {
    const a = join(scratch, 'a.odcs.yaml');
    const b = join(scratch, 'b.odcs.yaml');
    writeFileSync(a, orderLines);
    writeFileSync(b, withoutQuantity());
    const { out } = await runTessera(scratch, 'diff', '--json', 'a.odcs.yaml', 'b.odcs.yaml');
    expect(Object.keys(JSON.parse(out) as object)).not.toContain('impact');
    expect((await runTessera(scratch, 'diff', 'a.odcs.yaml', 'b.odcs.yaml')).out).not.toContain('impact');
  });
});
