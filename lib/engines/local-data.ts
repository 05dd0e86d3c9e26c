/**
 * Finding a product's local Parquet data and registering it with DuckDB under the names Athena
 * uses (`<domain database>.<table>`). `--data` may name the sample-data root (`<root>/<domain>/<table>/`),
 * a domain folder (`<dir>/<table>/`), a table folder, or a single Parquet file for a one-table product.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { glueTypeToDuckDb } from '../contract/glue-types.js';
import type { Column, DataContract, Table } from '../contract/model.js';
import { schemaDrift, type DriftFinding } from '../quality/drift.js';
import { databaseNameFor } from '../glue/names.js';
import type { DuckDbEngine } from './duckdb.js';

export interface RegisteredTable {
  readonly table: string;
  /** The folder (or single file) the table was read from. */
  readonly path: string;
  /** Every Parquet file read, relative to `path`. */
  readonly fileList: readonly string[];
  readonly files: number;
  readonly bytes: number;
  /** How the files' columns differ from the contract's. */
  readonly drift: readonly DriftFinding[];
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
    const files = located.kind === 'file' ? [located.path] : located.fileList.map((f) => join(located.path, f));
    const drift = schemaDrift(table, await engine.parquetColumns(files));
    await engine.registerParquet(database, table.physicalName, files, table.columns.map((c) => selectItem(c, drift)), partitionTypes);
    tables.push({ table: table.physicalName, path: located.path, fileList: located.fileList, files: files.length, bytes: located.bytes, drift });
  }
  return { database, tables };
}

/**
 * A column as Athena would read it from these files: as stored; NULL when the files lack it; an
 * error naming it, raised by any query that reads it, when its stored type does not read as declared.
 */
function selectItem(column: Column, drift: readonly DriftFinding[]): string {
  const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;
  const finding = drift.find((f) => f.column === column.physicalName && f.kind !== 'extra');
  if (!finding || !column.glueType) return q(column.physicalName);
  const type = glueTypeToDuckDb(column.glueType);
  if (finding.kind === 'missing') return `CAST(NULL AS ${type}) AS ${q(column.physicalName)}`;
  return `CAST(error('schema drift: ${finding.message.replaceAll("'", "''")}') AS ${type}) AS ${q(column.physicalName)}`;
}

type Located = { kind: 'file' | 'dir'; path: string; fileList: string[]; bytes: number };

/**
 * A table's files are the Parquet files in its folder, or in its Hive partition folders named
 * after its partition keys in order (`order_date=2026-11-24/`), as Athena reads the table's
 * location and partitions. Names starting with `_` or `.` are skipped, as Hive and Athena skip them.
 * A candidate folder holding other Parquet files (a `shipments_backup/` beside the partitions) is
 * refused rather than read: those are not the contract's table.
 */
async function locate(contract: DataContract, table: Table, dataPath: string): Promise<Located> {
  const info = await stat(dataPath).catch(() => undefined);
  if (!info) throw new LocalDataError(`--data ${dataPath} does not exist`);
  if (info.isFile()) {
    if (contract.tables.length !== 1) throw new LocalDataError(`--data ${dataPath} is one file, but contract '${contract.id}' has ${contract.tables.length} tables; point --data at a folder with one sub-folder per table`);
    if (!dataPath.endsWith('.parquet')) throw new LocalDataError(`--data ${dataPath} is not a .parquet file`);
    return { kind: 'file', path: dataPath, fileList: [basename(dataPath)], bytes: info.size };
  }
  const candidates = [...new Set([join(dataPath, contract.domain ?? '', table.physicalName), join(dataPath, table.physicalName), ...(contract.tables.length === 1 ? [dataPath] : [])])];
  const keys = table.partitionKeys.map((c) => c.physicalName);
  const strays: string[] = [];
  for (const candidate of candidates) {
    const files = await parquetFiles(candidate);
    if (files.length === 0) continue;
    const inLayout = files.filter((f) => isTableFile(f, keys));
    const outside = files.filter((f) => !isTableFile(f, keys));
    if (inLayout.length > 0 && outside.length > 0)
      throw new LocalDataError(
        `${candidate} holds table '${table.physicalName}' of '${contract.id}' and ${outside.length} other Parquet file${outside.length === 1 ? '' : 's'} (${sample(outside)}), ` +
          `outside its layout <table>/${keys.map((k) => `${k}=<value>/`).join('')}*.parquet; move them out, or point --data at a folder holding only the table`,
      );
    if (inLayout.length > 0) {
      let bytes = 0;
      for (const f of inLayout) bytes += (await stat(join(candidate, f))).size;
      return { kind: 'dir', path: candidate, fileList: inLayout.sort(), bytes };
    }
    strays.push(`${candidate}: ${sample(outside)}`);
  }
  throw new LocalDataError(
    `no Parquet files for table '${table.physicalName}' of '${contract.id}'; searched ${candidates.join(', ')} for <table>/${keys.map((k) => `${k}=<value>/`).join('')}*.parquet` +
      (strays.length > 0 ? `; found only files that are not the table's: ${strays.join('; ')}` : ''),
  );
}

/** `file` is relative to the table folder: directly in it, or in its partition folders in order. */
function isTableFile(file: string, partitionKeys: readonly string[]): boolean {
  const folders = file.split(sep).slice(0, -1);
  return folders.length === partitionKeys.length && folders.every((f, i) => f.startsWith(`${partitionKeys[i]}=`) && f.length > partitionKeys[i]!.length + 1);
}

function sample(files: readonly string[]): string {
  return files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')} and ${files.length - 3} more`;
}

/** Parquet files under `dir`, relative to it, skipping hidden and `_`-prefixed names as Hive does. */
async function parquetFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((f) => !f.split(sep).some((part) => part.startsWith('_') || part.startsWith('.')));
}
