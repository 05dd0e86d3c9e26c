/**
 * The quality planner: every check a contract implies, as dialect-free intermediate form.
 *  - the contract's `library` rules (rowCount, nullValues, missingValues, invalidValues with
 *    validValues or pattern, duplicateValues per column or across `arguments.properties`);
 *  - the schema's implicit rules: `required`, `unique`, the primary key, and `logicalTypeOptions`
 *    (minimum/maximum and their exclusive forms, minLength/maxLength, pattern);
 *  - SLAs: latency (freshness) from max(element), retention from min(element);
 *  - `sql` rules (as their own statements, after the read-only guard) and relationships inside the
 *    contract (as anti-joins).
 * A rule runs on the full table unless it opts into the newest partitions with the custom property
 * `scope: latest` (see `Scope`).
 */
import type { Column, DataContract, QualityRule, QualityThreshold, Table } from '../contract/model.js';
import { allColumns } from '../contract/model.js';
import type { AggregateCheck, AgeCheck, Check, Condition, Literal, Measure, QualityPlan, ReferenceCheck, Scope, SqlCheck, TablePlan } from './plan-types.js';
import { checkReadOnlySelect } from './sql-guard.js';

const ZERO: QualityThreshold = { operator: 'mustBe', value: 0 };
const FULL = { kind: 'full' } as const satisfies Scope;

