/**
 * `tessera lineage ... --local`: the lineage the catalog holds (`GET /products/{id}/lineage`), from
 * the structural OpenLineage events a deploy writes (here the local catalog writes them as the
 * governance stack would). Expected outputs are written out by hand from mesh/mesh.yaml: shipments
 * consumes orders through its ODPS input port; warehouse_daily_shipments reads shipments and
 * order_lines; stock_cover reads stock_levels and order_lines (`sum(l.quantity)` in a CTE, then
 * `coalesce(sold.units_ordered, 0)`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runTessera } from '../support/cli.js';
import { root } from '../unit/constructs/helpers.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

// An empty folder: no sample data to measure, so the local catalog starts quickly.
const cwd = mkdtempSync(join(tmpdir(), 'tessera-lineage-catalog-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const lineage = (...argv: string[]) => runTessera(cwd, 'lineage', ...argv, '--mesh', join(root, 'mesh'));

describe('tessera lineage against the catalog', () => {
  it("shows a product's upstream product and downstream view, with the jobs linking them", async () => {
    const { code, out, err } = await lineage('shipments', '--local');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'shipments: lineage in the catalog (both, depth 5)',
        'upstream:',
        '  1  product:orders  (job shipments.consume)',
        'downstream:',
        '  1  view:ecommerce_views.warehouse_daily_shipments  (job ecommerce_views.warehouse_daily_shipments)',
        '',
      ].join('\n'),
    );
  }, 240_000);

  it("lists a column's downstream view columns, and JSON on request", async () => {
    const { out } = await lineage('order-lines.order_lines.quantity', '--local', '--down', '--json');
    const body = JSON.parse(out) as { direction: string; column: { downstream: { dataset: string; column?: string; transformations: unknown[] }[] } };
    expect(body.direction).toBe('down');
    expect(body.column.downstream.map((d) => [d.dataset, d.column, d.transformations])).toEqual([
      ['AwsDataCatalog.ecommerce_views.stock_cover', 'units_ordered', [{ type: 'DIRECT', subtype: 'AGGREGATION' }, { type: 'INDIRECT', subtype: 'CONDITIONAL' }]],
      ['AwsDataCatalog.ecommerce_views.warehouse_daily_shipments', 'units', [{ type: 'DIRECT', subtype: 'AGGREGATION' }]],
    ]);
  }, 240_000);

  it('says the catalog does not hold an unknown product (exit 1)', async () => {
    const { code, err } = await lineage('shipmentz', '--local');
    expect(code).toBe(1);
    expect(err).toMatch(/^error: the catalog answered 404 ProductNotFound: /);
  }, 240_000);

  it.each([
    [['order-lines.order_lines', '--local'], /a target is <product> or <product>\.<table>\.<column>/],
    [['orders', '--local', '--depth', '11'], /--depth: the catalog follows at most 10 hops/],
    [['orders', '--local', '--dot'], /--dot is for the offline lineage/],
  ])('exits 2 on %j', async (argv, message) => {
    const { code, err } = await lineage(...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});
