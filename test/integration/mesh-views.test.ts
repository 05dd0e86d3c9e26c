/**
 * Every view of the example mesh, run on DuckDB over the generated sample data, against the same
 * numbers computed in TypeScript from the raw rows (no SQL aggregation); and the problems that only
 * binding the SQL over the contracts' types can find.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbEngine } from '../../lib/engines/duckdb.js';
import { openLocalMesh } from '../../lib/engines/mesh-data.js';
import type { Cell } from '../../lib/engines/query-engine.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { generateSampleData } from '../../mesh/generator/generate.js';
import { root } from '../unit/constructs/helpers.js';

const data = mkdtempSync(join(tmpdir(), 'tessera-views-'));
let mesh: Mesh;
let engine: DuckDbEngine;
beforeAll(async () => {
  const loaded = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
  mesh = loaded.mesh!;
  await generateSampleData({ meshDir: join(root, 'mesh'), outDir: data, asOf: '2026-11-25' });
  engine = (await openLocalMesh(mesh, data)).engine;
});
afterAll(() => {
  engine?.close();
  rmSync(data, { recursive: true, force: true });
});

/** Raw rows of a product table, as objects (reading only: no SQL computation). */
async function rows(table: string, columns: string[]): Promise<Record<string, Cell>[]> {
  const result = await engine.run(`SELECT ${columns.join(', ')} FROM ${table}`);
  return result.rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
}

async function view(name: string): Promise<Record<string, Cell>[]> {
  const result = await engine.run(`SELECT * FROM ecommerce_views.${name}`);
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i] ?? null])));
}

const key = (...parts: Cell[]): string => parts.map(String).join('|');

describe('mesh views on the sample data', () => {
  it('warehouse_daily_shipments: parcels and units per day, warehouse and carrier', async () => {
    const shipments = await rows('shipping.shipments', ['shipment_id', 'order_id', 'ship_date', 'warehouse_id', 'carrier']);
    const lines = await rows('orders.order_lines', ['order_id', 'quantity']);
    const linesByOrder = new Map<Cell, Record<string, Cell>[]>();
    for (const l of lines) linesByOrder.set(l.order_id!, [...(linesByOrder.get(l.order_id!) ?? []), l]);
    const expected = new Map<string, { parcels: Set<Cell>; units: number }>();
    for (const s of shipments) {
      for (const l of linesByOrder.get(s.order_id!) ?? []) {
        const k = key(s.ship_date!, s.warehouse_id!, s.carrier!);
        const group = expected.get(k) ?? { parcels: new Set<Cell>(), units: 0 };
        group.parcels.add(s.shipment_id!);
        group.units += Number(l.quantity);
        expected.set(k, group);
      }
    }
    const actual = await view('warehouse_daily_shipments');
    expect(actual.length).toBe(expected.size);
    expect(actual.length).toBeGreaterThan(50);
    for (const row of actual) {
      const group = expected.get(key(row.ship_date!, row.warehouse_id!, row.carrier!));
      expect(group, JSON.stringify(row)).toBeDefined();
      expect(row.parcels).toBe(group!.parcels.size);
      expect(row.units).toBe(group!.units);
    }
  });

  it('stock_cover: availability, value at cost and units ordered per SKU, warehouse and day', async () => {
    const stock = await rows('inventory.stock_levels', ['snapshot_date', 'warehouse_id', 'sku', 'on_hand', 'reserved', 'unit_cost']);
    const lines = await rows('orders.order_lines', ['sku', 'order_date', 'quantity']);
    const ordered = new Map<string, number>();
    for (const l of lines) ordered.set(key(l.sku!, l.order_date!), (ordered.get(key(l.sku!, l.order_date!)) ?? 0) + Number(l.quantity));
    const actual = await view('stock_cover');
    expect(actual.length).toBe(stock.length);
    const byKey = new Map(actual.map((r) => [key(r.snapshot_date!, r.warehouse_id!, r.sku!), r]));
    let withOrders = 0;
    for (const s of stock) {
      const row = byKey.get(key(s.snapshot_date!, s.warehouse_id!, s.sku!))!;
      expect(row.available).toBe(Number(s.on_hand) - Number(s.reserved));
      // Money in cents, so the comparison is exact.
      expect(Math.round(Number(row.stock_value) * 100)).toBe(Number(s.on_hand) * Math.round(Number(s.unit_cost) * 100));
      const units = ordered.get(key(s.sku!, s.snapshot_date!)) ?? 0;
      expect(row.units_ordered).toBe(units);
      if (units > 0) withOrders++;
    }
    // The join matches something: an all-zero column would pass the loop above.
    expect(withOrders).toBeGreaterThan(10);
  });
});

describe('binding a view over the contracts’ types', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-views-mesh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function loadWithView(sql: string): Promise<{ code: string; message: string; path: string }[]> {
    cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
    const config = readFileSync(join(dir, 'mesh.yaml'), 'utf8').replace(/\nviews:[\s\S]*$/, '\n');
    const indented = sql.split('\n').map((l) => `      ${l}`).join('\n');
    writeFileSync(join(dir, 'mesh.yaml'), `${config}views:\n  - name: probe\n    audience: [supply-chain]\n    sql: |\n${indented}\n`);
    const result = await loadMeshFile(join(dir, 'mesh.yaml'));
    return result.diagnostics.map((d) => ({ code: d.code, message: d.message, path: d.path }));
  }

  it.each([
    ['a type error', 'SELECT sku, on_hand + warehouse_id AS x FROM inventory.stock_levels', 'view-does-not-bind'],
    ['an ambiguous column', 'SELECT sku FROM inventory.stock_levels st JOIN orders.order_lines l ON l.sku = st.sku', 'view-does-not-bind'],
    ['an unnamed computed column', 'SELECT sku, on_hand - reserved FROM inventory.stock_levels', 'view-column-name'],
    ['two columns of one name', 'SELECT st.sku, l.sku FROM inventory.stock_levels st JOIN orders.order_lines l ON l.sku = st.sku', 'view-duplicate-column'],
    // DuckDB binds integer * decimal(10,2) as decimal(18,2); Athena (Trino) gives decimal(20,2).
    ['a computed decimal with no CAST', 'SELECT sku, on_hand * unit_cost AS stock_value FROM inventory.stock_levels', 'view-decimal-needs-cast'],
    ['a decimal sum with no CAST', 'SELECT sku, sum(unit_cost) AS cost FROM inventory.stock_levels GROUP BY sku', 'view-decimal-needs-cast'],
  ])('finds %s, at the view’s sql', async (_label, sql, code) => {
    const found = await loadWithView(sql);
    expect(found.map((f) => f.code)).toEqual([code]);
    expect(found[0]!.path).toBe('views[0].sql');
    expect(found[0]!.message).toMatch(/^view 'probe'/);
  });

  it('loads a view that binds', async () => {
    expect(await loadWithView('SELECT sku, sum(on_hand) AS units FROM inventory.stock_levels GROUP BY sku')).toEqual([]);
  });

  it('names the view and the column whose decimal type Athena would derive otherwise', async () => {
    const [found] = await loadWithView('SELECT sku, on_hand * unit_cost AS stock_value FROM inventory.stock_levels');
    expect(found!.message).toMatch(/^view 'probe': column 'stock_value' is a decimal computed by an expression/);
  });

  it('loads decimals that are CAST or read as the contract types them', async () => {
    expect(await loadWithView('SELECT sku, unit_cost, st.unit_cost AS cost, CAST(on_hand * unit_cost AS decimal(20,2)) AS stock_value FROM inventory.stock_levels AS st')).toEqual([]);
  });
});
