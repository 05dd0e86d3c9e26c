/** Mesh views: checked against the contracts and the grant graph, and encoded as Athena views. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeAccess } from '../../lib/access/index.js';
import type { MeshConfig, MeshView } from '../../lib/mesh/config.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { parsesAsTrino } from '../../lib/quality/sql-guard.js';
import { decodePrestoView, viewTableInput } from '../../lib/views/athena-view.js';
import { checkViews, viewsDatabaseName } from '../../lib/views/check.js';
import { fromDuckDbType } from '../../lib/views/describe.js';
import { root } from './constructs/helpers.js';

let mesh: Mesh;
beforeAll(async () => {
  const result = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
  if (!result.mesh) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  mesh = result.mesh;
});

function check(views: MeshView[]): { codes: string[]; messages: string[]; paths: string[]; passed: string[] } {
  const config: MeshConfig = { ...mesh.config, views };
  const found: { code: string; message: string; path: string }[] = [];
  const checked = checkViews(config, mesh.products, analyzeAccess({ config, products: mesh.products }).matrix, (path, code, message) => found.push({ code, message, path: path.join('.') }));
  return { codes: found.map((f) => f.code), messages: found.map((f) => f.message), paths: found.map((f) => f.path), passed: checked.map((c) => c.view.name) };
}

const view = (sql: string, audience = ['analysts'], name = 'v'): MeshView => ({ name, audience, sql });

describe('the example mesh views', () => {
  it('load, each with its sources and typed columns', () => {
    expect(mesh.views.map((v) => v.view.name)).toEqual(['warehouse_daily_shipments', 'stock_cover']);
    const shipments = mesh.views[0]!;
    expect(shipments.sources.map((s) => `${s.database}.${s.table.physicalName}`)).toEqual(['shipping.shipments', 'orders.order_lines']);
    expect(shipments.sources[1]!.columns).toEqual(['order_id', 'quantity']);
    expect(shipments.columns).toEqual([
      { name: 'ship_date', trinoType: 'date', hiveType: 'date' },
      { name: 'warehouse_id', trinoType: 'varchar', hiveType: 'string' },
      { name: 'carrier', trinoType: 'varchar', hiveType: 'string' },
      { name: 'parcels', trinoType: 'bigint', hiveType: 'bigint' },
      { name: 'units', trinoType: 'bigint', hiveType: 'bigint' },
    ]);
    expect(mesh.views[1]!.columns.find((c) => c.name === 'stock_value')).toEqual({ name: 'stock_value', trinoType: 'decimal(20,2)', hiveType: 'decimal(20,2)' });
  });

  it('every view parses as Trino SQL', () => {
    for (const v of mesh.views) expect(parsesAsTrino(v.view.sql), v.view.name).toEqual({ ok: true });
  });

  it('live in <mesh>_views', () => {
    expect(viewsDatabaseName('ecommerce')).toBe('ecommerce_views');
    expect(viewsDatabaseName('big-shop')).toBe('big_shop_views');
  });
});

describe('checkViews refuses', () => {
  const cases: [string, MeshView, string, RegExp][] = [
    ['a syntax error', view('SELEC carrier FROM shipping.shipments'), 'view-sql-syntax', /not valid Trino/],
    ['two statements', view('SELECT carrier FROM shipping.shipments; SELECT 1'), 'view-not-select', /exactly one SELECT/],
    ['DML', view("DELETE FROM shipping.shipments WHERE carrier = 'x'"), 'view-not-select', /DELETE/],
    ['an unknown table', view('SELECT carrier FROM shipping.parcels'), 'view-unknown-table', /shipping\.parcels, which is not a table/],
    ['a table of an unknown database', view('SELECT sku FROM warehouse.stock_levels'), 'view-unknown-table', /warehouse\.stock_levels/],
    ['a table without its database', view('SELECT carrier FROM shipments'), 'view-unknown-table', /without its database/],
    ['an unknown qualified column', view('SELECT s.courier FROM shipping.shipments AS s'), 'view-unknown-column', /shipping\.shipments\.courier, which the contract of 'shipments' does not have/],
    ['an unknown unqualified column', view('SELECT courier FROM shipping.shipments'), 'view-unknown-column', /column 'courier', which none of its tables/],
    ['SELECT *', view('SELECT * FROM shipping.shipments'), 'view-select-star', /selects \*/],
    ['t.*', view('SELECT s.* FROM shipping.shipments s'), 'view-select-star', /selects \*/],
    ['an unknown consumer', view('SELECT carrier FROM shipping.shipments', ['auditors']), 'unknown-consumer', /'auditors' is not a consumer/],
    ['a column the audience cannot read', view('SELECT sku, unit_cost FROM inventory.stock_levels', ['analysts']), 'view-audience-denied', /inventory\.stock_levels\.unit_cost \(confidential\), which consumer 'analysts' cannot read/],
    ['restricted data behind a join', view('SELECT o.order_id, c.email FROM orders.orders o JOIN customer.customer_profiles c ON c.customer_id = o.customer_id', ['supply-chain']), 'view-audience-denied', /customer_profiles\.(customer_id|email).*'supply-chain' cannot read/],
  ];
  it.each(cases)('%s', (_label, v, code, message) => {
    const result = check([v]);
    expect(result.codes).toContain(code);
    expect(result.messages.some((m) => message.test(m)), result.messages.join('\n')).toBe(true);
    expect(result.passed).toEqual([]);
  });

  it('two tables of the same name in different domains, whose columns could not be told apart', () => {
    const shipments = mesh.products.find((p) => p.contract.id === 'shipments')!;
    const products = [...mesh.products, { ...shipments, domain: 'inventory', contract: { ...shipments.contract, id: 'shipments-copy' } }];
    const config: MeshConfig = { ...mesh.config, views: [view('SELECT a.carrier FROM shipping.shipments a JOIN inventory.shipments b ON b.order_id = a.order_id')] };
    const found: string[] = [];
    const checked = checkViews(config, products, analyzeAccess({ config, products }).matrix, (_path, code, message) => found.push(`${code}: ${message}`));
    expect(checked).toEqual([]);
    expect(found).toEqual([expect.stringMatching(/^view-ambiguous-table: view 'v' reads two tables named 'shipments' \(shipping\.shipments and inventory\.shipments\)/)]);
  });

  it('a duplicate view name, at the second view', () => {
    const result = check([view('SELECT carrier FROM shipping.shipments'), view('SELECT status FROM shipping.shipments')]);
    expect(result.codes).toEqual(['duplicate-view']);
    expect(result.paths).toEqual(['views.1.name']);
  });

  it('points audience problems at the consumer', () => {
    const result = check([view('SELECT sku, unit_cost FROM inventory.stock_levels', ['supply-chain', 'analysts'])]);
    expect(result.paths).toEqual(['views.0.audience.1']);
  });
});

