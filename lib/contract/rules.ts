/**
 * Tessera's semantic rules over a contract the official schema accepted. Each finding has a level:
 * - `standard`: the contract contradicts itself (duplicate names, broken key positions...); an error
 *   for any ODCS contract;
 * - `product`: what a Tessera data product needs to be deployed and governed (a domain, a semver
 *   version, Glue-mappable types, classifications from the ontology, owners...); an error under the
 *   `product` profile, a warning under `odcs`;
 * - `advice`: always a warning.
 */
import semver from 'semver';
import { formatYamlPath, type Diagnostic, type YamlPath } from '../diagnostics.js';
import { valueAt, type YamlSource } from '../yaml-source.js';
import { DURATION_UNITS, parseDuration, TIME_SLA_PROPERTIES } from './durations.js';
import { checkReadOnlySelect } from '../quality/sql-guard.js';
import { isPartitionableType } from './glue-types.js';
import { allColumns, type Column, type DataContract, type QualityRule, type Table } from './model.js';

export type RuleLevel = 'standard' | 'product' | 'advice';

export interface RuleFinding {
  readonly level: RuleLevel;
  readonly diagnostic: Omit<Diagnostic, 'severity'>;
}

export interface RuleOptions {
  /** The classification ontology, least to most sensitive. */
  readonly classifications: readonly string[];
}

export const DEFAULT_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;

const KNOWN_STATUSES = ['proposed', 'draft', 'active', 'deprecated', 'retired'];
/** Glue lower-cases names and Athena wants them plain: letters, digits, underscores. */
const GLUE_NAME = /^[a-z_][a-z0-9_]*$/;
const GLUE_NAME_MAX = 255;

type Raw = Record<string, unknown>;