export class PlanError extends Error {
  constructor(
    message: string,
    readonly origin?: QualityRule['origin'],
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

export function planQuality(contract: DataContract): QualityPlan {
  const skipped: { name: string; reason: string; origin?: QualityRule['origin'] }[] = [];
  const tables: TablePlan[] = contract.tables.map((table) => {
    const ids = new Map<string, number>();
    const uniqueId = (base: string): string => {
      const n = (ids.get(base) ?? 0) + 1;
      ids.set(base, n);
      return n === 1 ? base : `${base}#${n}`;
    };
    const checks: Check[] = [];
    const base = (column: Column | undefined) => ({ table: table.name, physicalTable: table.physicalName, ...(column ? { column: column.physicalName } : {}) });

    // 1. Contract rules, table-level then column-level, in document order.
    const rules: { rule: QualityRule; column?: Column }[] = [
      ...table.quality.map((rule) => ({ rule })),
      ...table.columns.flatMap((column) => column.quality.map((rule) => ({ rule, column }))),
    ];
    for (const { rule, column } of rules) {
      const name = rule.name ?? rule.id ?? describeRule(rule, table, column);
      if (rule.type === 'text' || rule.type === 'custom') {
        skipped.push({ name, reason: `${rule.type} rules are documentation for people (custom: engine '${rule.engine ?? 'unknown'}'), not something Tessera runs`, origin: rule.origin });
        continue;
      }
      const common = { ...base(column), name, dimension: rule.dimension ?? dimensionOf(rule), severity: rule.severity, source: 'contract' as const, origin: rule.origin };
      if (rule.type === 'sql') {
        const guarded = checkReadOnlySelect(rule.query ?? '');
        if (!guarded.ok) throw new PlanError(`quality rule '${name}' on ${table.name}: ${guarded.problem}`, rule.origin);
        if (!rule.threshold) throw new PlanError(`quality rule '${name}' on ${table.name} has no numeric threshold`, rule.origin);
        checks.push({ kind: 'sql', id: uniqueId(`${table.name}.${column?.physicalName ?? '*'}.sql`), ...common, query: rule.query!, threshold: rule.threshold } satisfies SqlCheck);
        continue;
      }
      if (!rule.metric || !rule.threshold) throw new PlanError(`quality rule '${name}' on ${table.name} needs a metric and a numeric threshold`, rule.origin);
      const measure = libraryMeasure(rule, table, column);
      checks.push({
        kind: 'aggregate',
        id: uniqueId(`${table.name}.${column?.physicalName ?? '*'}.${rule.metric}`),
        ...common,
        measure,
        scope: scopeOf(rule, table),
        threshold: rule.threshold,
        unit: rule.unit,
      } satisfies AggregateCheck);
    }

    // 2. What the schema says, unless a contract rule already measures the same thing.
    const measured = new Set(checks.filter((c): c is AggregateCheck => c.kind === 'aggregate').map((c) => measureKey(c.measure)));
    const implicit = (column: Column | undefined, what: string, measure: Measure, dimension: string, description: string): void => {
      if (measured.has(measureKey(measure))) return;
      measured.add(measureKey(measure));
      checks.push({
        kind: 'aggregate',
        id: uniqueId(`${table.name}.${column?.physicalName ?? '*'}.${what}`),
        ...base(column),
        name: description,
        dimension,
        severity: 'error',
        source: 'schema',
        origin: column?.origin ?? table.origin,
        measure,
        scope: FULL,
        threshold: ZERO,
        unit: 'rows',
      });
    };
    for (const column of table.columns) {
      const c = column.physicalName;
      if (column.required || column.primaryKeyPosition !== undefined) implicit(column, 'required', { op: 'countIf', condition: { op: 'isNull', column: c } }, 'completeness', `${c} is never null (required)`);
      if (column.unique) implicit(column, 'unique', { op: 'duplicates', columns: [c] }, 'uniqueness', `${c} is unique`);
      for (const [what, condition, description] of optionChecks(column)) implicit(column, what, { op: 'countIf', condition }, 'conformity', description);
    }
    if (table.primaryKey.length > 0) {
      const key = table.primaryKey.map((c) => c.physicalName);
      implicit(undefined, 'primaryKey', { op: 'duplicates', columns: key }, 'uniqueness', `primary key (${key.join(', ')}) is unique`);
    }

    // 3. Relationships to other tables of this contract.
    for (const rel of [...table.relationships, ...[...allColumns(table)].flatMap((c) => c.relationships)]) {
      const check = referenceCheck(contract, table, rel.from, rel.to, uniqueId);
      if (check) checks.push(check);
      else skipped.push({ name: `relationship ${rel.from.join(', ')} -> ${rel.to.join(', ')}`, reason: 'it points outside this contract; cross-product references are checked by the consumer', origin: rel.origin });
    }
    return { table: table.name, physicalTable: table.physicalName, checks };
  });

  // 4. SLAs on columns.
  for (const sla of contract.sla) {
    const property = sla.property.toLowerCase();
    const kind = property === 'latency' || property === 'freshness' ? 'latency' : property === 'retention' ? 'retention' : undefined;
    if (!kind || sla.durationMs === undefined) continue;
    for (const element of sla.elements) {
      const tableIndex = contract.tables.findIndex((t) => t.name.toLowerCase() === element.table.toLowerCase() || t.physicalName.toLowerCase() === element.table.toLowerCase());
      const table = contract.tables[tableIndex];
      const column = table?.columns.find((c) => c.name.toLowerCase() === element.column.toLowerCase() || c.physicalName.toLowerCase() === element.column.toLowerCase());
      if (!table || !column) throw new PlanError(`SLA '${sla.property}' names ${element.table}.${element.column}, which the contract does not have`, sla.origin);
      const type = column.glueType;
      const columnType = type?.kind === 'primitive' && (type.name === 'date' || type.name === 'timestamp') ? type.name : undefined;
      if (!columnType) throw new PlanError(`SLA '${sla.property}' is measured on ${table.name}.${column.name}, which is not a date or timestamp column`, sla.origin);
      const plan = tables[tableIndex]!;
      const check: AgeCheck = {
        kind: 'age',
        id: `${table.name}.${column.physicalName}.${kind}`,
        name: kind === 'latency' ? `${sla.property}: newest ${column.physicalName} at most ${formatDuration(sla.durationMs)} old` : `retention: oldest ${column.physicalName} at most ${formatDuration(sla.durationMs)} old`,
        table: table.name,
        physicalTable: table.physicalName,
        column: column.physicalName,
        dimension: kind === 'latency' ? 'timeliness' : 'consistency',
        severity: 'error',
        source: 'sla',
        origin: sla.origin,
        measure: { op: kind === 'latency' ? 'max' : 'min', column: column.physicalName },
        columnType,
        maxAgeMs: sla.durationMs,
        scope: FULL,
      };
      tables[tableIndex] = { ...plan, checks: [...plan.checks, check] };
    }
  }
  return { product: contract.id, version: contract.version, domain: contract.domain ?? '', tables, skipped };
}

function libraryMeasure(rule: QualityRule, table: Table, column: Column | undefined): Measure {
  const where = `quality rule '${rule.name ?? rule.metric}' on ${table.name}${column ? `.${column.name}` : ''}`;
  const c = column?.physicalName;
  const needColumn = (): string => {
    if (!c) throw new PlanError(`${where}: metric ${rule.metric} measures a column; move it under the column`, rule.origin);
    return c;
  };
  switch (rule.metric) {
    case 'rowCount':
      return { op: 'count' };
    case 'nullValues':
      return { op: 'countIf', condition: { op: 'isNull', column: needColumn() } };
    case 'missingValues': {
      const col = needColumn();
      const listed = rule.arguments.missingValues ?? [null];
      const values = listed.filter((v) => v !== null).map((v) => literalFor(v, column!, where));
      const conditions: Condition[] = [{ op: 'isNull', column: col }];
      if (values.length > 0) conditions.push({ op: 'in', column: col, values });
      return { op: 'countIf', condition: conditions.length === 1 ? conditions[0]! : { op: 'or', conditions } };
    }
    case 'invalidValues': {
      const col = needColumn();
      // Nulls are not invalid: whether a value may be missing is nullValues' and `required`'s job.
      if (rule.arguments.validValues !== undefined) {
        const values = rule.arguments.validValues.filter((v) => v !== null).map((v) => literalFor(v, column!, where));
        return { op: 'countIf', condition: { op: 'and', conditions: [{ op: 'notNull', column: col }, { op: 'not', condition: { op: 'in', column: col, values } }] } };
      }
      if (typeof rule.arguments.pattern === 'string') return { op: 'countIf', condition: { op: 'regexMismatch', column: col, pattern: rule.arguments.pattern } };
      throw new PlanError(`${where}: invalidValues needs arguments.validValues or arguments.pattern`, rule.origin);
    }
    case 'duplicateValues': {
      if (c) return { op: 'duplicates', columns: [c] };
      const names = rule.arguments.properties;
      if (!Array.isArray(names) || names.length === 0) throw new PlanError(`${where}: a table-level duplicateValues needs arguments.properties`, rule.origin);
      return {
        op: 'duplicates',
        columns: names.map((n) => {
          const col = table.columns.find((x) => x.name === n || x.physicalName === n);
          if (!col) throw new PlanError(`${where}: arguments.properties names '${String(n)}', which the table does not have`, rule.origin);
          return col.physicalName;
        }),
      };
    }
    default:
      throw new PlanError(`${where}: unknown metric '${String(rule.metric)}'`, rule.origin);
  }
}

/** Conditions that count the values violating a column's logicalTypeOptions. */
function optionChecks(column: Column): [string, Condition, string][] {
  const o = column.logicalTypeOptions;
  const c = column.physicalName;
  const out: [string, Condition, string][] = [];
  const bound = (v: unknown): Literal | undefined => {
    if (typeof v === 'number' && Number.isFinite(v)) return { kind: 'number', value: v };
    if (typeof v === 'string' && (column.logicalType === 'date' || column.logicalType === 'timestamp')) return { kind: column.logicalType, value: v };
    return undefined;
  };
  // JSON Schema 2019 style: exclusiveMinimum is a number; older style: a boolean next to minimum.
  const exclusiveMin = typeof o.exclusiveMinimum === 'number' ? bound(o.exclusiveMinimum) : undefined;
  const exclusiveMax = typeof o.exclusiveMaximum === 'number' ? bound(o.exclusiveMaximum) : undefined;
  const minimum = bound(o.minimum);
  const maximum = bound(o.maximum);
  if (minimum) out.push(['minimum', { op: 'compare', column: c, comparator: o.exclusiveMinimum === true ? '<=' : '<', value: minimum }, `${c} ${o.exclusiveMinimum === true ? '>' : '>='} ${show(minimum)}`]);
  if (exclusiveMin) out.push(['exclusiveMinimum', { op: 'compare', column: c, comparator: '<=', value: exclusiveMin }, `${c} > ${show(exclusiveMin)}`]);
  if (maximum) out.push(['maximum', { op: 'compare', column: c, comparator: o.exclusiveMaximum === true ? '>=' : '>', value: maximum }, `${c} ${o.exclusiveMaximum === true ? '<' : '<='} ${show(maximum)}`]);
  if (exclusiveMax) out.push(['exclusiveMaximum', { op: 'compare', column: c, comparator: '>=', value: exclusiveMax }, `${c} < ${show(exclusiveMax)}`]);
  if (typeof o.minLength === 'number') out.push(['minLength', { op: 'compare', column: c, comparator: '<', value: { kind: 'number', value: o.minLength }, length: true }, `length(${c}) >= ${o.minLength}`]);
  if (typeof o.maxLength === 'number') out.push(['maxLength', { op: 'compare', column: c, comparator: '>', value: { kind: 'number', value: o.maxLength }, length: true }, `length(${c}) <= ${o.maxLength}`]);
  if (typeof o.pattern === 'string' && (column.logicalType === 'string' || column.logicalType === undefined)) {
    out.push(['pattern', { op: 'regexMismatch', column: c, pattern: o.pattern }, `${c} matches ${o.pattern}`]);
  }
  return out;
}

function referenceCheck(contract: DataContract, table: Table, from: readonly string[], to: readonly string[], uniqueId: (b: string) => string): ReferenceCheck | undefined {
  const resolve = (ref: string): { table: Table; column: Column } | undefined => {
    const dot = ref.indexOf('.');
    if (dot < 0) return undefined;
    const t = contract.tables.find((x) => x.name === ref.slice(0, dot) || x.physicalName === ref.slice(0, dot));
    const col = t?.columns.find((x) => x.name === ref.slice(dot + 1) || x.physicalName === ref.slice(dot + 1));
    return t && col ? { table: t, column: col } : undefined;
  };
  const children = from.map(resolve);
  const parents = to.map(resolve);
  if (children.length === 0 || children.length !== parents.length || children.some((c) => !c || c.table !== table) || parents.some((p) => !p)) return undefined;
  const parentTable = parents[0]!.table;
  if (parents.some((p) => p!.table !== parentTable)) return undefined;
  const columns = children.map((c) => c!.column.physicalName);
  return {
    kind: 'reference',
    id: uniqueId(`${table.name}.${columns.join('+')}.references`),
    name: `${table.physicalName}(${columns.join(', ')}) references ${parentTable.physicalName}(${parents.map((p) => p!.column.physicalName).join(', ')})`,
    table: table.name,
    physicalTable: table.physicalName,
    column: columns.length === 1 ? columns[0] : undefined,
    dimension: 'consistency',
    severity: 'error',
    source: 'schema',
    columns,
    parentTable: parentTable.name,
    parentPhysicalTable: parentTable.physicalName,
    parentColumns: parents.map((p) => p!.column.physicalName),
    threshold: ZERO,
  };
}

function scopeOf(rule: QualityRule, table: Table): Scope {
  const requested = rule.customProperties.scope;
  if (requested === undefined || requested === 'full') return FULL;
  if (requested !== 'latest') throw new PlanError(`quality rule '${rule.name ?? rule.metric}': scope must be 'full' or 'latest', not ${JSON.stringify(requested)}`, rule.origin);
  if (rule.metric === 'duplicateValues') throw new PlanError(`quality rule '${rule.name ?? rule.metric}': a uniqueness rule cannot be limited to the latest partitions, or duplicates across days go unseen`, rule.origin);
  const partition = table.partitionKeys.find((c) => c.glueType?.kind === 'primitive' && c.glueType.name === 'date');
  if (!partition) throw new PlanError(`quality rule '${rule.name ?? rule.metric}': scope 'latest' needs a table partitioned by a date column`, rule.origin);
  const days = rule.customProperties.scopeDays;
  return { kind: 'latest', partitionColumn: partition.physicalName, days: typeof days === 'number' && days >= 1 ? days : 1 };
}

function literalFor(value: unknown, column: Column, where: string): Literal {
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'string', value: String(value) };
  if (typeof value === 'string') {
    if (column.logicalType === 'date') return { kind: 'date', value };
    if (column.logicalType === 'timestamp') return { kind: 'timestamp', value };
    if (column.logicalType === 'integer' || column.logicalType === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new PlanError(`${where}: '${value}' is not a number, but the column is numeric`);
      return { kind: 'number', value: n };
    }
    return { kind: 'string', value };
  }
  throw new PlanError(`${where}: value ${JSON.stringify(value)} cannot be compared with column ${column.name}`);
}

/** Two measures with the same key compute the same number. */
export function measureKey(measure: Measure): string {
  return JSON.stringify(measure);
}

function describeRule(rule: QualityRule, table: Table, column: Column | undefined): string {
  return `${rule.metric ?? rule.type} on ${table.name}${column ? `.${column.name}` : ''}`;
}

function dimensionOf(rule: QualityRule): string {
  switch (rule.metric) {
    case 'nullValues':
    case 'missingValues':
    case 'rowCount':
      return 'completeness';
    case 'duplicateValues':
      return 'uniqueness';
    default:
      return 'conformity';
  }
}

function show(literal: Literal): string {
  return literal.kind === 'null' ? 'null' : String(literal.value);
}

export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [365 * 86_400_000, 'y'],
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}
