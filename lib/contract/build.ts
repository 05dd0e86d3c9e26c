/**
 * Builds the typed model from a document that passed the official ODCS schema. Tolerant: it never
 * throws on odd but schema-valid input; the semantic rules (rules.ts) judge the model afterwards.
 * The only findings made here are about types, because resolving them is what building does.
 */
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import type { YamlSource } from '../yaml-source.js';
import { parseDuration, TIME_SLA_PROPERTIES } from './durations.js';
import { GLUE_TYPE_NAMES, GlueTypeError, glueTypeToString, logicalTypesFor, parseGlueType, type GlueType } from './glue-types.js';
import {
  LOGICAL_TYPES,
  QUALITY_METRICS,
  type Column,
  type DataContract,
  type LogicalType,
  type Origin,
  type QualityRule,
  type QualityThreshold,
  type Relationship,
  type SlaProperty,
  type Table,
  type Team,
  type TeamMember,
} from './model.js';

type Raw = Record<string, unknown>;

/** A finding from building; `product` ones are errors for data products, warnings for plain ODCS. */
export interface BuildFinding {
  readonly level: 'product' | 'warning';
  readonly diagnostic: Omit<Diagnostic, 'severity'>;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function buildContract(data: Raw, source: YamlSource): { contract: DataContract; findings: BuildFinding[] } {
  const findings: BuildFinding[] = [];
  const origin = (path: YamlPath): Origin => ({ file: source.file, path, position: source.position(path) });
  const finding = (level: BuildFinding['level'], path: YamlPath, code: string, message: string, fix: string): void => {
    const { severity: _severity, ...diagnostic } = source.diagnostic(path, { severity: 'error', code, message, fix });
    findings.push({ level, diagnostic });
  };

  const buildRules = (raws: unknown, path: YamlPath, target: QualityRule['target']): QualityRule[] =>
    list(raws).map((raw, i) => buildQualityRule(raw, [...path, i], target, origin));

  const buildColumn = (raw: Raw, path: YamlPath, table: string, qualifiedName: string): Column => {
    const name = str(raw.name) ?? '';
    const logicalType = LOGICAL_TYPES.includes(raw.logicalType as LogicalType) ? (raw.logicalType as LogicalType) : undefined;
    const fields = list(raw.properties).map((f, i) => {
      const fieldName = str(f.name) ?? '';
      return buildColumn(f, [...path, 'properties', i], table, `${qualifiedName}.${fieldName}`);
    });
    const items = isRecord(raw.items)
      ? buildColumn({ name: 'items', ...raw.items }, [...path, 'items'], table, `${qualifiedName}[]`)
      : undefined;
    const partial = { name, logicalType, physicalType: str(raw.physicalType), logicalTypeOptions: record(raw.logicalTypeOptions), fields, items };
    const glueType = resolveGlueType(partial, path, qualifiedName, finding);
    const primaryKey = raw.primaryKey === true;
    const partitioned = raw.partitioned === true;
    return {
      name,
      physicalName: str(raw.physicalName) ?? name,
      businessName: str(raw.businessName),
      description: str(raw.description),
      logicalType,
      physicalType: partial.physicalType,
      glueType,
      required: raw.required === true,
      unique: raw.unique === true,
      primaryKeyPosition: primaryKey ? positionOr(raw.primaryKeyPosition) : undefined,
      partitionKeyPosition: partitioned ? positionOr(raw.partitionKeyPosition) : undefined,
      classification: str(raw.classification),
      criticalDataElement: raw.criticalDataElement === true,
      logicalTypeOptions: partial.logicalTypeOptions,
      tags: strings(raw.tags),
      examples: Array.isArray(raw.examples) ? raw.examples : [],
      quality: buildRules(raw.quality, [...path, 'quality'], { table, column: qualifiedName.slice(table.length + 1) }),
      fields,
      items,
      relationships: list(raw.relationships).map((r, i) => buildRelationship(r, [...path, 'relationships', i], `${qualifiedName}`, origin)),
      origin: origin(path),
    };
  };

  const tables: Table[] = list(data.schema).map((raw, i) => {
    const path: YamlPath = ['schema', i];
    const name = str(raw.name) ?? '';
    const columns = list(raw.properties).map((c, j) => buildColumn(c, [...path, 'properties', j], name, `${name}.${str(c.name) ?? ''}`));
    const byPosition = (position: (c: Column) => number | undefined): Column[] =>
      columns.filter((c) => position(c) !== undefined).sort((a, b) => position(a)! - position(b)!);
    return {
      name,
      physicalName: str(raw.physicalName) ?? name,
      physicalType: str(raw.physicalType),
      businessName: str(raw.businessName),
      description: str(raw.description),
      dataGranularityDescription: str(raw.dataGranularityDescription),
      tags: strings(raw.tags),
      columns,
      primaryKey: byPosition((c) => c.primaryKeyPosition),
      partitionKeys: byPosition((c) => c.partitionKeyPosition),
      quality: buildRules(raw.quality, [...path, 'quality'], { table: name }),
      relationships: list(raw.relationships).map((r, j) => buildRelationship(r, [...path, 'relationships', j], undefined, origin)),
      origin: origin(path),
    };
  });

  const team = buildTeam(data.team);
  const description = record(data.description);
  const contract: DataContract = {
    apiVersion: str(data.apiVersion) ?? '',
    id: str(data.id) ?? '',
    name: str(data.name),
    version: str(data.version) ?? '',
    status: str(data.status) ?? '',
    domain: str(data.domain),
    tenant: str(data.tenant),
    dataProduct: str(data.dataProduct),
    description: typeof data.description === 'string'
      ? { purpose: data.description }
      : { purpose: str(description.purpose), usage: str(description.usage), limitations: str(description.limitations) },
    tags: strings(data.tags),
    tables,
    team,
    owners: (team?.members ?? []).filter((m) => /owner/i.test(m.role ?? '')),
    support: list(data.support).map((s) => ({ channel: str(s.channel) ?? '', tool: str(s.tool), url: str(s.url), scope: str(s.scope), description: str(s.description) })),
    sla: list(data.slaProperties).map((raw, i) => buildSla(raw, ['slaProperties', i], origin)),
    servers: list(data.servers).map((s) => ({ ...s, server: str(s.server) ?? '', type: str(s.type) ?? '' })),
    roles: list(data.roles).map((r) => ({ role: str(r.role) ?? '', access: str(r.access), description: str(r.description) })),
    customProperties: Object.fromEntries(list(data.customProperties).map((p) => [str(p.property) ?? '', p.value])),
    source: { file: source.file, sha256: source.sha256, text: source.text },
    document: data,
  };
  return { contract, findings };
}

interface TypeInput {
  readonly name: string;
  readonly logicalType?: LogicalType;
  readonly physicalType?: string;
  readonly logicalTypeOptions: Raw;
  readonly fields: readonly Column[];
  readonly items?: Column;
}

type Finder = (level: BuildFinding['level'], path: YamlPath, code: string, message: string, fix: string) => void;

/** Physical types that only restate a nested logical type; the fields or items carry the detail. */
const GENERIC_NESTED = new Set(['array', 'list', 'object', 'struct', 'record']);

function resolveGlueType(column: TypeInput, path: YamlPath, qualifiedName: string, finding: Finder): GlueType | undefined {
  const genericNested =
    (column.logicalType === 'array' || column.logicalType === 'object') && GENERIC_NESTED.has(column.physicalType?.trim().toLowerCase() ?? '');
  if (column.physicalType !== undefined && !genericNested) {
    try {
      const type = parseGlueType(column.physicalType);
      if (column.logicalType && !logicalTypesFor(type).includes(column.logicalType)) {
        finding(
          'product',
          [...path, 'physicalType'],
          'type-mismatch',
          `column '${qualifiedName}' says logicalType '${column.logicalType}' but physicalType '${column.physicalType}' stores ${logicalTypesFor(type).join(' or ')}`,
          `make the two agree, e.g. physicalType: ${glueTypeToString(fromLogical(column) ?? { kind: 'primitive', name: 'string' })}`,
        );
      }
      return type;
    } catch (e) {
      if (!(e instanceof GlueTypeError)) throw e;
      const fallback = fromLogical(column);
      finding(
        'product',
        [...path, 'physicalType'],
        'unmappable-type',
        `column '${qualifiedName}': ${e.message}`,
        fallback
          ? `${e.fix}; or remove physicalType to use '${glueTypeToString(fallback)}' from logicalType '${column.logicalType}'`
          : e.fix,
      );
      return undefined;
    }
  }
  if (column.logicalType === undefined) {
    finding('product', path, 'missing-type', `column '${qualifiedName}' has neither logicalType nor physicalType`, `add \`logicalType:\` (${LOGICAL_TYPES.join(', ')}) or a Glue \`physicalType:\` (${GLUE_TYPE_NAMES})`);
    return undefined;
  }
  const type = fromLogical(column);
  if (!type) {
    const what = column.logicalType === 'array' ? '`items:` describing its elements' : '`properties:` describing its fields';
    finding('product', path, 'unmappable-type', `column '${qualifiedName}' is an ${column.logicalType} without ${what}, so its Glue type is unknown`, `add ${what}, or a physicalType such as ${column.logicalType === 'array' ? 'array<string>' : 'struct<name:string>'}`);
  }
  return type;
}

/** The Glue type an ODCS logical type maps to when no physicalType is given. */
function fromLogical(column: TypeInput): GlueType | undefined {
  switch (column.logicalType) {
    case 'string':
    case 'time': // Athena tables have no TIME type; ISO text keeps the value exact.
      return { kind: 'primitive', name: 'string' };
    case 'integer': {
      const { minimum, maximum } = column.logicalTypeOptions;
      const fitsInt = typeof minimum === 'number' && typeof maximum === 'number' && minimum >= INT32_MIN && maximum <= INT32_MAX;
      return { kind: 'primitive', name: fitsInt ? 'int' : 'bigint' };
    }
    case 'number':
      return { kind: 'primitive', name: 'double' };
    case 'boolean':
      return { kind: 'primitive', name: 'boolean' };
    case 'date':
      return { kind: 'primitive', name: 'date' };
    case 'timestamp':
      return { kind: 'primitive', name: 'timestamp' };
    case 'array':
      return column.items?.glueType ? { kind: 'array', element: column.items.glueType } : undefined;
    case 'object': {
      if (column.fields.length === 0 || column.fields.some((f) => !f.glueType)) return undefined;
      return { kind: 'struct', fields: column.fields.map((f) => ({ name: f.physicalName, type: f.glueType! })) };
    }
    default:
      return undefined;
  }
}

function buildQualityRule(raw: Raw, path: YamlPath, target: QualityRule['target'], origin: (p: YamlPath) => Origin): QualityRule {
  const metricName = str(raw.metric) ?? str(raw.rule);
  const type = (['library', 'sql', 'text', 'custom'] as const).find((t) => t === raw.type) ?? (raw.query !== undefined ? 'sql' : 'library');
  return {
    id: str(raw.id),
    name: str(raw.name),
    description: str(raw.description),
    type,
    metric: QUALITY_METRICS.find((m) => m === metricName),
    arguments: record(raw.arguments),
    query: str(raw.query),
    engine: str(raw.engine),
    implementation: raw.implementation,
    threshold: threshold(raw),
    unit: raw.unit === 'percent' ? 'percent' : 'rows',
    dimension: str(raw.dimension),
    severity: str(raw.severity) ?? 'error',
    businessImpact: str(raw.businessImpact),
    method: str(raw.method),
    schedule: str(raw.schedule),
    scheduler: str(raw.scheduler),
    tags: strings(raw.tags),
    customProperties: Object.fromEntries(list(raw.customProperties).map((p) => [str(p.property) ?? '', p.value])),
    target,
    origin: origin(path),
  };
}

function threshold(raw: Raw): QualityThreshold | undefined {
  for (const operator of ['mustBeBetween', 'mustNotBeBetween'] as const) {
    const range = raw[operator];
    if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') {
      return { operator, range: [range[0], range[1]] };
    }
  }
  for (const operator of ['mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan', 'mustBeLessOrEqualTo'] as const) {
    const value = raw[operator];
    if (typeof value === 'number') return { operator, value };
  }
  return undefined;
}