export function checkContractRules(contract: DataContract, source: YamlSource, options: RuleOptions): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const report = (level: RuleLevel, path: YamlPath, code: string, message: string, fix: string, at?: 'key' | 'value'): void => {
    const { severity: _s, ...diagnostic } = source.diagnostic(path, { severity: 'error', code, message, fix, at });
    findings.push({ level, diagnostic });
  };
  const raw = contract.document;

  // --- identity -------------------------------------------------------------------------------
  if (!contract.domain) {
    report('product', [], 'missing-domain', 'the contract has no `domain`', 'add `domain: <owning domain>` as named in the mesh config (e.g. domain: orders)');
  }
  if (!semver.valid(contract.version)) {
    const coerced = semver.coerce(contract.version)?.version;
    report('product', ['version'], 'version-not-semver', `version '${contract.version}' is not a semantic version (MAJOR.MINOR.PATCH)`, coerced ? `write version: "${coerced}"` : 'write e.g. version: "1.0.0"');
  }
  if (!KNOWN_STATUSES.includes(contract.status)) {
    report('advice', ['status'], 'unknown-status', `status '${contract.status}' is not one the standard lists`, `use one of: ${KNOWN_STATUSES.join(', ')}`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(contract.id)) {
    report('product', ['id'], 'bad-id', `id '${contract.id}' cannot name a data product`, 'use letters, digits, dots, dashes and underscores, e.g. id: order-lines');
  }

  // --- ownership ------------------------------------------------------------------------------
  if (!contract.team || contract.team.members.length === 0) {
    report('product', contract.team ? ['team'] : [], 'missing-owner', 'the contract names no team members, so the product has no owner', 'add `team: {name: ..., members: [{username: ..., role: Owner}]}`');
  } else if (contract.owners.length === 0) {
    report('product', ['team', 'members'], 'missing-owner', 'no team member has the role Owner', 'give the accountable member `role: Owner`');
  }
  if (contract.support.length === 0) {
    report('product', [], 'missing-support', 'the contract has no `support` channel for consumers', 'add `support: [{channel: "#orders-data", tool: slack}]`');
  }

  // --- tables and columns ---------------------------------------------------------------------
  if (contract.tables.length === 0) {
    report('product', [], 'no-tables', 'the contract describes no tables (`schema` is empty or missing)', 'add `schema:` with at least one table and its `properties`');
  }
  const duplicateTables = checkUnique(contract.tables, (t) => t.name, (t) => t.origin.path, 'duplicate-table', 'table', report);
  checkUnique(contract.tables, (t) => t.physicalName, (t) => t.origin.path, 'duplicate-table', 'physical table name', report, duplicateTables);
  for (const table of contract.tables) {
    checkGlueName(table.physicalName, [...table.origin.path, rawHas(raw, table.origin.path, 'physicalName') ? 'physicalName' : 'name'], `table '${table.name}'`, report);
    if (table.columns.length === 0) {
      report('product', table.origin.path, 'no-columns', `table '${table.name}' has no properties (columns)`, 'add `properties:` with its columns');
    }
    checkColumns(table.columns, table, report, options, true);
    checkKeyPositions(table, raw, 'primaryKey', 'primaryKeyPosition', 'primary key', report);
    checkKeyPositions(table, raw, 'partitioned', 'partitionKeyPosition', 'partition key', report);
    for (const column of table.partitionKeys) {
      if (column.glueType && !isPartitionableType(column.glueType)) {
        report('product', column.origin.path, 'bad-partition-type', `partition column '${table.name}.${column.name}' has a type Glue cannot partition by`, 'partition by a string, integer, date or decimal column');
      }
    }
    for (const rule of table.quality) checkQualityRule(rule, table, report);
    for (const column of allColumns(table)) for (const rule of column.quality) checkQualityRule(rule, table, report, column);
    for (const rel of [...table.relationships, ...[...allColumns(table)].flatMap((c) => c.relationships)]) {
      for (const [side, refs] of [['from', rel.from], ['to', rel.to]] as const) {
        for (const [i, ref] of refs.entries()) {
          const resolved = resolveReference(contract, ref);
          if (resolved === 'no-table') continue; // another contract's table: cannot be checked here
          if (resolved === 'no-column') {
            const path = typeof valueAt(raw, [...rel.origin.path, side]) === 'string' ? [...rel.origin.path, side] : [...rel.origin.path, side, i];
            report('standard', rawHas(raw, rel.origin.path, side) ? path : rel.origin.path, 'dangling-reference', `relationship ${side} '${ref}' names a column that does not exist`, 'fix the column name after the table name');
          }
        }
      }
    }
  }

  // --- SLAs -----------------------------------------------------------------------------------
  const slaNames = new Set(contract.sla.map((s) => s.property.toLowerCase()));
  for (const sla of contract.sla) {
    const name = sla.property.toLowerCase();
    if (TIME_SLA_PROPERTIES.has(name)) {
      const duration = parseDuration(sla.value, sla.unit);
      if (!duration.ok) {
        const field = duration.problem.includes('unit') && sla.unit !== undefined ? 'unit' : duration.problem.includes('unit') ? undefined : 'value';
        report('product', field ? [...sla.origin.path, field] : sla.origin.path, 'bad-sla-duration', `SLA '${sla.property}': ${duration.problem}`, duration.fix);
      }
    }
    const rawElement = valueAt(raw, [...sla.origin.path, 'element']);
    for (const element of sla.elements) {
      const label = `${element.table}${element.table ? '.' : ''}${element.column}`;
      if (!element.table) {
        report('product', [...sla.origin.path, 'element'], 'bad-sla-element', `SLA '${sla.property}' element '${label}' does not say which table`, `write it as table.column, e.g. ${contract.tables[0]?.name ?? 'orders'}.${element.column}`);
        continue;
      }
      const table = findTable(contract, element.table);
      if (!table) {
        report('product', [...sla.origin.path, 'element'], 'dangling-reference', `SLA '${sla.property}' element '${label}' names table '${element.table}', which the contract does not have`, hint('tables', contract.tables.map((t) => t.name)));
      } else if (!findColumn(table, element.column)) {
        report('product', [...sla.origin.path, 'element'], 'dangling-reference', `SLA '${sla.property}' element '${label}' names column '${element.column}', which table '${table.name}' does not have`, hint('columns', table.columns.map((c) => c.name)));
      }
    }
    if (['latency', 'freshness', 'retention'].includes(name) && sla.elements.length === 0 && contract.tables.length > 0 && typeof rawElement !== 'string') {
      report('product', sla.origin.path, 'bad-sla-element', `SLA '${sla.property}' has no \`element\`, so nothing says which timestamp column to measure`, 'add `element: <table>.<date or timestamp column>`');
    }
  }
  if (contract.tables.length > 0) {
    if (!slaNames.has('latency') && !slaNames.has('freshness')) {
      report('advice', [], 'missing-sla', 'the contract has no latency (freshness) SLA, so staleness cannot be detected', 'add `slaProperties: [{property: latency, value: 1, unit: d, element: <table>.<column>}]`');
    }
    if (!slaNames.has('retention')) {
      report('advice', [], 'missing-sla', 'the contract has no retention SLA, so data is kept forever', 'add `{property: retention, value: 3, unit: y, element: <table>.<column>}` to slaProperties');
    }
  }
  return findings;
}

