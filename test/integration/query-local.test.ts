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

  it('caps the rows printed at 1000 by default, or --limit, with a note on stderr', async () => {
    const lines = manifest.tables.find((t) => t.domain === 'orders' && t.table === 'order_lines')!.rows;
    expect(lines).toBeGreaterThan(1000);
    const capped = await runTessera(root, 'query', '--local', '--data', data, '--format', 'csv', 'SELECT order_id FROM orders.order_lines');
    expect(capped.code).toBe(0);
    expect(capped.out.trim().split('\n')).toHaveLength(1 + 1000);
    expect(capped.err).toContain('note: showing the first 1000 rows');
    const few = await runTessera(root, 'query', '--local', '--data', data, '--limit', '2', 'SELECT order_id FROM orders.order_lines');
    expect(few.out).toMatch(/\n2 rows in \d+ ms/);
    expect(few.err).toContain('note: showing the first 2 rows');
    const all = await runTessera(root, 'query', '--local', '--data', data, '--format', 'csv', '--limit', String(lines), 'SELECT order_id FROM orders.order_lines');
    expect(all.out.trim().split('\n')).toHaveLength(1 + lines);
    expect(all.err).toBe('');
  });

  it('refuses a --limit that is not a whole number, before running anything', async () => {
    const { code, err } = await runTessera(root, 'query', '--local', '--data', join(data, 'nowhere'), '--limit', 'ten', 'SELECT 1');
    expect(code).toBe(2);
    expect(err).toContain("option '--limit <rows>' argument 'ten' is invalid. must be a whole number from 1 to 1000000.");
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
