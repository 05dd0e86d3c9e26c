/**
 * Schema drift: the columns the data files actually carry against the columns the contract (and
 * so the Glue table) declares. Judged the way Athena reads Parquet under a Glue table: columns by
 * name, so a declared column missing from the files reads as NULL and an undeclared one is
 * invisible, and a value type the reader cannot convert to the declared one fails every query that
 * reads the column. Only widening conversions are readable.
 * https://docs.aws.amazon.com/athena/latest/ug/handling-schema-updates-chapter.html
 * https://docs.aws.amazon.com/athena/latest/ug/types-of-updates.html (changing a column's data type)
 */
import type { GlueType } from '../contract/glue-types.js';
import { glueTypeToString } from '../contract/glue-types.js';
import type { Table } from '../contract/model.js';
import type { CheckResult } from './run.js';

/** A column of the data files, with the DuckDB type their Parquet schema maps to. */
export interface ActualColumn {
  readonly name: string;
  readonly type: string;
}

export interface DriftFinding {
  readonly table: string;
  readonly column: string;
  readonly kind: 'missing' | 'extra' | 'type';
  /** `missing` and `type` change what queries return; an extra column is unseen and unclassified. */
  readonly severity: 'error' | 'warning';
  readonly declared?: string;
  readonly actual?: string;
  readonly message: string;
}

/** Partition keys are not compared: their values come from folder names, not from the files. */
export function schemaDrift(table: Table, actual: readonly ActualColumn[]): DriftFinding[] {
  const partition = new Set(table.partitionKeys.map((c) => c.physicalName.toLowerCase()));
  const inFiles = new Map(actual.filter((c) => !partition.has(c.name.toLowerCase())).map((c) => [c.name.toLowerCase(), c]));
  const findings: DriftFinding[] = [];
  const base = { table: table.name };
  for (const column of table.columns) {
    const name = column.physicalName;
    if (partition.has(name.toLowerCase()) || !column.glueType) continue;
    const declared = glueTypeToString(column.glueType);
    const found = inFiles.get(name.toLowerCase());
    inFiles.delete(name.toLowerCase());
    if (!found) {
      findings.push({ ...base, column: name, kind: 'missing', severity: 'error', declared, message: `column ${name} (${declared}) is not in the data files; Athena reads it as NULL` });
    } else if (!readsAs(found.type, column.glueType)) {
      findings.push({
        ...base,
        column: name,
        kind: 'type',
        severity: 'error',
        declared,
        actual: found.type,
        message: `column ${name} is ${found.type} in the data files, but the contract declares ${declared}; Athena fails every query that reads it`,
      });
    }
  }
  for (const extra of inFiles.values()) {
    findings.push({ ...base, column: extra.name, kind: 'extra', severity: 'warning', actual: extra.type, message: `column ${extra.name} (${extra.type}) is in the data files but not in the contract; Athena does not show it` });
  }
  return findings;
}

/** Parquet value types (as DuckDB names them) the Athena reader accepts for each declared type. */
const READABLE: Readonly<Record<string, readonly string[]>> = {
  string: ['VARCHAR'],
  tinyint: ['TINYINT'],
  smallint: ['TINYINT', 'SMALLINT'],
  int: ['TINYINT', 'SMALLINT', 'INTEGER'],
  bigint: ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'],
  float: ['FLOAT'],
  double: ['FLOAT', 'DOUBLE'],
  boolean: ['BOOLEAN'],
  date: ['DATE'],
  timestamp: ['TIMESTAMP', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP_S', 'TIMESTAMP WITH TIME ZONE'],
  binary: ['BLOB'],
};

export function readsAs(actual: string, declared: GlueType): boolean {
  const t = actual.toUpperCase();
  switch (declared.kind) {
    case 'primitive':
      return READABLE[declared.name]!.includes(t);
    case 'varchar':
    case 'char':
      return t === 'VARCHAR';
    case 'decimal': {
      // The same scale, and no more digits than declared.
      const m = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
      return m !== null && Number(m[2]) === declared.scale && Number(m[1]) <= declared.precision;
    }
    // Nested types: the same shape; their fields are not compared here.
    case 'array':
      return t.endsWith('[]');
    case 'map':
      return t.startsWith('MAP(');
    case 'struct':
      return t.startsWith('STRUCT(');
  }
}

/** Findings as failed checks of the report, one per column, before the measured checks. */
export function driftResults(findings: readonly DriftFinding[]): CheckResult[] {
  return findings.map((f) => ({
    id: `${f.table}.${f.column}.schema`,
    name: `${f.column} ${f.kind === 'missing' ? 'is in the data' : f.kind === 'extra' ? 'is declared in the contract' : `reads as ${f.declared}`}`,
    table: f.table,
    column: f.column,
    kind: 'schema',
    source: 'schema',
    dimension: 'conformity',
    severity: f.severity,
    status: 'fail',
    expected: f.kind === 'extra' ? 'not in the data (undeclared)' : `${f.declared ?? ''} in the data files`,
    actual: f.kind === 'missing' ? 'missing' : (f.actual ?? ''),
    message: f.message,
  }));
}

/**
 * On Athena the Glue table is the declared schema and the files are read by name, so drift shows
 * only when a statement reads a column whose stored type does not convert: the query fails with
 * HIVE_BAD_DATA (or HIVE_PARTITION_SCHEMA_MISMATCH for a partition's own schema) naming the field.
 * A column missing from the files reads as NULL (the null and required checks see it) and an
 * undeclared one is invisible; neither is detectable from Athena's answers alone.
 * https://docs.aws.amazon.com/athena/latest/ug/updates-and-partitions.html
 */
const SCHEMA_ERROR = /HIVE_BAD_DATA|HIVE_PARTITION_SCHEMA_MISMATCH|HIVE_CANNOT_OPEN_SPLIT|incompatible with type|schema mismatch/i;

export function driftFromEngineErrors(tables: readonly Table[], failed: readonly { readonly table: string; readonly error: string }[]): DriftFinding[] {
  const findings = new Map<string, DriftFinding>();
  for (const { table: name, error } of failed) {
    if (!SCHEMA_ERROR.test(error)) continue;
    const table = tables.find((t) => t.name === name);
    if (!table) continue;
    // File paths name partition folders (day=2026-11-24), not the column at fault.
    const text = error.replace(/\b(s3a?|file):\/\/\S+/g, '');
    for (const column of table.columns) {
      const mentioned = new RegExp(`(^|[^A-Za-z0-9_])${column.physicalName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`, 'i').test(text);
      if (!mentioned || !column.glueType || findings.has(`${name}.${column.physicalName}`)) continue;
      const declared = glueTypeToString(column.glueType);
      findings.set(`${name}.${column.physicalName}`, {
        table: name,
        column: column.physicalName,
        kind: 'type',
        severity: 'error',
        declared,
        actual: 'not readable',
        message: `Athena could not read column ${column.physicalName} as declared (${declared}): ${error.split('\n')[0]}`,
      });
    }
  }
  return [...findings.values()];
}
