/** `tessera query --local`: product tables under their Athena names, on the generated sample data. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleData, type SampleDataManifest } from '../../mesh/generator/generate.js';
import { runTessera } from '../support/cli.js';
import { root } from '../unit/constructs/helpers.js';

const data = mkdtempSync(join(tmpdir(), 'tessera-query-'));
let manifest: SampleDataManifest;
beforeAll(async () => {
  manifest = await generateSampleData({ meshDir: join(root, 'mesh'), outDir: data, asOf: '2026-11-25' });
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('tessera query --local', () => {
  it('reads every product table as <domain>.<table>', async () => {
    for (const table of manifest.tables) {
      const { code, out } = await runTessera(root, 'query', '--local', '--data', data, '--format', 'json', `SELECT count(*) AS n FROM ${table.domain}.${table.table}`);
      expect(code).toBe(0);
      expect(JSON.parse(out)).toEqual([{ n: table.rows }]);
    }
  });

  it('joins products across domains and prints CSV', async () => {
    const { code, out } = await runTessera(
      root,
      'query',
      '--local',
      '--data',
      data,
      '--format',
      'csv',
      'SELECT s.carrier, count(*) AS parcels FROM shipping.shipments s JOIN orders.orders o ON o.order_id = s.order_id GROUP BY 1 ORDER BY 1',
    );
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('carrier,parcels');
    const total = lines.slice(1).reduce((n, l) => n + Number(l.split(',')[1]), 0);
    expect(total).toBe(manifest.tables.find((t) => t.table === 'shipments')!.rows);
  });

  it('reports a bad query and missing data clearly', async () => {
    const bad = await runTessera(root, 'query', '--local', '--data', data, 'SELECT nope FROM orders.orders');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/query failed: .*nope/i);
    const missing = await runTessera(root, 'query', '--local', '--data', join(data, 'nowhere'), 'SELECT 1');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('does not exist');
  });
});
