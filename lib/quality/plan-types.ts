/**
 * The quality plan's intermediate form: what to measure (expressions over one table) and how to
 * judge it (thresholds), independent of any SQL dialect. `compile.ts` turns it into statements for
 * Athena (Trino) or DuckDB; `evaluate.ts` judges the numbers that come back.
 */
import type { Origin, QualityThreshold } from '../contract/model.js';

/** A predicate on one row. Columns are physical names; values are literals. */
export type Condition =
  | { readonly op: 'isNull' | 'notNull'; readonly column: string }
  | { readonly op: 'in'; readonly column: string; readonly values: readonly Literal[] }
  | { readonly op: 'regexMismatch'; readonly column: string; readonly pattern: string }
  | { readonly op: 'compare'; readonly column: string; readonly comparator: Comparator; readonly value: Literal; readonly length?: boolean }
  | { readonly op: 'not'; readonly condition: Condition }
  | { readonly op: 'and' | 'or'; readonly conditions: readonly Condition[] };

export type Comparator = '<' | '<=' | '>' | '>=';

export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'date'; readonly value: string }
  | { readonly kind: 'timestamp'; readonly value: string }
  | { readonly kind: 'null' };

/** An aggregate over the rows in scope. */
export type Measure =
  | { readonly op: 'count' }
  | { readonly op: 'countIf'; readonly condition: Condition }
  /** Surplus rows: rows whose key (all columns non-null) already appeared. */
  | { readonly op: 'duplicates'; readonly columns: readonly string[] }
  | { readonly op: 'max' | 'min'; readonly column: string };

/**
 * `full`: the whole table. `latest`: only the newest partitions (`partitionColumn >= since`, a
 * value the runner computes from the day it runs), so a daily check never rescans history. Rules
 * are `full` unless they opt in: a uniqueness rule limited to one day would miss duplicates.
 */
export type Scope = { readonly kind: 'full' } | { readonly kind: 'latest'; readonly partitionColumn: string; readonly days: number };

export type CheckSource = 'contract' | 'schema' | 'sla';

interface CheckBase {
  /** Stable within a plan: `<table>.<column or *>.<what>`, suffixed when repeated. */
  readonly id: string;
  /** What a person reads in a report: the rule's name or a generated description. */
  readonly name: string;
  /** The contract table (logical name) and its physical name. */
  readonly table: string;
  readonly physicalTable: string;
  readonly column?: string;
  readonly dimension: string;
  readonly severity: string;
  readonly source: CheckSource;
  readonly origin?: Origin;
}

/** Fused into the table's single aggregate query. */
export interface AggregateCheck extends CheckBase {
  readonly kind: 'aggregate';
  readonly measure: Measure;
  readonly scope: Scope;
  readonly threshold: QualityThreshold;
  /** `percent`: the measure is compared as a share of the rows in scope, 0..100. */
  readonly unit: 'rows' | 'percent';
}

/** An SLA measured as the age of the newest (latency) or oldest (retention) value of a column. */
export interface AgeCheck extends CheckBase {
  readonly kind: 'age';
  readonly measure: { readonly op: 'max' | 'min'; readonly column: string };
  readonly columnType: 'date' | 'timestamp';
  /** The newest value must be at most this old (latency), or the oldest at most this old (retention). */
  readonly maxAgeMs: number;
  readonly scope: { readonly kind: 'full' };
}

/** A contract `sql` rule: its own statement, returning one number in the first column. */
export interface SqlCheck extends CheckBase {
  readonly kind: 'sql';
  /** The query as written, with `${table}`-style placeholders resolved by the compiler. */
  readonly query: string;
  readonly threshold: QualityThreshold;
}

/** Rows of `table.columns` with no match in `parent.parentColumns`: an anti-join of its own. */
export interface ReferenceCheck extends CheckBase {
  readonly kind: 'reference';
  readonly columns: readonly string[];
  readonly parentTable: string;
  readonly parentPhysicalTable: string;
  readonly parentColumns: readonly string[];
  readonly threshold: QualityThreshold;
}

export type Check = AggregateCheck | AgeCheck | SqlCheck | ReferenceCheck;

export interface TablePlan {
  readonly table: string;
  readonly physicalTable: string;
  readonly checks: readonly Check[];
}

export interface QualityPlan {
  readonly product: string;
  readonly version: string;
  readonly domain: string;
  readonly tables: readonly TablePlan[];
  /** Rules that cannot run (text and custom rules), with the reason, so nothing is silently dropped. */
  readonly skipped: readonly { readonly name: string; readonly reason: string; readonly origin?: Origin }[];
}
