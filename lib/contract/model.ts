/**
 * The typed model of an ODCS v3.1 data contract that the rest of Tessera uses: constructs (Glue
 * tables, LF-tags), the quality planner, the catalog and the CLI. Built by `loadContract` from a
 * contract that passed the official JSON Schema; every element remembers where it came from.
 */
import type { SourcePosition, YamlPath } from '../diagnostics.js';
import type { GlueType } from './glue-types.js';

export const LOGICAL_TYPES = [
  'string',
  'date',
  'timestamp',
  'time',
  'number',
  'integer',
  'object',
  'array',
  'boolean',
] as const;
export type LogicalType = (typeof LOGICAL_TYPES)[number];

/** Where a model element was declared. */
export interface Origin {
  readonly file: string;
  readonly path: YamlPath;
  readonly position?: SourcePosition;
}

export interface DataContract {
  readonly apiVersion: string;
  readonly id: string;
  readonly name?: string;
  readonly version: string;
  readonly status: string;
  readonly domain?: string;
  readonly tenant?: string;
  /** Deprecated in ODCS 3.1 but still common; kept for display. */
  readonly dataProduct?: string;
  readonly description: ContractDescription;
  readonly tags: readonly string[];
  readonly tables: readonly Table[];
  readonly team?: Team;
  /** Team members whose role names them an owner. */
  readonly owners: readonly TeamMember[];
  readonly support: readonly SupportChannel[];
  readonly sla: readonly SlaProperty[];
  readonly servers: readonly Server[];
  readonly roles: readonly ContractRole[];
  readonly customProperties: Readonly<Record<string, unknown>>;
  /** The file the contract was read from, its exact text and the sha256 of that text (UTF-8). */
  readonly source: { readonly file: string; readonly sha256: string; readonly text: string };
  /** The parsed document as plain data (what the official schema validated). */
  readonly document: Readonly<Record<string, unknown>>;
}

export interface ContractDescription {
  readonly purpose?: string;
  readonly usage?: string;
  readonly limitations?: string;
}

export interface Table {
  /** Logical name, as consumers know it. */
  readonly name: string;
  /** Name of the table in the catalog: `physicalName`, else `name`. */
  readonly physicalName: string;
  readonly physicalType?: string;
  readonly businessName?: string;
  readonly description?: string;
  readonly dataGranularityDescription?: string;
  readonly tags: readonly string[];
  readonly columns: readonly Column[];
  /** Columns of the primary key, ordered by `primaryKeyPosition`. */
  readonly primaryKey: readonly Column[];
  /** Partition columns, ordered by `partitionKeyPosition`. */
  readonly partitionKeys: readonly Column[];
  /** Table-level quality rules (column rules live on their column). */
  readonly quality: readonly QualityRule[];
  readonly relationships: readonly Relationship[];
  readonly origin: Origin;
}

export interface Column {
  readonly name: string;
  /** Name of the column in the catalog: `physicalName`, else `name`. */
  readonly physicalName: string;
  readonly businessName?: string;
  readonly description?: string;
  readonly logicalType?: LogicalType;
  readonly physicalType?: string;
  /** The Glue/Athena type, or undefined when the column's type cannot be mapped. */
  readonly glueType?: GlueType;
  readonly required: boolean;
  readonly unique: boolean;
  /** 1-based position in the primary key, or undefined when not part of it. */
  readonly primaryKeyPosition?: number;
  /** 1-based position among the partition keys, or undefined when not a partition key. */
  readonly partitionKeyPosition?: number;
  readonly classification?: string;
  readonly criticalDataElement: boolean;
  readonly logicalTypeOptions: Readonly<Record<string, unknown>>;
  readonly tags: readonly string[];
  readonly examples: readonly unknown[];
  readonly quality: readonly QualityRule[];
  /** Sub-properties of an `object` column. */
  readonly fields: readonly Column[];
  /** Element description of an `array` column. */
  readonly items?: Column;
  readonly relationships: readonly Relationship[];
  readonly origin: Origin;
}

