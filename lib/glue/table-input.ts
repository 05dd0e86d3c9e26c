/**
 * A contract table as a Glue table definition: columns with Glue types and comments, partition keys,
 * a Parquet storage descriptor, parameters that carry the contract's identity, and Athena partition
 * projection derived from the partition columns, so that neither a crawler nor `MSCK REPAIR TABLE`
 * is ever needed. Plain data in the shape of Glue's `TableInput`: constructs hand it to
 * CloudFormation, tests and the CLI read it as it is.
 */
import type { Column, DataContract, Table } from '../contract/model.js';
import type { GlueType } from '../contract/glue-types.js';
import { glueTypeToString } from '../contract/glue-types.js';
import { mostSensitive } from './classification.js';

export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

/** The subset of Glue's TableInput that Tessera sets (field names as in the Glue API). */
export interface GlueTableInput {
  readonly name: string;
  readonly description?: string;
  readonly tableType: 'EXTERNAL_TABLE';
  readonly parameters: Readonly<Record<string, string>>;
  readonly partitionKeys: readonly GlueColumn[];
  readonly storageDescriptor: {
    readonly columns: readonly GlueColumn[];
    readonly location: string;
    readonly inputFormat: string;
    readonly outputFormat: string;
    readonly compressed: boolean;
    readonly serdeInfo: { readonly serializationLibrary: string; readonly parameters: Readonly<Record<string, string>> };
  };
}

export interface PartitionProjection {
  readonly enabled: boolean;
  /** Why projection is off, one reason per partition column that cannot be projected. */
  readonly reasons: readonly string[];
}

export interface GlueTableOptions {
  /** `s3://bucket/prefix/` under which the table's folder lives; must end with `/`. */
  readonly locationRoot: string;
  /** The classification ontology, least to most sensitive. */
  readonly classifications: readonly string[];
  /** Recorded in the table parameters so readers can find the exact deployed contract. */
  readonly contractLocation?: string;
}

/** The table parameters that name the product and its primary key; `tessera import --glue` reads them back. */
export const PRODUCT_PARAMETER = 'tessera.product';
export const PRIMARY_KEY_PARAMETER = 'tessera.primary_key';

/** Glue caps a column comment at 255 characters. */
const MAX_COMMENT = 255;
const DAY_MS = 86_400_000;
const DEFAULT_PROJECTED_DAYS = 3650;

export function glueTableInput(contract: DataContract, table: Table, options: GlueTableOptions): { input: GlueTableInput; projection: PartitionProjection } {
  if (!options.locationRoot.endsWith('/')) throw new Error(`locationRoot must end with '/', got '${options.locationRoot}'`);
  const location = `${options.locationRoot}${table.physicalName}/`;
  const partitionColumns = new Set(table.partitionKeys);
  const columns = table.columns.filter((c) => !partitionColumns.has(c));
  const projection = projectionParameters(contract, table, location);
  const classification = mostSensitive(
    table.columns.map((c) => c.classification),
    options.classifications,
  );
  const parameters: Record<string, string> = {
    EXTERNAL: 'TRUE',
    classification: 'parquet',
    'parquet.compression': 'SNAPPY',
    [PRODUCT_PARAMETER]: contract.id,
    'tessera.contract.version': contract.version,
    'tessera.contract.sha256': contract.source.sha256,
    'tessera.domain': contract.domain ?? '',
    'tessera.classification': classification ?? '',
    ...(options.contractLocation ? { 'tessera.contract.location': options.contractLocation } : {}),
    ...(table.primaryKey.length > 0 ? { [PRIMARY_KEY_PARAMETER]: table.primaryKey.map((c) => c.physicalName).join(',') } : {}),
    ...projection.parameters,
  };
  return {
    input: {
      name: table.physicalName,
      description: table.description,
      tableType: 'EXTERNAL_TABLE',
      parameters,
      partitionKeys: table.partitionKeys.map(glueColumn),
      storageDescriptor: {
        columns: columns.map(glueColumn),
        location,
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        compressed: true,
        serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: { 'serialization.format': '1' } },
      },
    },
    projection: { enabled: projection.enabled, reasons: projection.reasons },
  };
}

