/**
 * The example mesh's sample data, read back with DuckDB the way Athena would see it: files and
 * Hive folders per contract table, the contract's columns and types, joins that hold across
 * products, the documented defects (counted here by SQL of our own), and byte-for-byte determinism.
 *
 * Contracts are read with `yaml` directly and checked with a small evaluator in this file, so
 * neither the generator nor the contract core grades its own homework.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateSampleData, type SampleDataManifest } from '../../mesh/generator/generate.js';

const MESH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../mesh');
const AS_OF = '2026-11-25';
const LAST_DAY = '2026-11-24';

// ---------------------------------------------------------------------------------------------
// The contracts, as plain YAML.

type Threshold = {
  mustBe?: number;
  mustNotBe?: number;
  mustBeGreaterThan?: number;
  mustBeGreaterOrEqualTo?: number;
  mustBeLessThan?: number;
  mustBeLessOrEqualTo?: number;
  mustBeBetween?: [number, number];
  mustNotBeBetween?: [number, number];
};

interface QualityDoc extends Threshold {
  type?: string;
  name?: string;
  metric?: string;
  query?: string;
  unit?: string;
  arguments?: { validValues?: unknown[]; missingValues?: unknown[]; pattern?: string; properties?: string[] };
}

interface PropertyDoc {
  name: string;
  logicalType: string;
  physicalType: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  primaryKeyPosition?: number;
  partitioned?: boolean;
  partitionKeyPosition?: number;
  logicalTypeOptions?: Record<string, number | string | boolean>;
  quality?: QualityDoc[];
}

interface TableDoc {
  name: string;
  properties: PropertyDoc[];
  quality?: QualityDoc[];
}

interface ContractDoc {
  id: string;
  domain: string;
  schema: TableDoc[];
  slaProperties: { property: string; value: number; unit?: string; element?: string }[];
}

interface MeshDoc {
  domains: { name: string; products: string[] }[];
}

async function readContracts(): Promise<ContractDoc[]> {
  const mesh = parse(await readFile(path.join(MESH_DIR, 'mesh.yaml'), 'utf8')) as MeshDoc;
  const files = (await Promise.all(mesh.domains.flatMap((d) => d.products).map(contractFilesOf))).flat();
  return Promise.all(files.map(async (f) => parse(await readFile(path.join(MESH_DIR, f), 'utf8')) as ContractDoc));
}

/** A contract file is itself; an ODPS descriptor stands for the contracts beside it that its output ports name by id. */
async function contractFilesOf(product: string): Promise<string[]> {
  if (!product.endsWith('.odps.yaml')) return [product];
  const descriptor = parse(await readFile(path.join(MESH_DIR, product), 'utf8')) as { outputPorts: { contractId: string }[] };
  const folder = path.dirname(product);
  const beside = (await readdir(path.join(MESH_DIR, folder))).filter((f) => f.endsWith('.odcs.yaml')).map((f) => path.join(folder, f));
  const ids = new Set(descriptor.outputPorts.map((p) => p.contractId));
  const named = await Promise.all(beside.map(async (f) => (ids.has((parse(await readFile(path.join(MESH_DIR, f), 'utf8')) as { id: string }).id) ? f : undefined)));
  return named.filter((f): f is string => f !== undefined);
}

/** What DuckDB must report for a contract's Glue type (written out here, not taken from lib/). */
function expectedDuckDbType(physicalType: string): string {
  const simple: Record<string, string> = {
    string: 'VARCHAR',
    int: 'INTEGER',
    bigint: 'BIGINT',
    double: 'DOUBLE',
    boolean: 'BOOLEAN',
    date: 'DATE',
    timestamp: 'TIMESTAMP',
    'array<string>': 'VARCHAR[]',
  };
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(physicalType);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  const type = simple[physicalType];
  if (!type) throw new Error(`the test does not know the Glue type ${physicalType}`);
  return type;
}

// ---------------------------------------------------------------------------------------------
// DuckDB helpers.

