/**
 * `tessera import` from Parquet written by a real engine (DuckDB, Hive-partitioned by day): the
 * skeleton is valid ODCS, says what is left to decide, and `tessera test` passes on the data it
 * came from. The expected profile is computed by hand from the rows written here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DuckDbEngine } from '../../lib/engines/duckdb.js';
import { runTessera } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'tessera-import-'));
const data = join(work, 'shipments');

beforeAll(async () => {
  const engine = await DuckDbEngine.create({ threads: 1 });
  // 40 rows: id 1..40 unique; carrier one of 3 values; weight 0.5..20.0; note null every 4th row; 2 days.
  await engine.run(`COPY (
    SELECT i::BIGINT AS id,
           ['dhl', 'ups', 'gls'][1 + i % 3] AS carrier,
           (i * 0.5)::DOUBLE AS weight_kg,
           CASE WHEN i % 4 = 0 THEN NULL ELSE 'fragile' || i END AS note,
           CASE WHEN i <= 20 THEN DATE '2026-11-24' ELSE DATE '2026-11-25' END AS day
    FROM range(1, 41) t(i)
  ) TO '${data}' (FORMAT parquet, PARTITION_BY (day))`);
  engine.close();
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tessera import from Parquet', () => {
  const out = join(work, 'shipments.odcs.yaml');

  it('writes a skeleton with the schema, the partition key and rules suggested from the profile', async () => {
    const { code, out: printed, err } = await runTessera(work, 'import', 'shipments', '-o', out);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(printed).toContain('wrote shipments.odcs.yaml: 5 columns, 1 partition keys, from 40 rows');
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# TODO domain:/m);
    const contract = parse(text) as { id: string; schema: { name: string; properties: Record<string, unknown>[]; quality: unknown[] }[] };
    expect(contract.id).toBe('shipments');
    const byName: Record<string, Record<string, unknown>> = Object.fromEntries(contract.schema[0]!.properties.map((p) => [String(p.name), p]));
    expect(byName.id).toMatchObject({ logicalType: 'integer', physicalType: 'bigint', required: true, unique: true, logicalTypeOptions: { minimum: 1, maximum: 40 } });
    expect(byName.carrier).toMatchObject({ logicalType: 'string', required: true, quality: [{ metric: 'invalidValues', arguments: { validValues: ['dhl', 'gls', 'ups'] }, mustBe: 0 }] });
    expect(byName.weight_kg).toMatchObject({ logicalType: 'number', physicalType: 'double', logicalTypeOptions: { minimum: 0.5, maximum: 20 } });
    expect(byName.note).not.toHaveProperty('required');
    expect(byName.note).not.toHaveProperty('quality'); // 30 distinct values: not an enum
    expect(byName.day).toMatchObject({ logicalType: 'date', partitioned: true, partitionKeyPosition: 1 });
    expect(byName.day).not.toHaveProperty('unique');
  });

  it('validates as ODCS and lists what a person must still decide', async () => {
    const { code, out: printed } = await runTessera(work, 'validate', 'shipments.odcs.yaml');
    expect(code).toBe(0);
    expect(printed).toContain('valid ODCS v3.1.0');
    expect(printed).toMatch(/not deployable as a data product yet: 8 findings/);
    for (const finding of ['missing-domain', 'missing-owner', 'missing-support', 'missing-classification']) expect(printed).toContain(`[${finding}]`);
  });

  it('passes tessera test against the data it came from', async () => {
    const { code, out: printed, err } = await runTessera(work, 'test', out, '--data', data);
    expect(err).toBe('');
    expect(printed).toMatch(/\d+ passed, 0 failed, 0 could not be measured/);
    expect(code).toBe(0);
  });
});
