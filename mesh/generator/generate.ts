/**
 * Deterministic sample data for the example mesh: Hive-partitioned Parquet for every table of every
 * product in mesh.yaml, laid out as `<outDir>/<domain>/<table>/<partition>=<value>/data_0.parquet`
 * (unpartitioned tables: `<outDir>/<domain>/<table>/data_0.parquet`), plus `<outDir>/manifest.json`.
 *
 * Same options, same bytes: randomness is seeded per table, no clock is read (every date derives
 * from `asOf`), DuckDB runs on one thread and every file is written ordered by its keys.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatIsoDate, tryParseIsoDate } from './calendar.js';
import { readMesh, type MeshSpec } from './contracts.js';
import { generateCustomerProfiles } from './customer.js';
import { injectDefects } from './defects.js';
import { generateStockLevels } from './inventory.js';
import { generateOrders, orderLineRows, orderRows } from './orders.js';
import { writeTable, type Row } from './parquet-writer.js';
import { generateShipments } from './shipping.js';
import type { ManifestTable, SampleDataManifest, SampleDataOptions } from './types.js';
import { buildWorld } from './world.js';

export type { Defect, DefectKind, ManifestTable, SampleDataManifest, SampleDataOptions } from './types.js';

export const DEFAULT_SEED = 42;
export const DEFAULT_SCALE = 1;
export const DEFAULT_DAYS = 30;
/** The stale-partition defect drops the 2 newest stock snapshots; at least one must remain. */
const MIN_DAYS = 3;
const MAX_DAYS = 3_660;
const MAX_SCALE = 100;

export async function generateSampleData(options: SampleDataOptions): Promise<SampleDataManifest> {
  const resolved = resolveOptions(options);
  const mesh = await readMesh(options.meshDir);
  const world = buildWorld(resolved);

  const customerProfiles = generateCustomerProfiles(world);
  const orders = generateOrders(world, customerProfiles);
  const targets = {
    customerProfiles,
    orderLines: orderLineRows(orders),
    stockLevels: generateStockLevels(world),
    shipments: generateShipments(world, orders),
  };
  const defects = injectDefects(world, targets);

  // Keyed by `<domain>/<table>`: the contracts decide which of these are written, and where.
  const generated = new Map<string, readonly Row[]>([
    ['customer/customer_profiles', targets.customerProfiles],
    ['orders/orders', orderRows(orders)],
    ['orders/order_lines', targets.orderLines],
    ['inventory/stock_levels', targets.stockLevels],
    ['shipping/shipments', targets.shipments],
  ]);
  checkCoverage(mesh, generated, defects);

  await mkdir(options.outDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const tables: ManifestTable[] = [];
  try {
    // One thread: the Parquet writer's output then depends on the rows only.
    await connection.run('SET threads = 1');
    await connection.run('SET preserve_insertion_order = true');
    for (const product of mesh.products) {
      for (const table of product.tables) {
        const rows = generated.get(`${product.domain}/${table.physicalName}`) ?? [];
        const files = await writeTable({ connection, outDir: options.outDir, domain: product.domain, table, rows });
        tables.push({
          product: product.id,
          domain: product.domain,
          table: table.physicalName,
          contract: product.contractFile,
          rows: rows.length,
          partitionKeys: table.columns
            .filter((c) => c.partitionKeyPosition !== undefined)
            .sort((a, b) => (a.partitionKeyPosition ?? 0) - (b.partitionKeyPosition ?? 0))
            .map((c) => c.physicalName),
          files,
        });
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }

  const manifest: SampleDataManifest = {
    generator: 'tessera-sample-data',
    mesh: mesh.name,
    options: resolved,
    window: { from: formatIsoDate(world.firstDay), to: formatIsoDate(world.lastDay) },
    tables,
    defects,
  };
  await writeFile(path.join(options.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function resolveOptions(options: SampleDataOptions): SampleDataManifest['options'] {
  if (tryParseIsoDate(options.asOf) === undefined) {
    throw new Error(`invalid asOf '${options.asOf}': expected a calendar date as YYYY-MM-DD, e.g. 2026-11-25`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`invalid seed ${seed}: expected a non-negative integer`);
  }
  const scale = options.scale ?? DEFAULT_SCALE;
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
    throw new Error(`invalid scale ${scale}: expected a number greater than 0 and at most ${MAX_SCALE}`);
  }
  const days = options.days ?? DEFAULT_DAYS;
  if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) {
    throw new Error(`invalid days ${days}: expected an integer from ${MIN_DAYS} to ${MAX_DAYS}`);
  }
  return { asOf: options.asOf, seed, scale, days };
}

/** Every contract table has rows, every generated table has a contract, every defect a target. */
function checkCoverage(mesh: MeshSpec, generated: ReadonlyMap<string, readonly Row[]>, defects: SampleDataManifest['defects']): void {
  const declared = new Map<string, string>();
  for (const product of mesh.products) {
    for (const table of product.tables) declared.set(`${product.domain}/${table.physicalName}`, product.id);
  }
  for (const [key, product] of declared) {
    if (!generated.has(key)) {
      throw new Error(`no row factory for table ${key} of product ${product}; add one in mesh/generator/ and register it in generate.ts`);
    }
  }
  for (const key of generated.keys()) {
    if (!declared.has(key)) throw new Error(`rows are generated for ${key}, but no contract in mesh.yaml declares that table`);
  }
  for (const defect of defects) {
    const product = mesh.products.find((p) => p.id === defect.product);
    const table = product?.tables.find((t) => t.physicalName === defect.table);
    if (!table || (defect.column !== undefined && !table.columns.some((c) => c.physicalName === defect.column))) {
      throw new Error(`defect ${defect.kind} targets ${defect.product}/${defect.table}.${defect.column ?? ''}, which the mesh does not declare`);
    }
  }
}