describe('checkViews accepts', () => {
  it('CTEs, derived tables, aliases and unqualified columns', () => {
    const result = check([
      view(
        `WITH sold AS (SELECT sku, sum(quantity) AS units FROM orders.order_lines GROUP BY sku)
         SELECT st.sku, on_hand, sold.units, d.parcels
         FROM inventory.stock_levels st
         JOIN sold ON sold.sku = st.sku
         LEFT JOIN (SELECT warehouse_id, count(*) AS parcels FROM shipping.shipments GROUP BY warehouse_id) AS d ON d.warehouse_id = st.warehouse_id`,
        ['supply-chain'],
      ),
    ]);
    expect(result.messages).toEqual([]);
    expect(result.passed).toEqual(['v']);
  });
});

describe('DuckDB types in Athena', () => {
  it.each([
    ['INTEGER', 'integer', 'int'],
    ['HUGEINT', 'bigint', 'bigint'],
    ['VARCHAR', 'varchar', 'string'],
    ['DECIMAL(18,2)', 'decimal(18,2)', 'decimal(18,2)'],
    ['VARCHAR[]', 'array(varchar)', 'array<string>'],
    ['TIMESTAMP', 'timestamp', 'timestamp'],
  ])('%s is %s (%s in Glue)', (duck, trino, hive) => {
    expect(fromDuckDbType(duck)).toEqual({ ok: true, trino, hive });
  });

  it.each(['UBIGINT', 'TIMESTAMP WITH TIME ZONE', 'INTERVAL', 'STRUCT(a INTEGER)'])('%s is refused', (duck) => {
    expect(fromDuckDbType(duck).ok).toBe(false);
  });
});

describe('the Glue table of a view', () => {
  it('holds the Presto view definition Athena reads back', () => {
    const v = mesh.views[0]!;
    const input = viewTableInput(v, 'ecommerce_views', 'ecommerce');
    expect(input.tableType).toBe('VIRTUAL_VIEW');
    expect(input.parameters.presto_view).toBe('true');
    expect(input.viewExpandedText).toBe('/* Presto View */');
    expect(input.storageDescriptor.columns.map((c) => c.type)).toEqual(['date', 'string', 'string', 'bigint', 'bigint']);
    const definition = decodePrestoView(input.viewOriginalText);
    expect(definition).toEqual({ originalSql: v.view.sql.trim(), catalog: 'awsdatacatalog', schema: 'ecommerce_views', columns: v.columns.map((c) => ({ name: c.name, type: c.trinoType })) });
    expect(() => decodePrestoView('SELECT 1')).toThrow(/not a Presto view/);
  });
});