type Reporter = (level: RuleLevel, path: YamlPath, code: string, message: string, fix: string, at?: 'key' | 'value') => void;

function checkColumns(columns: readonly Column[], table: Table, report: Reporter, options: RuleOptions, topLevel: boolean): void {
  const duplicateColumns = checkUnique(columns, (c) => c.name, (c) => c.origin.path, 'duplicate-column', `column in '${table.name}'`, report);
  checkUnique(columns, (c) => c.physicalName, (c) => c.origin.path, 'duplicate-column', `physical column name in '${table.name}'`, report, duplicateColumns);
  for (const column of columns) {
    const label = `'${table.name}.${column.name}'`;
    checkGlueName(column.physicalName, [...column.origin.path, column.physicalName !== column.name ? 'physicalName' : 'name'], `column ${label}`, report);
    if (topLevel) {
      if (column.classification === undefined) {
        report('product', column.origin.path, 'missing-classification', `column ${label} has no classification, so Lake Formation cannot tag it`, `add \`classification:\` with one of: ${options.classifications.join(', ')}`);
      } else if (!options.classifications.includes(column.classification)) {
        const lower = options.classifications.find((c) => c.toLowerCase() === column.classification!.toLowerCase());
        report('product', [...column.origin.path, 'classification'], 'unknown-classification', `column ${label} has classification '${column.classification}', which is not in the mesh's ontology`, lower ? `write '${lower}'` : `use one of: ${options.classifications.join(', ')}`);
      }
    }
    if (column.partitionKeyPosition !== undefined && !topLevel) {
      report('standard', [...column.origin.path, 'partitioned'], 'bad-partition-key', `nested field ${label} cannot be a partition key`, 'partition by a top-level column');
    }
    checkColumns(column.fields, table, report, options, false);
  }
}

function checkKeyPositions(
  table: Table,
  raw: Raw,
  flag: 'primaryKey' | 'partitioned',
  positionField: 'primaryKeyPosition' | 'partitionKeyPosition',
  what: string,
  report: Reporter,
): void {
  const members: { column: Column; position: number | undefined }[] = [];
  for (const column of table.columns) {
    const rawColumn = valueAt(raw, column.origin.path) as Raw;
    const position = rawColumn[positionField];
    const inKey = rawColumn[flag] === true;
    if (!inKey && typeof position === 'number' && position >= 1) {
      report('standard', [...column.origin.path, positionField], 'bad-key-position', `column '${table.name}.${column.name}' has ${positionField} ${position} but is not marked \`${flag}: true\``, `set \`${flag}: true\`, or set ${positionField} to -1`, 'key');
    }
    if (inKey) members.push({ column, position: typeof position === 'number' && position >= 1 ? position : undefined });
  }
  if (members.length > 1) {
    for (const m of members.filter((m) => m.position === undefined)) {
      report('product', m.column.origin.path, 'bad-key-position', `the ${what} of '${table.name}' has ${members.length} columns but '${m.column.name}' has no ${positionField}`, `give every ${what} column its position, 1 to ${members.length}`);
    }
  }
  const positioned = members.filter((m) => m.position !== undefined);
  const byPosition = new Map<number, Column[]>();
  for (const m of positioned) byPosition.set(m.position!, [...(byPosition.get(m.position!) ?? []), m.column]);
  for (const [position, columns] of byPosition) {
    for (const column of columns.slice(1)) {
      report('standard', [...column.origin.path, positionField], 'bad-key-position', `columns '${columns[0]!.name}' and '${column.name}' of '${table.name}' share ${positionField} ${position}`, `number the ${what} columns 1 to ${members.length}, each once`, 'key');
    }
  }
  for (const m of positioned) {
    if (m.position! > members.length) {
      report('standard', [...m.column.origin.path, positionField], 'bad-key-position', `'${table.name}.${m.column.name}' has ${positionField} ${m.position} but the ${what} has only ${members.length} column${members.length === 1 ? '' : 's'}`, `number the ${what} columns 1 to ${members.length} without gaps`, 'key');
    }
  }
}

