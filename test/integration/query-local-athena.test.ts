/**
 * `tessera query --local` keeps Athena's meaning: values keep their column types, only one SELECT
 * over the mesh's tables and views runs, and the Athena SQL the catalog prints runs with Trino's
 * semantics or is refused. Expected values are literals worked out by hand, or read from the
 * Parquet files by a DuckDB of the test's own.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productPageOf } from '../../lib/catalog/records.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { generateSampleData } from '../../mesh/generator/generate.js';
import { runTessera } from '../support/cli.js';
import { root } from '../unit/constructs/helpers.js';

const data = mkdtempSync(join(tmpdir(), 'tessera-query-athena-'));
const query = (format: 'json' | 'csv', sql: string) => runTessera(root, 'query', '--local', '--data', data, '--format', format, sql);

async function independently(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

beforeAll(async () => {
  await generateSampleData({ meshDir: join(root, 'mesh'), outDir: data, asOf: '2026-11-25' });
}, 120_000);
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('tessera query --local keeps column types', () => {
  it('a digit-only tracking number stays the string it is, in JSON and CSV', async () => {
    const expected = await independently(
      `SELECT tracking_number FROM read_parquet('${data}/shipping/shipments/**/*.parquet', hive_partitioning = true) WHERE regexp_full_match(tracking_number, '0[0-9]+') ORDER BY 1 LIMIT 3`,
    );
    expect(expected.length).toBe(3);
    expect(String(expected[0]!.tracking_number)).toMatch(/^0\d+$/);
    const sql = "SELECT tracking_number FROM shipping.shipments WHERE regexp_like(tracking_number, '^0[0-9]+$') ORDER BY 1 LIMIT 3";
    const json = await query('json', sql);
    expect(json.err).toBe('');
    expect(JSON.parse(json.out)).toEqual(expected);
    const csv = await query('csv', sql);
    expect(csv.out.trim().split('\n')).toEqual(['tracking_number', ...expected.map((r) => String(r.tracking_number))]);
  });
});

