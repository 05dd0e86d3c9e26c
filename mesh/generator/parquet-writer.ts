/**
 * Writes generated rows as Hive-partitioned Parquet with DuckDB, in exactly the layout and types the
 * contract declares: a table is created with the DuckDB equivalents of the contract's Glue types,
 * filled with the appender, then copied out ordered by its keys so the bytes are reproducible.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  dateValue,
  decimalValue,
  listValue,
  timestampValue,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import { glueTypeToDuckDb, glueTypeToString, type GlueType } from '../../lib/contract/glue-types.js';
import type { Table } from '../../lib/contract/model.js';
import { tryParseIsoDate } from './calendar.js';

/** A value as row factories produce it: dates as `YYYY-MM-DD`, timestamps as UTC `Date`s. */
export type Cell = string | number | bigint | boolean | Date | readonly string[] | null;
export type Row = Readonly<Record<string, Cell>>;

/** How a cell is appended: the contract's Glue type, reduced to what the appender distinguishes. */
type ColumnType =
  | { readonly kind: 'varchar' | 'tinyint' | 'smallint' | 'integer' | 'bigint' | 'float' | 'double' }
  | { readonly kind: 'boolean' | 'date' | 'timestamp' }
  | { readonly kind: 'decimal'; readonly width: number; readonly scale: number }
  | { readonly kind: 'list'; readonly element: ColumnType };