function checkQualityRule(rule: QualityRule, table: Table, report: Reporter, column?: Column): void {
  const path = rule.origin.path;
  const where = column ? `column '${table.name}.${column.name}'` : `table '${table.name}'`;
  if (rule.threshold && (rule.threshold.operator === 'mustBeBetween' || rule.threshold.operator === 'mustNotBeBetween')) {
    const [low, high] = rule.threshold.range;
    if (low > high) {
      report('standard', [...path, rule.threshold.operator], 'bad-threshold', `quality rule on ${where}: ${rule.threshold.operator} [${low}, ${high}] has its bounds reversed`, `write [${high}, ${low}]`);
    }
  }
  if (rule.unit === 'percent' && rule.threshold) {
    const values = 'range' in rule.threshold ? rule.threshold.range : [rule.threshold.value];
    if (values.some((v) => v < 0 || v > 100)) {
      report('standard', [...path, rule.threshold.operator], 'bad-threshold', `quality rule on ${where} uses unit percent with a threshold outside 0..100`, 'write the threshold as a percentage between 0 and 100, or use `unit: rows`');
    }
  }
  if (rule.type === 'library') {
    if (!rule.metric) {
      report('product', path, 'bad-quality-rule', `quality rule on ${where} has no known metric`, 'add `metric:` with one of: nullValues, missingValues, invalidValues, duplicateValues, rowCount');
      return;
    }
    if (!rule.threshold) {
      report('product', path, 'bad-quality-rule', `quality rule '${rule.metric}' on ${where} has no numeric threshold`, 'add one operator with a number, e.g. `mustBe: 0`');
    }
    if (!column && ['nullValues', 'missingValues', 'invalidValues'].includes(rule.metric)) {
      report('product', [...path, 'metric'], 'bad-quality-rule', `metric '${rule.metric}' is defined on ${where} but measures a column`, "move the rule under the column's `quality:`");
    }
    if (rule.metric === 'invalidValues' && rule.arguments.validValues === undefined && rule.arguments.pattern === undefined) {
      report('product', path, 'bad-quality-rule', `invalidValues on ${where} says neither which values are valid nor their pattern`, 'add `arguments: {validValues: [...]}` or `arguments: {pattern: "..."}`');
    }
    if (typeof rule.arguments.pattern === 'string') checkPattern(rule.arguments.pattern, [...path, 'arguments', 'pattern'], where, report);
    if (rule.metric === 'duplicateValues' && !column) {
      const props = rule.arguments.properties;
      if (!Array.isArray(props) || props.length === 0) {
        report('product', path, 'bad-quality-rule', `duplicateValues on ${where} does not say which columns must be unique together`, 'add `arguments: {properties: [col_a, col_b]}`, or move the rule under a column');
      } else {
        for (const [i, name] of props.entries()) {
          if (typeof name !== 'string' || !findColumn(table, name)) {
            report('standard', [...path, 'arguments', 'properties', i], 'dangling-reference', `duplicateValues on ${where} names column '${String(name)}', which the table does not have`, hint('columns', table.columns.map((c) => c.name)));
          }
        }
      }
    }
  }
  if (rule.type === 'sql') {
    const query = rule.query?.trim() ?? '';
    if (query === '') {
      report('product', path, 'bad-quality-rule', `sql quality rule on ${where} has no query`, 'add `query: SELECT count(*) FROM ... WHERE ...`');
    } else {
      const guarded = checkReadOnlySelect(query);
      if (!guarded.ok) {
        report('product', [...path, 'query'], 'bad-quality-rule', `sql quality rule on ${where} is not a single read-only SELECT: ${guarded.problem}`, 'write one SELECT (or WITH ... SELECT) statement in Athena SQL that returns one number; use ${table} and ${column} for the names');
      }
    }
  }
  if (column) {
    const opts = column.logicalTypeOptions;
    if (typeof opts.pattern === 'string') checkPattern(opts.pattern, [...column.origin.path, 'logicalTypeOptions', 'pattern'], where, report);
  }
}