describe('tessera query --local runs Athena SQL with Trino semantics', () => {
  it("runs the catalog's own Try query (date_add('day', -7, current_date))", async () => {
    const { mesh } = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
    const contract = mesh!.products.find((p) => p.contract.id === 'order-lines')!.contract;
    const sql = productPageOf(contract, { domain: 'orders' }).tables[0]!.sampleQuery;
    expect(sql).toContain("date_add('day', -7, current_date)");
    const [{ n }] = (await independently(
      `SELECT least(10, count(*)) AS n FROM read_parquet('${data}/orders/order_lines/**/*.parquet', hive_partitioning = true) WHERE order_date >= current_date - 7`,
    )) as [{ n: unknown }];
    const { code, out, err } = await query('json', sql);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect((JSON.parse(out) as unknown[]).length).toBe(Number(n));
  });

  it('date_add, date_diff, date_trunc, day_of_week, approx_percentile, element_at and integer division mean what they mean on Athena', async () => {
    const [{ median }] = (await independently(
      `SELECT quantile_disc(quantity, 0.5) AS median FROM read_parquet('${data}/orders/order_lines/**/*.parquet', hive_partitioning = true)`,
    )) as [{ median: unknown }];
    const { code, out, err } = await query(
      'json',
      `SELECT date_add('day', -7, DATE '2026-11-25') AS week_before,
              date_add('month', 1, DATE '2026-01-31') AS month_after,
              date_add('hour', 2, TIMESTAMP '2026-01-31 23:00:00') AS two_hours_later,
              date_diff('day', TIMESTAMP '2026-01-01 23:00:00', TIMESTAMP '2026-01-02 01:00:00') AS whole_days,
              date_trunc('month', DATE '2026-11-29') AS month_start,
              day_of_week(DATE '2026-11-29') AS sunday,
              element_at(ARRAY['a', 'b', 'c'], 2) AS second,
              element_at(MAP(ARRAY['k'], ARRAY[42]), 'k') AS value,
              7 / 2 AS half,
              approx_percentile(quantity, 0.5) AS median
       FROM orders.order_lines`,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([
      {
        week_before: '2026-11-18',
        month_after: '2026-02-28',
        two_hours_later: '2026-02-01 01:00:00',
        // Trino counts whole days (2 hours apart), not the midnight crossed
        whole_days: 0,
        // a DATE, not a timestamp at midnight
        month_start: '2026-11-01',
        sunday: 7,
        second: 'b',
        value: 42,
        half: 3,
        median: Number(median),
      },
    ]);
  });

  it('refuses a function it cannot run with Trino meaning, naming it', async () => {
    const { code, err } = await query('json', "SELECT format_datetime(order_ts, 'yyyy') FROM orders.orders");
    expect(code).toBe(1);
    expect(err).toContain('not supported locally: format_datetime');
  });
});

describe('tessera query --local runs exactly one SELECT over the mesh', () => {
  const target = join(data, 'written.csv');
  const secret = join(data, 'secret.csv');
  beforeAll(() => writeFileSync(secret, 'password\nhunter2\n'));

  it.each([
    ['DROP VIEW orders.orders', /a DROP statement/],
    [`COPY (SELECT 1) TO '${target}'`, /a COPY statement/],
    [`SELECT 1; COPY (SELECT 1) TO '${target}'`, /2 statements/],
    [`SELECT * FROM read_csv('${secret}')`, /not supported locally: read_csv/],
    [`SELECT * FROM glob('${data}/*')`, /not supported locally: glob/],
    ["SELECT * FROM information_schema.tables", /information_schema.tables is not a product table or view/],
    ["SELECT getenv('HOME')", /not supported locally: getenv/],
  ])('refuses %s', async (sql, reason) => {
    const { code, out, err } = await query('csv', sql);
    expect(code).toBe(1);
    expect(err).toMatch(/^query refused: /);
    expect(err).toMatch(reason);
    expect(out).toBe('');
    expect(existsSync(target)).toBe(false);
  });

  it('reads mesh views and CTEs, with scalar sub-queries and INTERVAL literals', async () => {
    const { code, err } = await query('csv', 'WITH v AS (SELECT * FROM ecommerce_views.stock_cover) SELECT count(*) AS n FROM v');
    expect(err).toBe('');
    expect(code).toBe(0);
    const [{ n }] = (await independently(
      `SELECT count(*) AS n FROM read_parquet('${data}/shipping/shipments/**/*.parquet', hive_partitioning = true) WHERE ship_date > DATE '2026-11-25' - 7`,
    )) as [{ n: unknown }];
    const latest = await query('json', "WITH latest AS (SELECT DATE '2026-11-25' AS d) SELECT count(*) AS n FROM shipping.shipments WHERE ship_date > (SELECT d FROM latest) - INTERVAL '7' DAY");
    expect(latest.err).toBe('');
    expect(JSON.parse(latest.out)).toEqual([{ n: Number(n) }]);
  });
});

describe('the local engine, locked down for a query', () => {
  it('reads no file outside the data folder even when asked directly', async () => {
    const { DuckDbEngine } = await import('../../lib/engines/duckdb.js');
    const outside = mkdtempSync(join(tmpdir(), 'tessera-outside-'));
    writeFileSync(join(outside, 'x.csv'), 'a\n1\n');
    const engine = await DuckDbEngine.create();
    try {
      await engine.prepareForAthenaSql([data]);
      await expect(engine.run(`SELECT * FROM read_csv('${join(outside, 'x.csv')}')`)).rejects.toThrow(/Permission Error/);
      await expect(engine.run(`COPY (SELECT 1) TO '${join(outside, 'y.csv')}'`)).rejects.toThrow(/Permission Error/);
      await expect(engine.run('SET enable_external_access = true')).rejects.toThrow(/locked/);
      expect(existsSync(join(outside, 'y.csv'))).toBe(false);
    } finally {
      engine.close();
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