function columnType(type: GlueType, where: string): ColumnType {
  switch (type.kind) {
    case 'decimal':
      return { kind: 'decimal', width: type.precision, scale: type.scale };
    case 'varchar':
    case 'char':
      return { kind: 'varchar' };
    case 'array':
      return { kind: 'list', element: columnType(type.element, `${where}[]`) };
    case 'primitive':
      switch (type.name) {
        case 'string':
          return { kind: 'varchar' };
        case 'int':
          return { kind: 'integer' };
        case 'binary':
          break;
        default:
          return { kind: type.name };
      }
  }
  throw new Error(`${where}: the sample-data generator cannot write ${glueTypeToString(type)} columns yet`);
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export interface WriteTableInput {
  readonly connection: DuckDBConnection;
  readonly outDir: string;
  readonly domain: string;
  readonly table: Table;
  readonly rows: readonly Row[];
}

/**
 * Writes `rows` to `<outDir>/<domain>/<table>/` (replacing what was there) and returns the files
 * written, relative to `outDir` with `/` separators, sorted.
 */
export async function writeTable({ connection, outDir, domain, table, rows }: WriteTableInput): Promise<string[]> {
  const columns = table.columns.map((column) => {
    const where = `${table.physicalName}.${column.physicalName}`;
    if (!column.glueType) throw new Error(`${where}: the contract gives no usable column type`);
    return { spec: column, where, sqlType: glueTypeToDuckDb(column.glueType), type: columnType(column.glueType, where) };
  });
  checkRowShapes(table, rows);

  const staging = quoteIdentifier(`stage_${table.physicalName}`);
  await connection.run(`DROP TABLE IF EXISTS ${staging}`);
  await connection.run(
    `CREATE TABLE ${staging} (${columns.map((c) => `${quoteIdentifier(c.spec.physicalName)} ${c.sqlType}`).join(', ')})`,
  );
  const appender = await connection.createAppender(`stage_${table.physicalName}`);
  try {
    for (const row of rows) {
      for (const [index, column] of columns.entries()) {
        appendCell(appender, index, column.type, row[column.spec.physicalName] ?? null, column.where);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }

  const tableDir = path.join(outDir, domain, table.physicalName);
  // A previous run may have written partitions this run does not produce (another asOf or days).
  await rm(tableDir, { recursive: true, force: true });
  const select = `SELECT * FROM ${staging} ORDER BY ${orderBy(table).map(quoteIdentifier).join(', ')}`;
  if (table.partitionKeys.length > 0) {
    await mkdir(path.dirname(tableDir), { recursive: true });
    const partitionBy = table.partitionKeys.map((c) => quoteIdentifier(c.physicalName)).join(', ');
    await connection.run(
      `COPY (${select}) TO ${quoteLiteral(tableDir)} ` +
        `(FORMAT PARQUET, COMPRESSION snappy, PARTITION_BY (${partitionBy}), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'data_{i}')`,
    );
  } else {
    await mkdir(tableDir, { recursive: true });
    await connection.run(
      `COPY (${select}) TO ${quoteLiteral(path.join(tableDir, 'data_0.parquet'))} (FORMAT PARQUET, COMPRESSION snappy)`,
    );
  }
  await connection.run(`DROP TABLE ${staging}`);
  return listParquetFiles(outDir, tableDir);
}

/** Partition keys, then the primary key, then every other column: a total order up to identical rows. */
function orderBy(table: Table): string[] {
  const names = [...table.partitionKeys, ...table.primaryKey, ...table.columns].map((c) => c.physicalName);
  return [...new Set(names)];
}

function checkRowShapes(table: Table, rows: readonly Row[]): void {
  const expected = new Set(table.columns.map((c) => c.physicalName));
  for (const [index, row] of rows.entries()) {
    const keys = Object.keys(row);
    const extra = keys.filter((k) => !expected.has(k));
    const missing = [...expected].filter((k) => !(k in row));
    if (extra.length > 0 || missing.length > 0) {
      throw new Error(
        `${table.physicalName} row ${index}: the row factory does not match the contract` +
          (missing.length > 0 ? `; missing columns: ${missing.join(', ')}` : '') +
          (extra.length > 0 ? `; columns the contract does not declare: ${extra.join(', ')}` : ''),
      );
    }
  }
}

function appendCell(appender: DuckDBAppender, index: number, type: ColumnType, cell: Cell, where: string): void {
  if (cell === null) {
    appender.appendNull();
    return;
  }
  switch (type.kind) {
    case 'varchar':
      appender.appendVarchar(expectString(cell, where));
      return;
    case 'boolean':
      if (typeof cell !== 'boolean') throw typeError(where, 'a boolean', cell);
      appender.appendBoolean(cell);
      return;
    case 'tinyint':
    case 'smallint':
    case 'integer':
      if (typeof cell !== 'number' || !Number.isInteger(cell)) throw typeError(where, 'an integer', cell);
      if (type.kind === 'tinyint') appender.appendTinyInt(cell);
      else if (type.kind === 'smallint') appender.appendSmallInt(cell);
      else appender.appendInteger(cell);
      return;
    case 'float':
    case 'double':
      if (typeof cell !== 'number' || !Number.isFinite(cell)) throw typeError(where, 'a finite number', cell);
      if (type.kind === 'double') appender.appendDouble(cell);
      else appender.appendFloat(cell);
      return;
    case 'bigint':
    case 'decimal':
    case 'date':
    case 'timestamp':
    case 'list':
      // The appender needs the column's own type for lists; for the others it is implied.
      appender.appendValue(toDuckDBValue(type, cell, where), appender.columnType(index));
      return;
  }
}

function toDuckDBValue(type: ColumnType, cell: Cell, where: string): DuckDBValue {
  switch (type.kind) {
    case 'varchar':
      return expectString(cell, where);
    case 'boolean':
      if (typeof cell !== 'boolean') throw typeError(where, 'a boolean', cell);
      return cell;
    case 'tinyint':
    case 'smallint':
    case 'integer':
      if (typeof cell !== 'number' || !Number.isInteger(cell)) throw typeError(where, 'an integer', cell);
      return cell;
    case 'float':
    case 'double':
      if (typeof cell !== 'number' || !Number.isFinite(cell)) throw typeError(where, 'a finite number', cell);
      return cell;
    case 'bigint':
      if (typeof cell === 'bigint') return cell;
      if (typeof cell !== 'number' || !Number.isSafeInteger(cell)) throw typeError(where, 'an integer', cell);
      return BigInt(cell);
    case 'decimal': {
      if (typeof cell !== 'number' || !Number.isFinite(cell)) throw typeError(where, 'a number', cell);
      const scaled = cell * 10 ** type.scale;
      const unscaled = Math.round(scaled);
      if (Math.abs(scaled - unscaled) > 1e-6) {
        throw new Error(`${where}: ${cell} has more than ${type.scale} decimals for decimal(${type.width},${type.scale})`);
      }
      if (Math.abs(unscaled) >= 10 ** type.width) {
        throw new Error(`${where}: ${cell} does not fit decimal(${type.width},${type.scale})`);
      }
      return decimalValue(BigInt(unscaled), type.width, type.scale);
    }
    case 'date': {
      const day = tryParseIsoDate(expectString(cell, where));
      if (day === undefined) throw typeError(where, 'a YYYY-MM-DD date', cell);
      return dateValue(day);
    }
    case 'timestamp':
      if (!(cell instanceof Date) || Number.isNaN(cell.getTime())) throw typeError(where, 'a valid Date', cell);
      return timestampValue(BigInt(cell.getTime()) * 1000n);
    case 'list': {
      if (!Array.isArray(cell)) throw typeError(where, 'an array', cell);
      const items: readonly Cell[] = cell;
      return listValue(items.map((item) => (item === null ? null : toDuckDBValue(type.element, item, `${where}[]`))));
    }
  }
}

function expectString(cell: Cell, where: string): string {
  if (typeof cell !== 'string') throw typeError(where, 'a string', cell);
  return cell;
}

function typeError(where: string, expected: string, cell: Cell): Error {
  const shown = cell instanceof Date ? `Date(${cell.toISOString()})` : JSON.stringify(cell, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return new Error(`${where}: expected ${expected}, got ${shown}`);
}

async function listParquetFiles(outDir: string, tableDir: string): Promise<string[]> {
  const entries = await readdir(tableDir, { recursive: true });
  return entries
    .filter((entry) => entry.endsWith('.parquet'))
    .map((entry) => path.relative(outDir, path.join(tableDir, entry)).split(path.sep).join('/'))
    .sort();
}