function checkPattern(pattern: string, path: YamlPath, where: string, report: Reporter): void {
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    report('product', path, 'bad-pattern', `pattern on ${where} is not a valid regular expression: ${(e as Error).message}`, 'fix the regular expression (quote it in YAML if it contains : or #)');
  }
}

function checkGlueName(name: string, path: YamlPath, what: string, report: Reporter): void {
  if (name.length > GLUE_NAME_MAX) {
    report('product', path, 'bad-name', `${what} name is ${name.length} characters; Glue allows ${GLUE_NAME_MAX}`, 'shorten it, or set a shorter physicalName');
  } else if (!GLUE_NAME.test(name)) {
    const snake = name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^(\d)/, '_$1');
    report('product', path, 'bad-name', `${what} name '${name}' is not a valid Glue/Athena name (lower-case letters, digits and _ only)`, `set \`physicalName: ${snake}\` (the logical name may stay as it is)`);
  }
}

/**
 * Reports items whose key repeats (ignoring case). Returns the items reported, so that a second
 * check (physical names after names) can skip them and say each clash once.
 */
function checkUnique<T extends object>(
  items: readonly T[],
  key: (t: T) => string,
  path: (t: T) => YamlPath,
  code: string,
  what: string,
  report: Reporter,
  alreadyReported: ReadonlySet<T> = new Set(),
): Set<T> {
  const reported = new Set<T>();
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item).toLowerCase();
    if (k === '') continue;
    if (alreadyReported.has(item)) continue;
    const first = seen.get(k);
    if (first !== undefined) {
      const pos = path(first);
      report('standard', path(item), code, `duplicate ${what} '${key(item)}' (Glue names ignore case; first declared at ${formatYamlPath(pos)})`, 'rename one of them, or remove the duplicate');
      reported.add(item);
    } else {
      seen.set(k, item);
    }
  }
  return reported;
}

function findTable(contract: DataContract, name: string): Table | undefined {
  const lower = name.toLowerCase();
  return contract.tables.find((t) => t.name.toLowerCase() === lower || t.physicalName.toLowerCase() === lower);
}

function findColumn(table: Table, name: string): Column | undefined {
  const lower = name.toLowerCase();
  // `address.city` reaches a nested field.
  const [head, ...rest] = lower.split('.');
  let column = table.columns.find((c) => c.name.toLowerCase() === head || c.physicalName.toLowerCase() === head);
  for (const part of rest) column = column?.fields.find((f) => f.name.toLowerCase() === part || f.physicalName.toLowerCase() === part);
  return column;
}

function resolveReference(contract: DataContract, ref: string): 'ok' | 'no-table' | 'no-column' {
  const dot = ref.indexOf('.');
  if (dot < 0) return 'no-table';
  const table = findTable(contract, ref.slice(0, dot));
  if (!table) return 'no-table';
  return findColumn(table, ref.slice(dot + 1)) ? 'ok' : 'no-column';
}

function hint(what: string, names: readonly string[]): string {
  return names.length > 0 ? `use one of the ${what}: ${names.join(', ')}` : `declare the ${what} first`;
}

function rawHas(raw: unknown, path: YamlPath, key: string): boolean {
  const node = valueAt(raw, path);
  return typeof node === 'object' && node !== null && key in node;
}

export { DURATION_UNITS };
