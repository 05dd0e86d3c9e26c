/**
 * Impact analysis on the example mesh with input ports set by hand (no example product has a
 * descriptor yet): downstream products, a rename read by its old name, a removed table touching
 * every column, and the changes that touch nobody.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffContracts } from '../../lib/contract/diff.js';
import { loadContract } from '../../lib/contract/load.js';
import type { DataContract } from '../../lib/contract/model.js';
import { meshViewLineage } from '../../lib/lineage/columns.js';
import { changeImpact, type ImpactMesh } from '../../lib/lineage/impact.js';
import { loadMeshFile } from '../../lib/mesh/load.js';

const root = join(import.meta.dirname, '../..');
const text = readFileSync(join(root, 'mesh/orders/order-lines.odcs.yaml'), 'utf8');
let mesh: ImpactMesh;
let before: DataContract;

beforeAll(async () => {
  const loaded = (await loadMeshFile(join(root, 'mesh/mesh.yaml'))).mesh!;
  const port = { name: 'order-lines-in', contractId: 'order-lines', version: '1.0.0' };
  const products = loaded.products.map((p) => (p.contract.id === 'stock-levels' ? { ...p, inputPorts: [port] } : p));
  mesh = { config: loaded.config, products, views: meshViewLineage(loaded) };
  before = loaded.products.find((p) => p.contract.id === 'order-lines')!.contract;
});

function changed(from: string, to: string): DataContract {
  expect(text).toContain(from);
  return loadContract(text.replace(from, to), 'after.odcs.yaml', { profile: 'odcs' }).contract!;
}

describe('impact of a contract change', () => {
  it('names the products consuming the contract through an input port', () => {
    const after = changed('      - name: unit_price\n', '      - name: unit_price_eur\n');
    const impacts = changeImpact(mesh, before, diffContracts(before, after));
    // A rename (same type and position) is read by its old physical name; no view reads unit_price.
    expect(impacts).toEqual([
      {
        rule: 'column-renamed',
        severity: 'breaking',
        subject: 'order_lines.unit_price_eur',
        column: { database: 'orders', table: 'order_lines', column: 'unit_price' },
        viewColumns: [],
        views: [],
        products: [{ product: 'stock-levels', port: 'order-lines-in', version: '1.0.0' }],
        grants: [
          { consumer: 'analysts', grants: ['analysts#1'] },
          { consumer: 'customer-service', grants: ['customer-service#2'] },
          { consumer: 'supply-chain', grants: ['supply-chain#2'] },
          { consumer: 'shipping-pipelines', grants: ['shipping-pipelines#1'] },
        ],
      },
    ]);
  });

  it('counts every column of a table whose physical name changed', () => {
    const after = changed('  - name: order_lines\n', '  - name: order_lines\n    physicalName: order_lines_v2\n');
    const impacts = changeImpact(mesh, before, diffContracts(before, after)).filter((i) => i.rule === 'table-physical-name-changed');
    expect(impacts.map((i) => i.column.column)).toEqual(['order_id', 'line_number', 'sku', 'quantity', 'unit_price', 'discount_pct', 'line_amount', 'order_date']);
    expect(impacts.find((i) => i.column.column === 'order_id')?.views).toEqual([{ view: 'ecommerce_views.warehouse_daily_shipments', transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] }]);
  });

  it('leaves out compatible changes and a new logical name over the same physical one', () => {
    const described = changed('        description: Units ordered.\n', '        description: Units ordered, as placed.\n');
    expect(changeImpact(mesh, before, diffContracts(before, described))).toEqual([]);
    const renamed = changed('      - name: quantity\n', '      - name: units\n        physicalName: quantity\n');
    const diff = diffContracts(before, renamed);
    expect(diff.changes.map((c) => c.rule)).toContain('column-logical-name-changed');
    expect(changeImpact(mesh, before, diff)).toEqual([]);
  });
});
