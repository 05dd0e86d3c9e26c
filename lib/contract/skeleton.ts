/**
 * A contract skeleton from what a team already has (a table's columns and a profile of its data):
 * ODCS v3.1 YAML whose schema and suggested quality rules come from the data, and whose decisions
 * that only a person can make (domain, owners, support, classifications, SLAs) are left out with a
 * `# TODO` comment where they go. Validation reports exactly those as readiness findings.
 */
import { stringify } from 'yaml';

/** One column as the data shows it. */
export interface ProfiledColumn {
  readonly name: string;
  /** The engine's type name, e.g. DuckDB's `BIGINT`, `DECIMAL(12,2)`, `TIMESTAMP WITH TIME ZONE`. */
  readonly type: string;
  readonly partition: boolean;
  readonly rows: number;
  readonly nulls: number;
  readonly distinct: number;
  readonly min?: number | string;
  readonly max?: number | string;
  /** The distinct values, when there are few (low-cardinality strings). */
  readonly values?: readonly string[];
}

export interface SkeletonInput {
  readonly id: string;
  readonly table: string;
  readonly columns: readonly ProfiledColumn[];
  readonly rows: number;
  /** Where the data came from, for the description. */
  readonly source: string;
}

/** Few enough distinct values to suggest them as the allowed list. */
export const MAX_SUGGESTED_VALUES = 12;

type Mapped = { logicalType: string; physicalType: string; numeric: boolean };

/** DuckDB (and Glue) type names to an ODCS logical type and a Glue physical type. */
export function mapType(type: string): Mapped {
  const t = type.trim().toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (decimal) return { logicalType: 'number', physicalType: `decimal(${decimal[1]},${decimal[2]})`, numeric: true };
  if (/^(BIGINT|INT8|LONG|HUGEINT|UBIGINT)$/.test(t)) return { logicalType: 'integer', physicalType: 'bigint', numeric: true };
  if (/^(INTEGER|INT|INT4|UINTEGER)$/.test(t)) return { logicalType: 'integer', physicalType: 'int', numeric: true };
  if (/^(SMALLINT|INT2|USMALLINT)$/.test(t)) return { logicalType: 'integer', physicalType: 'smallint', numeric: true };
  if (/^(TINYINT|INT1|UTINYINT)$/.test(t)) return { logicalType: 'integer', physicalType: 'tinyint', numeric: true };
  if (/^(DOUBLE|FLOAT8)$/.test(t)) return { logicalType: 'number', physicalType: 'double', numeric: true };
  if (/^(FLOAT|REAL|FLOAT4)$/.test(t)) return { logicalType: 'number', physicalType: 'float', numeric: true };
  if (/^BOOL(EAN)?$/.test(t)) return { logicalType: 'boolean', physicalType: 'boolean', numeric: false };
  if (t === 'DATE') return { logicalType: 'date', physicalType: 'date', numeric: false };
  if (t.startsWith('TIMESTAMP')) return { logicalType: 'timestamp', physicalType: 'timestamp', numeric: false };
  return { logicalType: 'string', physicalType: 'string', numeric: false };
}

/** A Glue/Athena-safe name: lower-case letters, digits and underscores. */
export function glueName(name: string): string {
  const cleaned = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

export function contractSkeleton(input: SkeletonInput): string {
  let partitionPosition = 0;
  const properties = input.columns.map((column) => {
    const mapped = mapType(column.type);
    const physicalName = glueName(column.name);
    const property: Record<string, unknown> = { name: column.name };
    if (physicalName !== column.name) property.physicalName = physicalName;
    property.logicalType = mapped.logicalType;
    property.physicalType = mapped.physicalType;
    if (column.rows > 0 && column.nulls === 0) property.required = true;
    if (column.rows > 1 && column.nulls === 0 && column.distinct === column.rows && !column.partition) property.unique = true;
    if (column.partition) {
      property.partitioned = true;
      property.partitionKeyPosition = ++partitionPosition;
    }
    if (mapped.numeric && typeof column.min === 'number' && typeof column.max === 'number') {
      property.logicalTypeOptions = { minimum: column.min, maximum: column.max };
    }
    if (mapped.logicalType === 'string' && column.values && column.values.length > 0 && column.values.length <= MAX_SUGGESTED_VALUES && column.rows >= 2 * column.values.length) {
      property.quality = [
        {
          name: `${physicalName} is one of the values seen`,
          metric: 'invalidValues',
          arguments: { validValues: [...column.values].sort() },
          mustBe: 0,
          description: `Suggested from the data: ${column.values.length} distinct values in ${column.rows} rows.`,
        },
      ];
    }
    return property;
  });
  const document = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: input.id,
    name: input.id,
    version: '0.1.0',
    status: 'draft',
    description: { purpose: `Imported by tessera import from ${input.source}; review every suggestion.` },
    schema: [
      {
        name: input.table,
        physicalName: glueName(input.table),
        physicalType: 'table',
        properties,
        quality: [{ name: 'the table is not empty', metric: 'rowCount', mustBeGreaterThan: 0, description: `Suggested: ${input.rows} rows at import.` }],
      },
    ],
  };
  return skeletonText(input.source, document);
}

/** What only a person can decide; left out of the skeleton, so validation reports each one. */
export const SKELETON_TODO: readonly string[] = [
  '# TODO domain: the owning domain, as the mesh config names it (e.g. domain: orders)',
  '# TODO team: {name: ..., members: [{username: ..., role: Owner}]}',
  '# TODO support: [{channel: "#your-data", tool: slack}]',
  '# TODO classification: on every column, one of the mesh classifications (public, internal, confidential, restricted)',
  '# TODO slaProperties: latency and retention, e.g. [{property: latency, value: 1, unit: d, element: <table>.<date column>}]',
];

/** The skeleton's YAML: a header naming its source and the TODOs, then the document. */
export function skeletonText(source: string, document: Readonly<Record<string, unknown>>, extraTodo: readonly string[] = []): string {
  const header = [
    `# A contract skeleton written by \`tessera import\` from ${source}.`,
    ...SKELETON_TODO,
    ...extraTodo,
    '# `tessera validate` lists each of these as a readiness finding until it is decided.',
  ];
  return `${header.join('\n')}\n${stringify(document, { lineWidth: 0 })}`;
}