function glueColumn(column: Column): GlueColumn {
  if (!column.glueType) throw new Error(`column '${column.name}' has no Glue type; load the contract with the product profile first`);
  const comment = [column.description, column.classification ? `[${column.classification}]` : undefined].filter(Boolean).join(' ');
  return {
    name: column.physicalName,
    type: glueTypeToString(column.glueType),
    ...(comment ? { comment: comment.length > MAX_COMMENT ? `${comment.slice(0, MAX_COMMENT - 1)}…` : comment } : {}),
  };
}

/**
 * Athena partition projection for every partition column, or none at all: projection is a table
 * setting, so one column Athena cannot enumerate switches it off for the table.
 */
function projectionParameters(
  contract: DataContract,
  table: Table,
  location: string,
): { enabled: boolean; reasons: string[]; parameters: Record<string, string> } {
  if (table.partitionKeys.length === 0) return { enabled: false, reasons: [], parameters: {} };
  const parameters: Record<string, string> = {};
  const reasons: string[] = [];
  for (const column of table.partitionKeys) {
    const result = projectColumn(contract, table, column);
    if ('reason' in result) reasons.push(`${table.name}.${column.name}: ${result.reason}`);
    else for (const [key, value] of Object.entries(result)) parameters[`projection.${column.physicalName}.${key}`] = value;
  }
  if (reasons.length > 0) return { enabled: false, reasons, parameters: {} };
  const template = table.partitionKeys.map((c) => `${c.physicalName}=\${${c.physicalName}}`).join('/');
  return {
    enabled: true,
    reasons: [],
    parameters: { 'projection.enabled': 'true', ...parameters, 'storage.location.template': `${location}${template}/` },
  };
}

function projectColumn(contract: DataContract, table: Table, column: Column): Record<string, string> | { reason: string } {
  const type = column.glueType;
  if (!type) return { reason: 'no Glue type' };
  if (isPrimitive(type, 'date')) {
    return { type: 'date', format: 'yyyy-MM-dd', range: `${dateRangeStart(contract, table)},NOW`, interval: '1', 'interval.unit': 'DAYS' };
  }
  if (isInteger(type)) {
    const { minimum, maximum } = column.logicalTypeOptions;
    if (typeof minimum === 'number' && typeof maximum === 'number') return { type: 'integer', range: `${minimum},${maximum}` };
    return { reason: 'an integer partition needs logicalTypeOptions minimum and maximum to be projected' };
  }
  if (type.kind === 'varchar' || type.kind === 'char' || isPrimitive(type, 'string')) {
    const values = validValuesOf(column);
    if (values) return { type: 'enum', values: values.join(',') };
    return { reason: 'a string partition needs its allowed values (an invalidValues rule with arguments.validValues) to be projected' };
  }
  return { reason: `Athena cannot project a ${glueTypeToString(type)} partition` };
}

/**
 * How far back partitions are projected: ten years, or twice the retention SLA when that is longer.
 * Athena reads nothing outside the projected range, so a range that ended at the retention window
 * would hide exactly the partitions a retention check must find, and the check could never fail.
 */
function dateRangeStart(contract: DataContract, table: Table): string {
  const retention = contract.sla.find(
    (s) => s.property.toLowerCase() === 'retention' && s.durationMs !== undefined && (s.elements.length === 0 || s.elements.some((e) => e.table.toLowerCase() === table.name.toLowerCase())),
  );
  const retentionDays = retention?.durationMs !== undefined ? Math.ceil(retention.durationMs / DAY_MS) : 0;
  return `NOW-${Math.max(DEFAULT_PROJECTED_DAYS, 2 * retentionDays)}DAYS`;
}

function validValuesOf(column: Column): string[] | undefined {
  for (const rule of column.quality) {
    const values = rule.metric === 'invalidValues' ? rule.arguments.validValues : undefined;
    if (Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string' && !v.includes(','))) return values as string[];
  }
  return undefined;
}

function isPrimitive(type: GlueType, name: string): boolean {
  return type.kind === 'primitive' && type.name === name;
}

function isInteger(type: GlueType): boolean {
  return type.kind === 'primitive' && ['tinyint', 'smallint', 'int', 'bigint'].includes(type.name);
}
