/**
 * Finding a product's local Parquet data and registering it with DuckDB under the names Athena
 * uses (`<domain database>.<table>`). `--data` may name the sample-data root (`<root>/<domain>/<table>/`),
 * a domain folder (`<dir>/<table>/`), a table folder, or a single Parquet file for a one-table product.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { glueTypeToDuckDb } from '../contract/glue-types.js';
import type { DataContract, Table } from '../contract/model.js';
import { databaseNameFor } from '../glue/names.js';
import type { DuckDbEngine } from './duckdb.js';

export interface RegisteredTable {
  readonly table: string;
  readonly path: string;
  readonly files: number;
  readonly bytes: number;
}

export class LocalDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalDataError';
  }
}

export async function registerContractData(engine: DuckDbEngine, contract: DataContract, dataPath: string): Promise<{ database: string; tables: RegisteredTable[] }> {
  const database = databaseNameFor(contract.domain ?? 'local');
  const tables: RegisteredTable[] = [];
  for (const table of contract.tables) {
    const located = await locate(contract, table, dataPath);
    const partitionTypes = Object.fromEntries(table.partitionKeys.map((c) => [c.physicalName, glueTypeToDuckDb(c.glueType!)]));
    const glob = located.kind === 'file' ? located.path : join(located.path, '**', '*.parquet');
    await engine.registerParquet(database, table.physicalName, glob, table.columns.map((c) => c.physicalName), partitionTypes);
    tables.push({ table: table.physicalName, path: located.path, files: located.files, bytes: located.bytes });
  }
  return { database, tables };
}

async function locate(contract: DataContract, table: Table, dataPath: string): Promise<{ kind: 'file' | 'dir'; path: string; files: number; bytes: number }> {
  const info = await stat(dataPath).catch(() => undefined);
  if (!info) throw new LocalDataError(`--data ${dataPath} does not exist`);
  if (info.isFile()) {
    if (contract.tables.length !== 1) throw new LocalDataError(`--data ${dataPath} is one file, but contract '${contract.id}' has ${contract.tables.length} tables; point --data at a folder with one sub-folder per table`);
    if (!dataPath.endsWith('.parquet')) throw new LocalDataError(`--data ${dataPath} is not a .parquet file`);
    return { kind: 'file', path: dataPath, files: 1, bytes: info.size };
  }
  const candidates = [join(dataPath, contract.domain ?? '', table.physicalName), join(dataPath, table.physicalName)];
  if (contract.tables.length === 1) candidates.push(dataPath);
  for (const candidate of candidates) {
    const files = await parquetFiles(candidate);
    if (files.length > 0) {
      let bytes = 0;
      for (const f of files) bytes += (await stat(f)).size;
      return { kind: 'dir', path: candidate, files: files.length, bytes };
    }
  }
  throw new LocalDataError(`no Parquet files for table '${table.physicalName}' of '${contract.id}'; looked in ${[...new Set(candidates)].join(', ')}`);
}

async function parquetFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.parquet')).map((e) => join(e.parentPath, e.name));
}