function buildSla(raw: Raw, path: YamlPath, origin: (p: YamlPath) => Origin): SlaProperty {
  const property = str(raw.property) ?? '';
  const value = raw.value as SlaProperty['value'];
  const unit = str(raw.unit);
  const duration = TIME_SLA_PROPERTIES.has(property.toLowerCase()) ? parseDuration(value, unit) : undefined;
  return {
    property,
    value,
    valueExt: raw.valueExt,
    unit,
    durationMs: duration?.ok ? duration.ms : undefined,
    elements: parseElements(str(raw.element)),
    driver: str(raw.driver),
    description: str(raw.description),
    schedule: str(raw.schedule),
    scheduler: str(raw.scheduler),
    origin: origin(path),
  };
}

/** `orders.order_ts, lines.updated_at` → [{table, column}]; entries without a dot keep table ''. */
export function parseElements(element: string | undefined): { table: string; column: string }[] {
  if (!element) return [];
  return element
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((e) => {
      const dot = e.indexOf('.');
      return dot < 0 ? { table: '', column: e } : { table: e.slice(0, dot), column: e.slice(dot + 1) };
    });
}

function buildRelationship(raw: Raw, path: YamlPath, implicitFrom: string | undefined, origin: (p: YamlPath) => Origin): Relationship {
  const asList = (v: unknown): string[] => (typeof v === 'string' ? [v] : strings(v));
  return {
    type: str(raw.type) ?? 'foreignKey',
    from: raw.from !== undefined ? asList(raw.from) : implicitFrom ? [implicitFrom] : [],
    to: asList(raw.to),
    origin: origin(path),
  };
}

function buildTeam(raw: unknown): Team | undefined {
  // ODCS 3.0 wrote `team` as a list of members; 3.1 made it an object.
  if (Array.isArray(raw)) return { members: raw.filter(isRecord).map(member) };
  if (!isRecord(raw)) return undefined;
  return { name: str(raw.name), description: str(raw.description), members: list(raw.members).map(member) };
}

function member(raw: Raw): TeamMember {
  return { username: str(raw.username) ?? '', name: str(raw.name), role: str(raw.role), dateIn: str(raw.dateIn), dateOut: str(raw.dateOut) };
}

function positionOr(value: unknown): number {
  // A key column without a position is first; rules.ts reports ambiguous multi-column keys.
  return typeof value === 'number' && value >= 1 ? value : 1;
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Raw {
  return isRecord(value) ? value : {};
}

function list(value: unknown): Raw[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