export const QUALITY_METRICS = ['nullValues', 'missingValues', 'invalidValues', 'duplicateValues', 'rowCount'] as const;
export type QualityMetric = (typeof QUALITY_METRICS)[number];

export const QUALITY_OPERATORS = [
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
] as const;
export type QualityOperatorName = (typeof QUALITY_OPERATORS)[number];

export type QualityThreshold =
  | { readonly operator: Exclude<QualityOperatorName, 'mustBeBetween' | 'mustNotBeBetween'>; readonly value: number }
  | { readonly operator: 'mustBeBetween' | 'mustNotBeBetween'; readonly range: readonly [number, number] };

export interface QualityRule {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly type: 'library' | 'sql' | 'text' | 'custom';
  readonly metric?: QualityMetric;
  readonly arguments: QualityArguments;
  readonly query?: string;
  readonly engine?: string;
  readonly implementation?: unknown;
  readonly threshold?: QualityThreshold;
  readonly unit: 'rows' | 'percent';
  readonly dimension?: string;
  /** `error` unless the contract says otherwise. */
  readonly severity: string;
  readonly businessImpact?: string;
  readonly method?: string;
  readonly schedule?: string;
  readonly scheduler?: string;
  readonly tags: readonly string[];
  /** The rule's `customProperties` as property → value (e.g. Tessera's `scope: latest`). */
  readonly customProperties: Readonly<Record<string, unknown>>;
  /** What the rule is attached to: a table, or a column of it. */
  readonly target: { readonly table: string; readonly column?: string };
  readonly origin: Origin;
}

export interface QualityArguments {
  readonly validValues?: readonly unknown[];
  readonly missingValues?: readonly unknown[];
  readonly pattern?: string;
  /** For table-level `duplicateValues`: the columns that together must be unique. */
  readonly properties?: readonly string[];
  readonly [key: string]: unknown;
}

export interface Relationship {
  readonly type: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly origin: Origin;
}

export interface SlaProperty {
  /** As written, e.g. `latency`, `retention`. */
  readonly property: string;
  readonly value: string | number | boolean | null;
  readonly valueExt?: unknown;
  readonly unit?: string;
  /** `value` + `unit` as a duration, when the property is time-based and the unit is known. */
  readonly durationMs?: number;
  /** The columns the SLA is measured on, parsed from `element` (`table.column[, ...]`). */
  readonly elements: readonly { readonly table: string; readonly column: string }[];
  readonly driver?: string;
  readonly description?: string;
  readonly schedule?: string;
  readonly scheduler?: string;
  readonly origin: Origin;
}

export interface Team {
  readonly name?: string;
  readonly description?: string;
  readonly members: readonly TeamMember[];
}

export interface TeamMember {
  readonly username: string;
  readonly name?: string;
  readonly role?: string;
  readonly dateIn?: string;
  readonly dateOut?: string;
}

export interface SupportChannel {
  readonly channel: string;
  readonly tool?: string;
  readonly url?: string;
  readonly scope?: string;
  readonly description?: string;
}

export interface Server {
  readonly server: string;
  readonly type: string;
  readonly environment?: string;
  readonly [key: string]: unknown;
}

export interface ContractRole {
  readonly role: string;
  readonly access?: string;
  readonly description?: string;
}

/** Walks every column of a table, including nested object fields and array items. */
export function* allColumns(table: Table): Generator<Column> {
  const stack = [...table.columns].reverse();
  while (stack.length > 0) {
    const column = stack.pop()!;
    yield column;
    if (column.items) stack.push(column.items);
    stack.push(...[...column.fields].reverse());
  }
}

/** Every quality rule of a contract: table-level first, then column-level, in document order. */
export function allQualityRules(contract: DataContract): QualityRule[] {
  return contract.tables.flatMap((t) => [...t.quality, ...[...allColumns(t)].flatMap((c) => c.quality)]);
}