function sqlLiteral(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function scalar(db: DuckDBConnection, sql: string): Promise<number> {
  const reader = await db.runAndReadAll(`SELECT CAST((${sql}) AS DOUBLE)`);
  const value = reader.getRows()[0]?.[0];
  if (typeof value !== 'number') throw new Error(`expected a number from ${sql}, got ${String(value)}`);
  return value;
}

async function strings(db: DuckDBConnection, sql: string): Promise<string[]> {
  const reader = await db.runAndReadAll(sql);
  return reader.getRows().map((row) => String(row[0]));
}

/** One view per contract table, named like the table, over its Hive-partitioned Parquet. */
async function openSampleData(dir: string, contracts: readonly ContractDoc[]): Promise<DuckDBConnection> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  for (const contract of contracts) {
    for (const table of contract.schema) {
      const glob = path.join(dir, contract.domain, table.name, '**', '*.parquet');
      await db.run(`CREATE VIEW ${ident(table.name)} AS SELECT * FROM read_parquet(${sqlLiteral(glob)}, hive_partitioning = true)`);
    }
  }
  return db;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

async function sha256s(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await listFiles(dir)) {
    out[file] = createHash('sha256').update(await readFile(path.join(dir, file))).digest('hex');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A small, independent evaluator of the contracts' quality rules, schema constraints and latency SLAs.

function passes(value: number, t: Threshold): boolean {
  if (t.mustBe !== undefined) return value === t.mustBe;
  if (t.mustNotBe !== undefined) return value !== t.mustNotBe;
  if (t.mustBeGreaterThan !== undefined) return value > t.mustBeGreaterThan;
  if (t.mustBeGreaterOrEqualTo !== undefined) return value >= t.mustBeGreaterOrEqualTo;
  if (t.mustBeLessThan !== undefined) return value < t.mustBeLessThan;
  if (t.mustBeLessOrEqualTo !== undefined) return value <= t.mustBeLessOrEqualTo;
  if (t.mustBeBetween !== undefined) return value >= t.mustBeBetween[0] && value <= t.mustBeBetween[1];
  if (t.mustNotBeBetween !== undefined) return value < t.mustNotBeBetween[0] || value > t.mustNotBeBetween[1];
  throw new Error('rule without an operator');
}

/** SQL for the number a library metric measures; `column` undefined for table-level rules. */
function metricSql(table: string, column: string | undefined, rule: QualityDoc): string {
  const t = ident(table);
  const c = column === undefined ? undefined : ident(column);
  const percent = rule.unit === 'percent';
  const share = (condition: string): string =>
    percent ? `SELECT 100.0 * count(*) FILTER (WHERE ${condition}) / count(*) FROM ${t}` : `SELECT count(*) FILTER (WHERE ${condition}) FROM ${t}`;
  switch (rule.metric) {
    case 'rowCount':
      return `SELECT count(*) FROM ${t}`;
    case 'nullValues':
      return share(`${c} IS NULL`);
    case 'missingValues': {
      const listed = rule.arguments?.missingValues ?? [null];
      const nonNull = listed.filter((v) => v !== null);
      const conditions = [
        ...(listed.includes(null) ? [`${c} IS NULL`] : []),
        ...(nonNull.length > 0 ? [`${c} IN (${nonNull.map(sqlLiteral).join(', ')})`] : []),
      ];
      return share(conditions.join(' OR '));
    }
    case 'invalidValues': {
      const args = rule.arguments ?? {};
      if (args.validValues) return share(`${c} IS NOT NULL AND ${c} NOT IN (${args.validValues.map(sqlLiteral).join(', ')})`);
      if (args.pattern) return share(`${c} IS NOT NULL AND NOT regexp_full_match(${c}, ${sqlLiteral(args.pattern)})`);
      throw new Error(`invalidValues on ${table}.${column ?? ''} without validValues or pattern`);
    }
    case 'duplicateValues': {
      const columns = c !== undefined ? [c] : (rule.arguments?.properties ?? []).map(ident);
      return `SELECT count(*) - count(DISTINCT (${columns.join(', ')})) FROM ${t} WHERE ${columns.map((x) => `${x} IS NOT NULL`).join(' AND ')}`;
    }
    default:
      throw new Error(`unknown metric ${rule.metric ?? '(none)'}`);
  }
}

/** Names of every failing rule, constraint and latency SLA, as `<product>: <what>`. */
async function failingChecks(db: DuckDBConnection, contracts: readonly ContractDoc[], asOf: string): Promise<string[]> {
  const failing: string[] = [];
  const check = async (label: string, sql: string, threshold: Threshold): Promise<void> => {
    if (!passes(await scalar(db, sql), threshold)) failing.push(label);
  };
  for (const contract of contracts) {
    for (const table of contract.schema) {
      const t = ident(table.name);
      const rules: { rule: QualityDoc; column?: string }[] = [
        ...(table.quality ?? []).map((rule) => ({ rule })),
        ...table.properties.flatMap((p) => (p.quality ?? []).map((rule) => ({ rule, column: p.name }))),
      ];
      for (const { rule, column } of rules) {
        const sql = rule.type === 'sql' ? (rule.query ?? '') : metricSql(table.name, column, rule);
        await check(`${contract.id}: ${rule.name ?? '(unnamed)'}`, sql, rule);
      }
      // Constraints the schema itself states.
      const key = table.properties.filter((p) => p.primaryKey).map((p) => ident(p.name));
      await check(`${contract.id}: ${table.name} primary key`, `SELECT count(*) - count(DISTINCT (${key.join(', ')})) FROM ${t}`, { mustBe: 0 });
      for (const p of table.properties) {
        const c = ident(p.name);
        const where = `${contract.id}: ${table.name}.${p.name}`;
        if (p.required) await check(`${where} required`, `SELECT count(*) FILTER (WHERE ${c} IS NULL) FROM ${t}`, { mustBe: 0 });
        if (p.unique) await check(`${where} unique`, `SELECT count(${c}) - count(DISTINCT ${c}) FROM ${t}`, { mustBe: 0 });
        const o = p.logicalTypeOptions ?? {};
        const bounds: [string, string][] = [
          ['minimum', '<'],
          ['maximum', '>'],
          ['exclusiveMinimum', '<='],
          ['exclusiveMaximum', '>='],
        ];
        for (const [option, violates] of bounds) {
          if (typeof o[option] === 'number') {
            await check(`${where} ${option}`, `SELECT count(*) FILTER (WHERE ${c} ${violates} ${o[option]}) FROM ${t}`, { mustBe: 0 });
          }
        }
        if (typeof o.pattern === 'string') {
          await check(`${where} pattern`, `SELECT count(*) FILTER (WHERE NOT regexp_full_match(${c}, ${sqlLiteral(o.pattern)})) FROM ${t}`, { mustBe: 0 });
        }
        if (typeof o.maxLength === 'number') {
          await check(`${where} maxLength`, `SELECT count(*) FILTER (WHERE length(${c}) > ${o.maxLength}) FROM ${t}`, { mustBe: 0 });
        }
      }
    }
    // Latency, measured at the start of the as-of day: now minus the newest value of the element.
    for (const sla of contract.slaProperties.filter((s) => s.property === 'latency')) {
      const [table, column] = (sla.element ?? '').split('.');
      const hours = { h: 1, d: 24 }[sla.unit ?? ''];
      if (!table || !column || hours === undefined) throw new Error(`cannot evaluate latency SLA ${JSON.stringify(sla)}`);
      await check(
        `${contract.id}: latency`,
        `SELECT date_diff('second', max(CAST(${ident(column)} AS TIMESTAMP)), TIMESTAMP ${sqlLiteral(asOf)}) / 3600.0 FROM ${ident(table)}`,
        { mustBeLessOrEqualTo: sla.value * hours },
      );
    }
  }
  return failing.sort();
}

// ---------------------------------------------------------------------------------------------

describe('example mesh sample data', () => {
  let workDir: string;
  let outDir: string;
  let manifest: SampleDataManifest;
  let contracts: ContractDoc[];
  let db: DuckDBConnection;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'tessera-sample-data-'));
    outDir = path.join(workDir, 'a');
    contracts = await readContracts();
    manifest = await generateSampleData({ meshDir: MESH_DIR, outDir, asOf: AS_OF });
    db = await openSampleData(outDir, contracts);
  });

  afterAll(async () => {
    db?.closeSync();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const tablesOf = (): { contract: ContractDoc; table: TableDoc }[] =>
    contracts.flatMap((contract) => contract.schema.map((table) => ({ contract, table })));

  it('writes Hive-partitioned Parquet for every contract table, as the manifest lists', async () => {
    expect(tablesOf()).toHaveLength(5);
    const written = await listFiles(outDir);
    for (const { contract, table } of tablesOf()) {
      const prefix = `${contract.domain}/${table.name}/`;
      const files = written.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
      const partitions = table.properties.filter((p) => p.partitioned).map((p) => p.name);
      expect(files.length, `${prefix} has files`).toBeGreaterThan(0);
      if (partitions.length === 0) {
        expect(files).toEqual(['data_0.parquet']);
      } else {
        expect(partitions).toHaveLength(1);
        for (const file of files) expect(file).toMatch(new RegExp(`^${partitions[0]}=\\d{4}-\\d{2}-\\d{2}/data_0\\.parquet$`));
      }
      const listed = manifest.tables.find((t) => t.product === contract.id && t.table === table.name);
      expect(listed?.files).toEqual(files.map((f) => prefix + f));
      expect(listed?.rows).toBe(await scalar(db, `SELECT count(*) FROM ${ident(table.name)}`));
    }
    expect(written.filter((f) => !f.endsWith('.parquet'))).toEqual(['manifest.json']);
    const onDisk = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')) as unknown;
    expect(onDisk).toEqual(manifest);
    expect(manifest.options).toEqual({ asOf: AS_OF, seed: 42, scale: 1, days: 30 });
  });

  it('has exactly the contract columns, in order, with the contract types', async () => {
    for (const { contract, table } of tablesOf()) {
      const expected = table.properties.map((p) => [p.name, expectedDuckDbType(p.physicalType)]);
      // Through Hive partitioning, as Athena sees the table: partition columns come last.
      const reader = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${ident(table.name)}`);
      expect(reader.getRows().map((r) => [r[0], r[1]]), `${contract.id} ${table.name}`).toEqual(expected);
      // Inside the files: every column but the partition keys.
      const glob = path.join(outDir, contract.domain, table.name, '**', '*.parquet');
      const files = await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlLiteral(glob)}, hive_partitioning = false)`);
      expect(files.getRows().map((r) => [r[0], r[1]])).toEqual(
        table.properties.filter((p) => !p.partitioned).map((p) => [p.name, expectedDuckDbType(p.physicalType)]),
      );
    }
  });

  it('covers the 30 days before as-of in every daily table (stock_levels aside, see defects)', async () => {
    for (const [table, column] of [
      ['orders', 'order_date'],
      ['order_lines', 'order_date'],
      ['shipments', 'ship_date'],
    ] as const) {
      expect(await strings(db, `SELECT DISTINCT CAST(${column} AS VARCHAR) FROM ${table} ORDER BY 1`)).toHaveLength(30);
      expect(await strings(db, `SELECT CAST(min(${column}) AS VARCHAR) || ' ' || CAST(max(${column}) AS VARCHAR) FROM ${table}`)).toEqual([
        `2026-10-26 ${LAST_DAY}`,
      ]);
    }
    expect(await scalar(db, `SELECT count(*) FROM orders WHERE CAST(order_ts AS DATE) <> order_date`)).toBe(0);
    expect(await scalar(db, `SELECT count(*) FROM shipments WHERE CAST(shipped_ts AS DATE) <> ship_date`)).toBe(0);
    expect(await scalar(db, `SELECT count(*) FROM customer_profiles WHERE updated_at >= TIMESTAMP '${AS_OF}'`)).toBe(0);
  });

  it('keeps referential integrity across products', async () => {
    const orphans: Record<string, string> = {
      'orders without a customer': `SELECT count(*) FROM orders o ANTI JOIN customer_profiles c USING (customer_id)`,
      'orders placed before the customer signed up': `SELECT count(*) FROM orders o JOIN customer_profiles c USING (customer_id) WHERE o.order_date < c.signup_date`,
      'lines without an order (same order_date)': `SELECT count(*) FROM order_lines l ANTI JOIN orders o USING (order_id, order_date)`,
      'orders without lines': `SELECT count(*) FROM orders o ANTI JOIN order_lines l USING (order_id)`,
      'orders whose line_count differs from their lines': `SELECT count(*) FROM orders o JOIN (SELECT order_id, count(DISTINCT line_number) n FROM order_lines GROUP BY order_id) l USING (order_id) WHERE o.line_count <> l.n`,
      'orders whose total differs from their lines': `SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(line_amount) s FROM (SELECT DISTINCT * FROM order_lines) GROUP BY order_id) l USING (order_id) WHERE o.total_amount <> l.s`,
      'line SKUs that are never stocked': `SELECT count(*) FROM (SELECT DISTINCT sku FROM order_lines) ANTI JOIN stock_levels USING (sku)`,
      'shipments without an order': `SELECT count(*) FROM shipments s ANTI JOIN orders o USING (order_id)`,
      'shipments shipped before the order': `SELECT count(*) FROM shipments s JOIN orders o USING (order_id) WHERE s.shipped_ts < o.order_ts`,
      'shipments from an unknown warehouse': `SELECT count(*) FROM shipments s ANTI JOIN (SELECT DISTINCT warehouse_id FROM stock_levels) USING (warehouse_id)`,
      'shipped orders without exactly one shipment': `SELECT count(*) FROM orders o LEFT JOIN (SELECT order_id, count(*) n FROM shipments GROUP BY order_id) s USING (order_id) WHERE (o.status IN ('shipped', 'delivered', 'returned')) <> (coalesce(s.n, 0) = 1)`,
    };
    for (const [what, sql] of Object.entries(orphans)) expect(await scalar(db, sql), what).toBe(0);
    // And the joins are not vacuous.
    expect(await scalar(db, `SELECT count(*) FROM shipments`)).toBeGreaterThan(1000);
    expect(await scalar(db, `SELECT count(DISTINCT sku) FROM stock_levels`)).toBe(300);
  });

  it('contains every documented defect, with the stated count', async () => {
    expect(manifest.defects.map((d) => d.kind).sort()).toEqual(['duplicates', 'invalid-value', 'nulls', 'out-of-range', 'stale-partition']);
    for (const defect of manifest.defects) expect(defect.count, defect.kind).toBeGreaterThan(0);
    const count = (kind: string): number => manifest.defects.find((d) => d.kind === kind)?.count ?? -1;

    expect(await scalar(db, `SELECT count(*) FROM customer_profiles WHERE email IS NULL`)).toBe(count('nulls'));
    expect(await scalar(db, `SELECT count(*) - count(DISTINCT (order_id, line_number)) FROM order_lines`)).toBe(count('duplicates'));
    expect(await scalar(db, `SELECT count(*) FROM order_lines WHERE quantity <= 0`)).toBe(count('out-of-range'));

    const carriers = contracts
      .find((c) => c.id === 'shipments')
      ?.schema[0]?.properties.find((p) => p.name === 'carrier')
      ?.quality?.find((q) => q.metric === 'invalidValues')?.arguments?.validValues;
    expect(carriers?.length).toBeGreaterThan(0);
    expect(await scalar(db, `SELECT count(*) FROM shipments WHERE carrier NOT IN (${(carriers ?? []).map(sqlLiteral).join(', ')})`)).toBe(
      count('invalid-value'),
    );

    // Newest snapshot 3 days before as-of; the missing days are the count.
    expect(await strings(db, `SELECT CAST(max(snapshot_date) AS VARCHAR) FROM stock_levels`)).toEqual(['2026-11-22']);
    expect(await scalar(db, `SELECT date_diff('day', max(snapshot_date), DATE '${LAST_DAY}') FROM stock_levels`)).toBe(count('stale-partition'));
    expect(await strings(db, `SELECT DISTINCT CAST(snapshot_date AS VARCHAR) FROM stock_levels`)).toHaveLength(30 - count('stale-partition'));
  });

  it('breaks exactly the rules the defects target; every other rule, constraint and latency SLA passes', async () => {
    expect(await failingChecks(db, contracts, AS_OF)).toEqual(
      [
        // nulls
        'customer-profiles: email_not_null',
        'customer-profiles: customer_profiles.email required',
        // duplicates
        'order-lines: order_line_key_unique',
        'order-lines: order_lines primary key',
        // out-of-range
        'order-lines: quantity_positive',
        'order-lines: order_lines.quantity minimum',
        // stale-partition
        'stock-levels: latency',
        // invalid-value
        'shipments: carrier_known',
      ].sort(),
    );
  });

  it('is deterministic: the same options give byte-identical files', async () => {
    const again = path.join(workDir, 'b');
    await generateSampleData({ meshDir: MESH_DIR, outDir: again, asOf: AS_OF });
    const [first, second] = await Promise.all([sha256s(outDir), sha256s(again)]);
    expect(Object.keys(first).length).toBeGreaterThan(100);
    expect(second).toEqual(first);
  });

  it('depends on the seed, and replaces what an earlier run left in the output folder', async () => {
    const dir = path.join(workDir, 'c');
    const small = { meshDir: MESH_DIR, outDir: dir, scale: 0.05, days: 5 };
    await generateSampleData({ ...small, asOf: AS_OF, seed: 1 });
    const seed1 = await sha256s(dir);
    const later = await generateSampleData({ ...small, asOf: '2026-12-10', seed: 2 });
    const files = await listFiles(dir);
    expect(files).toEqual([...later.tables.flatMap((t) => t.files), 'manifest.json'].sort());
    expect(files.some((f) => f.includes('2026-11-'))).toBe(false);
    await generateSampleData({ ...small, asOf: AS_OF, seed: 2 });
    const seed2 = await sha256s(dir);
    expect(Object.keys(seed2)).toEqual(Object.keys(seed1));
    expect(seed2['customer/customer_profiles/data_0.parquet']).not.toBe(seed1['customer/customer_profiles/data_0.parquet']);
  });

  it('refuses bad options with a message naming them', async () => {
    const base = { meshDir: MESH_DIR, outDir: path.join(workDir, 'never') };
    await expect(generateSampleData({ ...base, asOf: '2026-02-30' })).rejects.toThrow(/invalid asOf '2026-02-30'/);
    await expect(generateSampleData({ ...base, asOf: AS_OF, days: 2 })).rejects.toThrow(/invalid days 2/);
    await expect(generateSampleData({ ...base, asOf: AS_OF, scale: 0 })).rejects.toThrow(/invalid scale 0/);
  });
});
