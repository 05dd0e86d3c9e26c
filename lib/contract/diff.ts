/**
 * Contract evolution: what changed between two versions of a data contract, judged from the side
 * of the product's consumers (their queries, their pipelines, their access) and of its existing
 * data. Pure: two loaded contracts in, a list of classified changes and a verdict out.
 *
 * A change is `breaking` when a consumer or existing data can fail without doing anything
 * (a column disappears, a type narrows, an SLA weakens), a `warning` when it may surprise someone
 * and deserves a look, `compatible` otherwise; compatible changes are still reported because the
 * catalog shows them. Any breaking change needs a major version bump (semver).
 */
import semver from 'semver';
import type { YamlPath } from '../diagnostics.js';
import { YamlSource } from '../yaml-source.js';
import { TIME_SLA_PROPERTIES } from './durations.js';
import { glueTypeToString, type GluePrimitive, type GlueType } from './glue-types.js';
import {
  allQualityRules,
  type Column,
  type DataContract,
  type Origin,
  type QualityRule,
  type QualityThreshold,
  type Server,
  type SlaProperty,
  type Table,
} from './model.js';
import { DEFAULT_CLASSIFICATIONS } from './rules.js';

export type ChangeSeverity = 'breaking' | 'warning' | 'compatible';
export const CHANGE_SEVERITIES: readonly ChangeSeverity[] = ['breaking', 'warning', 'compatible'];

/** What each rule means, for help texts and docs; a rule may take more than one severity. */
export const DIFF_RULES = {
  // contract
  'contract-id-changed': { severity: ['breaking'], summary: 'the contract id (the data product name) changed' },
  'domain-changed': { severity: ['breaking'], summary: 'the product moved to another domain' },
  'status-retired': { severity: ['breaking'], summary: 'status became retired' },
  'status-deprecated': { severity: ['warning'], summary: 'status became deprecated' },
  'status-changed': { severity: ['compatible'], summary: 'any other status change' },
  'version-unchanged': { severity: ['warning'], summary: 'the content changed but the version did not (the stored contract of that version would be replaced)' },
  'metadata-changed': { severity: ['compatible'], summary: 'name, apiVersion, tenant or dataProduct changed' },
  'description-changed': { severity: ['compatible'], summary: 'a description changed' },
  'tags-changed': { severity: ['compatible'], summary: 'tags changed' },
  'owners-changed': { severity: ['compatible'], summary: 'the team or its owners changed' },
  'support-changed': { severity: ['compatible'], summary: 'support channels changed' },
  'roles-changed': { severity: ['compatible'], summary: 'access roles changed' },
  'custom-properties-changed': { severity: ['compatible'], summary: 'custom properties changed' },
  // servers
  'server-removed': { severity: ['breaking'], summary: 'a server was removed' },
  'server-added': { severity: ['compatible'], summary: 'a server was added' },
  'server-type-changed': { severity: ['breaking'], summary: "a server's type changed" },
  'server-location-changed': { severity: ['breaking'], summary: "a server's location (location, host, database, schema ...) changed" },
  'server-format-changed': { severity: ['breaking'], summary: "a server's data format changed" },
  'server-details-changed': { severity: ['compatible'], summary: "a server's description, environment or roles changed" },
  // tables
  'table-removed': { severity: ['breaking'], summary: 'a table was removed' },
  'table-added': { severity: ['compatible'], summary: 'a table was added' },
  'table-renamed': { severity: ['warning'], summary: "a table's logical name changed, its physicalName did not" },
  'table-physical-name-changed': { severity: ['breaking'], summary: "a table's physicalName (its catalog name) changed" },
  'table-physical-type-changed': { severity: ['warning'], summary: "a table's physicalType changed (e.g. table to view)" },
  'granularity-changed': { severity: ['warning'], summary: "a table's dataGranularityDescription changed (what one row is)" },
  'primary-key-changed': { severity: ['breaking'], summary: 'primary key columns or their order changed' },
  'partition-keys-changed': { severity: ['breaking'], summary: 'partition keys or their order changed (the data layout)' },
  'columns-reordered': { severity: ['compatible'], summary: 'columns kept their names but changed order' },
  'business-name-changed': { severity: ['compatible'], summary: 'a businessName changed' },
  // columns
  'column-removed': { severity: ['breaking'], summary: 'a column was removed' },
  'column-added': { severity: ['compatible'], summary: 'an optional column was added' },
  'required-column-added': { severity: ['breaking'], summary: 'a required column was added (existing data and writers lack it)' },
  'column-renamed': { severity: ['breaking'], summary: 'a column was renamed (a removed and an added column with the same type and position)' },
  'column-logical-name-changed': { severity: ['warning'], summary: "a column's logical name changed, its physicalName did not" },
  'column-physical-name-changed': { severity: ['breaking'], summary: "a column's physicalName (its catalog name) changed" },
  'field-removed': { severity: ['breaking'], summary: 'a nested field of a struct column was removed' },
  'field-added': { severity: ['compatible'], summary: 'an optional nested field was added' },
  'required-field-added': { severity: ['breaking'], summary: 'a required nested field was added' },
  'logical-type-changed': { severity: ['breaking'], summary: 'logicalType changed' },
  'type-widened': {
    severity: ['compatible', 'warning'],
    summary: 'every old value fits the new type: compatible for int->bigint style and float->double and longer strings; a warning across type families or for decimals (old files need rewriting)',
  },
  'type-narrowed': { severity: ['breaking'], summary: 'the new type cannot hold every old value' },
  'type-changed': { severity: ['breaking'], summary: 'the type changed incompatibly (e.g. date to timestamp, int to string)' },
  'became-required': { severity: ['breaking'], summary: 'required: false -> true' },
  'became-optional': { severity: ['warning'], summary: 'required: true -> false (consumers may rely on non-null values)' },
  'became-unique': { severity: ['warning'], summary: 'unique: false -> true (existing data may hold duplicates)' },
  'unique-removed': { severity: ['warning'], summary: 'unique: true -> false (consumers may rely on it)' },
  'classification-lowered': { severity: ['breaking'], summary: 'classification lowered: more consumers could read the data' },
  'classification-removed': { severity: ['breaking'], summary: 'classification removed' },
  'classification-changed': { severity: ['breaking'], summary: 'classification changed to or from a value outside the ontology (direction unknown)' },
  'classification-raised': { severity: ['warning'], summary: 'classification raised: some consumers lose access' },
  'classification-added': { severity: ['warning'], summary: 'classification added: some consumers may lose access' },
  'validation-tightened': { severity: ['breaking'], summary: 'logicalTypeOptions tightened (minimum, maximum, lengths, pattern added ...): old data may not conform' },
  'validation-loosened': { severity: ['compatible'], summary: 'logicalTypeOptions loosened' },
  'validation-changed': { severity: ['warning'], summary: 'logicalTypeOptions changed in no clear direction (pattern or format changed)' },
  'critical-data-element-changed': { severity: ['compatible'], summary: 'criticalDataElement changed' },
  'relationships-changed': { severity: ['compatible'], summary: 'relationships changed' },
  // SLAs
  'sla-removed': { severity: ['breaking'], summary: 'an SLA was removed' },
  'sla-weakened': { severity: ['breaking'], summary: 'an SLA was weakened (latency/frequency up, retention/availability down ...)' },
  'sla-changed': { severity: ['warning'], summary: 'an SLA changed in no clear direction, or is measured on another element' },
  'sla-strengthened': { severity: ['compatible'], summary: 'an SLA was strengthened' },
  'sla-added': { severity: ['compatible'], summary: 'an SLA was added' },
  // quality
  'quality-rule-removed': { severity: ['warning'], summary: 'a quality rule was removed' },
  'quality-rule-loosened': { severity: ['warning'], summary: 'a quality threshold, its valid values or its severity was loosened' },
  'quality-rule-changed': { severity: ['warning'], summary: 'a quality rule changed in no clear direction (metric, query, unit, target ...)' },
  'quality-rule-tightened': { severity: ['compatible'], summary: 'a quality rule was tightened' },
  'quality-rule-added': { severity: ['compatible'], summary: 'a quality rule was added' },
  'quality-rule-metadata-changed': { severity: ['compatible'], summary: "a quality rule's name, description, dimension, schedule or tags changed" },
} as const satisfies Record<string, { readonly severity: readonly ChangeSeverity[]; readonly summary: string }>;

export type DiffRule = keyof typeof DIFF_RULES;

export interface Change {
  readonly severity: ChangeSeverity;
  /** Stable id of the rule, e.g. `column-removed` (see DIFF_RULES). */
  readonly rule: DiffRule;
  /** What changed, e.g. `orders.total_amount`, `sla.latency`, `orders.order_id/quality/order_id_unique`. */
  readonly subject: string;
  readonly message: string;
  readonly before?: string;
  readonly after?: string;
  /** Where in the new contract, when the element exists there, else in the old one. */
  readonly origin?: Origin;
}

/** How the version moved; `invalid` when either is not semver. */
export type VersionBump = 'major' | 'minor' | 'patch' | 'none' | 'downgrade' | 'invalid';

export interface ContractDiff {
  readonly changes: readonly Change[];
  /** At least one breaking change. */
  readonly breaking: boolean;
  readonly versionBump: VersionBump;
  /** False when a breaking change comes without a major bump, or the version went down. */
  readonly ok: boolean;
  readonly versions: {
    readonly before: string;
    readonly after: string;
    /** The least version that would make the diff ok, when it is not. */
    readonly suggested?: string;
  };
}

export interface DiffOptions {
  /** The classification ontology, least to most sensitive. @default public, internal, confidential, restricted */
  readonly classifications?: readonly string[];
}

export function diffContracts(before: DataContract, after: DataContract, options: DiffOptions = {}): ContractDiff {
  const differ = new Differ(before, after, options.classifications ?? DEFAULT_CLASSIFICATIONS);
  differ.run();
  const versionBumpValue = versionBump(before.version, after.version);
  const changes = [...differ.changes];
  if (changes.length > 0 && versionBumpValue === 'none') {
    changes.push({
      severity: 'warning',
      rule: 'version-unchanged',
      subject: 'version',
      message: `the contract changed but its version is still ${after.version}; the stored contract of that version would be replaced, so consumers cannot tell the two apart`,
      before: before.version,
      after: after.version,
      origin: differ.topOrigin('version'),
    });
  }
  const breaking = changes.some((c) => c.severity === 'breaking');
  const ok = !(breaking && versionBumpValue !== 'major') && versionBumpValue !== 'downgrade';
  let suggested: string | undefined;
  if (!ok && semver.valid(before.version)) {
    suggested = breaking ? (semver.inc(before.version, 'major') ?? undefined) : (semver.inc(before.version, 'patch') ?? undefined);
  }
  return {
    changes,
    breaking,
    versionBump: versionBumpValue,
    ok,
    versions: { before: before.version, after: after.version, ...(suggested ? { suggested } : {}) },
  };
}

/** How `after` moved from `before` in semver terms; a pre-release counts as its kind (premajor = major). */
export function versionBump(before: string, after: string): VersionBump {
  if (!semver.valid(before) || !semver.valid(after)) return 'invalid';
  if (semver.lt(after, before)) return 'downgrade';
  switch (semver.diff(before, after)) {
    case null:
      return 'none';
    case 'major':
    case 'premajor':
      return 'major';
    case 'minor':
    case 'preminor':
      return 'minor';
    default:
      return 'patch';
  }
}

// ---------------------------------------------------------------------------------------------

type Emit = Omit<Change, 'severity'> & { severity?: ChangeSeverity };

const sourceCache = new WeakMap<DataContract, YamlSource>();

function sourceOf(contract: DataContract): YamlSource {
  let source = sourceCache.get(contract);
  if (!source) {
    source = YamlSource.parse(contract.source.text, contract.source.file).source;
    sourceCache.set(contract, source);
  }
  return source;
}

function locate(contract: DataContract, path: YamlPath): Origin {
  return { file: contract.source.file, path, position: sourceOf(contract).position(path) };
}

interface Located {
  readonly origin: Origin;
}

class Differ {
  readonly changes: Change[] = [];
  private readonly rank: Map<string, number>;

  constructor(
    private readonly before: DataContract,
    private readonly after: DataContract,
    classifications: readonly string[],
  ) {
    this.rank = new Map(classifications.map((c, i) => [c.toLowerCase(), i]));
  }

  run(): void {
    this.compareContract();
    this.compareServers();
    this.compareTables();
    this.compareSlas();
    this.compareQuality();
  }

  private emit(change: Emit): void {
    const { severity, ...rest } = change;
    this.changes.push({ severity: severity ?? DIFF_RULES[change.rule].severity[0], ...rest });
  }

  /** Origin of a top-level field: in the new contract if it has it, else the old, else the new root. */
  topOrigin(field: string): Origin {
    if (sourceOf(this.after).has([field])) return locate(this.after, [field]);
    if (sourceOf(this.before).has([field])) return locate(this.before, [field]);
    return locate(this.after, []);
  }

  /** Origin of an element (or a field of it): in the new contract when it exists there. */
  private at(after: Located | undefined, before: Located | undefined, ...sub: (string | number)[]): Origin | undefined {
    if (after) return locate(this.after, [...after.origin.path, ...sub]);
    if (before) return locate(this.before, [...before.origin.path, ...sub]);
    return undefined;
  }

  // --- contract ------------------------------------------------------------------------------

  private compareContract(): void {
    const b = this.before;
    const a = this.after;
    if (b.id !== a.id) {
      this.emit({ rule: 'contract-id-changed', subject: 'id', message: `the contract id changed: it names the data product, so the catalog and every consumer see a different product`, before: b.id, after: a.id, origin: this.topOrigin('id') });
    }
    if ((b.domain ?? '') !== (a.domain ?? '')) {
      this.emit({ rule: 'domain-changed', subject: 'domain', message: 'the product moved to another domain: its Glue database, account and grants change', before: b.domain ?? '(none)', after: a.domain ?? '(none)', origin: this.topOrigin('domain') });
    }
    const statusBefore = b.status.toLowerCase();
    const statusAfter = a.status.toLowerCase();
    if (statusBefore !== statusAfter) {
      const origin = this.topOrigin('status');
      if (statusAfter === 'retired') {
        this.emit({ rule: 'status-retired', subject: 'status', message: 'the product is retired: consumers must stop using it', before: b.status, after: a.status, origin });
      } else if (statusAfter === 'deprecated') {
        this.emit({ rule: 'status-deprecated', subject: 'status', message: 'the product is deprecated: consumers should plan to move off it', before: b.status, after: a.status, origin });
      } else {
        this.emit({ rule: 'status-changed', subject: 'status', message: 'the status changed', before: b.status, after: a.status, origin });
      }
    }
    for (const field of CONTRACT_DESCRIPTIVE_FIELDS) {
      const before = field.compare(b);
      const after = field.compare(a);
      if (before === after) continue;
      const show = field.show ?? ((c: DataContract): string => field.compare(c) || '(none)');
      this.emit({ rule: field.rule, subject: field.subject, message: field.message, before: show(b), after: show(a), origin: this.topOrigin(field.origin) });
    }
  }

  private compareTags(subject: string, before: readonly string[], after: readonly string[], origin: Origin | undefined): void {
    const b = [...before].sort().join(', ');
    const a = [...after].sort().join(', ');
    if (b !== a) this.emit({ rule: 'tags-changed', subject, message: 'tags changed', before: b || '(none)', after: a || '(none)', origin });
  }

  // --- servers -------------------------------------------------------------------------------

  private compareServers(): void {
    const serverOrigin = (contract: DataContract, server: Server): Origin =>
      locate(contract, ['servers', contract.servers.indexOf(server)]);
    const { pairs, removed, added } = matchBy(this.before.servers, this.after.servers, [(s) => s.server.toLowerCase()]);
    for (const server of removed) {
      this.emit({ rule: 'server-removed', subject: `servers.${server.server}`, message: `server '${server.server}' was removed: consumers reading from it lose the data`, before: describeServer(server), origin: serverOrigin(this.before, server) });
    }
    for (const server of added) {
      this.emit({ rule: 'server-added', subject: `servers.${server.server}`, message: `server '${server.server}' was added`, after: describeServer(server), origin: serverOrigin(this.after, server) });
    }
    const descriptive = new Set(['id', 'server', 'description', 'environment', 'roles', 'customProperties']);
    for (const [b, a] of pairs) {
      const subject = `servers.${a.server}`;
      const origin = serverOrigin(this.after, a);
      const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
      for (const key of keys) {
        const vb = stableJson(b[key]);
        const va = stableJson(a[key]);
        if (vb === va) continue;
        const fieldOrigin = locate(this.after, [...origin.path, key]);
        const values = { before: b[key] === undefined ? '(none)' : display(b[key]), after: a[key] === undefined ? '(none)' : display(a[key]) };
        if (key === 'type') {
          this.emit({ rule: 'server-type-changed', subject, message: `server '${a.server}' changed its type: consumers need another client to read it`, ...values, origin: fieldOrigin });
        } else if (key === 'format' || key === 'delimiter') {
          this.emit({ rule: 'server-format-changed', subject, message: `server '${a.server}' changed its data ${key}: readers of the files must change`, ...values, origin: fieldOrigin });
        } else if (descriptive.has(key)) {
          this.emit({ rule: 'server-details-changed', subject, message: `server '${a.server}' changed its ${key}`, ...values, origin: fieldOrigin });
        } else {
          this.emit({ rule: 'server-location-changed', subject, message: `server '${a.server}' changed its ${key}: consumers reading the old location find nothing new`, ...values, origin: fieldOrigin });
        }
      }
    }
  }

  // --- tables --------------------------------------------------------------------------------

  private compareTables(): void {
    const { pairs, removed, added } = matchBy(this.before.tables, this.after.tables, [
      (t) => t.name.toLowerCase(),
      (t) => t.physicalName.toLowerCase(),
    ]);
    for (const table of removed) {
      this.emit({ rule: 'table-removed', subject: table.name, message: `table '${table.name}' was removed: every query on it fails`, before: table.physicalName, origin: table.origin });
    }
    for (const table of added) {
      this.emit({ rule: 'table-added', subject: table.name, message: `table '${table.name}' was added`, after: table.physicalName, origin: table.origin });
    }
    for (const [b, a, key] of pairs) this.compareTable(b, a, key);
  }

  private compareTable(b: Table, a: Table, matchedBy: number): void {
    const subject = a.name;
    if (matchedBy === 1) {
      this.emit({
        rule: 'table-renamed',
        subject,
        message: `table '${b.name}' is now called '${a.name}'; its catalog table '${a.physicalName}' stays, so queries keep working, but references to the logical name must change`,
        before: b.name,
        after: a.name,
        origin: this.at(a, b, 'name'),
      });
    } else if (b.physicalName.toLowerCase() !== a.physicalName.toLowerCase()) {
      this.emit({
        rule: 'table-physical-name-changed',
        subject,
        message: `table '${a.name}' moves to another catalog table: every query on '${b.physicalName}' fails and its data is not carried over`,
        before: b.physicalName,
        after: a.physicalName,
        origin: this.at(a, b, 'physicalName'),
      });
    }
    if ((b.physicalType ?? '').toLowerCase() !== (a.physicalType ?? '').toLowerCase()) {
      this.emit({ rule: 'table-physical-type-changed', subject, message: `table '${a.name}' changed its physicalType`, before: b.physicalType ?? '(none)', after: a.physicalType ?? '(none)', origin: this.at(a, b, 'physicalType') });
    }
    if ((b.dataGranularityDescription ?? '') !== (a.dataGranularityDescription ?? '')) {
      this.emit({
        rule: 'granularity-changed',
        subject,
        message: `what one row of '${a.name}' means changed: counts and aggregations of consumers may change`,
        before: b.dataGranularityDescription ?? '(none)',
        after: a.dataGranularityDescription ?? '(none)',
        origin: this.at(a, b, 'dataGranularityDescription'),
      });
    }
    if ((b.description ?? '') !== (a.description ?? '')) {
      this.emit({ rule: 'description-changed', subject, message: `the description of table '${a.name}' changed`, before: short(b.description), after: short(a.description), origin: this.at(a, b, 'description') });
    }
    if ((b.businessName ?? '') !== (a.businessName ?? '')) {
      this.emit({ rule: 'business-name-changed', subject, message: `the businessName of table '${a.name}' changed`, before: b.businessName ?? '(none)', after: a.businessName ?? '(none)', origin: this.at(a, b, 'businessName') });
    }
    this.compareTags(subject, b.tags, a.tags, this.at(a, b, 'tags'));
    if (relationshipsText(b.relationships) !== relationshipsText(a.relationships)) {
      this.emit({ rule: 'relationships-changed', subject, message: `the relationships of table '${a.name}' changed`, before: relationshipsText(b.relationships) || '(none)', after: relationshipsText(a.relationships) || '(none)', origin: this.at(a, b, 'relationships') });
    }

    const columnMap = this.compareColumns(b.columns, a.columns, a.name, false, this.at(a, b, 'properties'));

    // Keys compare by column identity, so a renamed key column is reported once (as the rename).
    const identity = (columns: readonly Column[], mapped: boolean): string =>
      columns.map((c) => (mapped ? (columnMap.get(c)?.name ?? `-${c.name}`) : c.name).toLowerCase()).join(',');
    const names = (columns: readonly Column[]): string => columns.map((c) => c.name).join(', ') || '(none)';
    if (identity(b.primaryKey, true) !== identity(a.primaryKey, false)) {
      this.emit({
        rule: 'primary-key-changed',
        subject,
        message: `the primary key of '${a.name}' changed: joins and deduplication of consumers rely on it`,
        before: names(b.primaryKey),
        after: names(a.primaryKey),
        origin: this.at(a, b, 'properties'),
      });
    }
    if (identity(b.partitionKeys, true) !== identity(a.partitionKeys, false)) {
      this.emit({
        rule: 'partition-keys-changed',
        subject,
        message: `the partition keys of '${a.name}' changed: the folder layout of existing data no longer matches the table, and consumers' partition filters stop pruning`,
        before: names(b.partitionKeys),
        after: names(a.partitionKeys),
        origin: this.at(a, b, 'properties'),
      });
    }
  }

  /**
   * Compares two column lists (a table's, or a struct's fields) and returns which old column
   * became which new one.
   */
  private compareColumns(before: readonly Column[], after: readonly Column[], parent: string, nested: boolean, listOrigin?: Origin): Map<Column, Column> {
    const { pairs, removed, added } = matchBy(before, after, [(c) => c.name.toLowerCase(), (c) => c.physicalName.toLowerCase()]);
    const map = new Map<Column, Column>();
    for (const [b, a] of pairs) map.set(b, a);

    // A column removed and another added at the same position with the same type: a rename.
    const renamed = new Set<Column>();
    for (const b of removed) {
      const position = before.indexOf(b);
      const a = added.find((candidate) => !renamed.has(candidate) && after.indexOf(candidate) === position && typeText(candidate) === typeText(b));
      if (!a) continue;
      renamed.add(a);
      renamed.add(b);
      map.set(b, a);
      this.emit({
        rule: 'column-renamed',
        subject: `${parent}.${a.name}`,
        message: `column '${parent}.${b.name}' was renamed to '${a.name}' (same type and position): queries that name '${b.physicalName}' fail`,
        before: b.physicalName,
        after: a.physicalName,
        origin: this.at(a, b, 'name'),
      });
    }

    for (const b of removed) {
      if (renamed.has(b)) continue;
      this.emit({
        rule: nested ? 'field-removed' : 'column-removed',
        subject: `${parent}.${b.name}`,
        message: `${nested ? 'field' : 'column'} '${parent}.${b.name}' was removed: queries and readers that use it fail`,
        before: typeText(b),
        origin: b.origin,
      });
    }
    for (const a of added) {
      if (renamed.has(a)) continue;
      const subject = `${parent}.${a.name}`;
      if (a.required) {
        this.emit({
          rule: nested ? 'required-field-added' : 'required-column-added',
          subject,
          message: `required ${nested ? 'field' : 'column'} '${subject}' was added: existing data has no value for it and existing writers do not produce it; add it as optional first`,
          after: typeText(a),
          origin: a.origin,
        });
      } else {
        this.emit({ rule: nested ? 'field-added' : 'column-added', subject, message: `optional ${nested ? 'field' : 'column'} '${subject}' was added`, after: typeText(a), origin: a.origin });
      }
    }

    for (const [b, a, key] of pairs) {
      const subject = `${parent}.${a.name}`;
      if (key === 1) {
        this.emit({
          rule: 'column-logical-name-changed',
          subject,
          message: `column '${parent}.${b.name}' is now called '${a.name}'; its catalog column '${a.physicalName}' stays, so queries keep working, but references to the logical name must change`,
          before: b.name,
          after: a.name,
          origin: this.at(a, b, 'name'),
        });
      } else if (b.physicalName.toLowerCase() !== a.physicalName.toLowerCase()) {
        this.emit({
          rule: 'column-physical-name-changed',
          subject,
          message: `column '${subject}' has another catalog name: queries that name '${b.physicalName}' fail`,
          before: b.physicalName,
          after: a.physicalName,
          origin: this.at(a, b, 'physicalName'),
        });
      }
    }
    for (const [b, a] of map) this.compareColumn(b, a, `${parent}.${a.name}`);

    // Only reported when nothing else moved: additions and removals shift positions anyway.
    if (!nested && removed.length === 0 && added.length === 0) {
      const order = (columns: readonly Column[], mapped: boolean): string => columns.map((c) => (mapped ? map.get(c)?.name : c.name)).join(', ');
      if (order(before, true) !== order(after, false)) {
        this.emit({ rule: 'columns-reordered', subject: parent, message: `the columns of '${parent}' changed order (Parquet is read by name; only positional readers notice)`, before: order(before, false), after: order(after, false), origin: listOrigin });
      }
    }
    return map;
  }

  private compareColumn(b: Column, a: Column, subject: string): void {
    // Types.
    if (b.logicalType !== a.logicalType) {
      this.emit({
        rule: 'logical-type-changed',
        subject,
        message: `the logical type of '${subject}' changed: consumers read values of another kind`,
        before: `${b.logicalType ?? '(none)'} (${typeText(b)})`,
        after: `${a.logicalType ?? '(none)'} (${typeText(a)})`,
        origin: this.at(a, b, 'logicalType'),
      });
    } else if (b.fields.length > 0 && a.fields.length > 0) {
      this.compareColumns(b.fields, a.fields, subject, true);
    } else if (b.items && a.items) {
      this.compareColumn(b.items, a.items, `${subject}[]`);
    } else if (b.glueType && a.glueType) {
      this.compareTypes(b.glueType, a.glueType, subject, this.at(a, b, 'physicalType'));
    } else if (typeText(b).toLowerCase().replace(/\s+/g, '') !== typeText(a).toLowerCase().replace(/\s+/g, '')) {
      this.emit({ rule: 'type-changed', subject, message: `the type of '${subject}' changed`, before: typeText(b), after: typeText(a), origin: this.at(a, b, 'physicalType') });
    }

    // Constraints.
    if (!b.required && a.required) {
      this.emit({ rule: 'became-required', subject, message: `'${subject}' became required: existing rows may hold nulls, and writers that leave it empty now break the contract`, before: 'optional', after: 'required', origin: this.at(a, b, 'required') });
    } else if (b.required && !a.required) {
      this.emit({ rule: 'became-optional', subject, message: `'${subject}' may now be null: consumers that rely on a value must handle nulls`, before: 'required', after: 'optional', origin: this.at(a, b, 'required') });
    }
    if (!b.unique && a.unique) {
      this.emit({ rule: 'became-unique', subject, message: `'${subject}' became unique: existing data may hold duplicates`, before: 'not unique', after: 'unique', origin: this.at(a, b, 'unique') });
    } else if (b.unique && !a.unique) {
      this.emit({ rule: 'unique-removed', subject, message: `'${subject}' is no longer unique: consumers that join or count on it may see duplicates`, before: 'unique', after: 'not unique', origin: this.at(a, b, 'unique') });
    }
    this.compareClassification(b, a, subject);
    this.compareValidation(b, a, subject);

    // Documentation.
    if ((b.description ?? '') !== (a.description ?? '')) {
      this.emit({ rule: 'description-changed', subject, message: `the description of '${subject}' changed`, before: short(b.description), after: short(a.description), origin: this.at(a, b, 'description') });
    }
    if ((b.businessName ?? '') !== (a.businessName ?? '')) {
      this.emit({ rule: 'business-name-changed', subject, message: `the businessName of '${subject}' changed`, before: b.businessName ?? '(none)', after: a.businessName ?? '(none)', origin: this.at(a, b, 'businessName') });
    }
    this.compareTags(subject, b.tags, a.tags, this.at(a, b, 'tags'));
    if (b.criticalDataElement !== a.criticalDataElement) {
      this.emit({ rule: 'critical-data-element-changed', subject, message: `'${subject}' is ${a.criticalDataElement ? 'now' : 'no longer'} a critical data element`, before: String(b.criticalDataElement), after: String(a.criticalDataElement), origin: this.at(a, b, 'criticalDataElement') });
    }
    if (relationshipsText(b.relationships) !== relationshipsText(a.relationships)) {
      this.emit({ rule: 'relationships-changed', subject, message: `the relationships of '${subject}' changed`, before: relationshipsText(b.relationships) || '(none)', after: relationshipsText(a.relationships) || '(none)', origin: this.at(a, b, 'relationships') });
    }
  }

  private compareTypes(b: GlueType, a: GlueType, subject: string, origin: Origin | undefined): void {
    if (b.kind === 'array' && a.kind === 'array') return this.compareTypes(b.element, a.element, `${subject}[]`, origin);
    if (b.kind === 'map' && a.kind === 'map') {
      if (glueTypeToString(b.key) !== glueTypeToString(a.key)) {
        this.emit({ rule: 'type-changed', subject, message: `the key type of map '${subject}' changed`, before: glueTypeToString(b), after: glueTypeToString(a), origin });
        return;
      }
      return this.compareTypes(b.value, a.value, `${subject}{}`, origin);
    }
    if (b.kind === 'struct' && a.kind === 'struct') {
      const { pairs, removed, added } = matchBy(b.fields, a.fields, [(f) => f.name.toLowerCase()]);
      for (const f of removed) {
        this.emit({ rule: 'field-removed', subject: `${subject}.${f.name}`, message: `field '${subject}.${f.name}' was removed from the struct: readers that use it fail`, before: glueTypeToString(f.type), origin });
      }
      for (const f of added) {
        this.emit({ rule: 'field-added', subject: `${subject}.${f.name}`, message: `field '${subject}.${f.name}' was added to the struct`, after: glueTypeToString(f.type), origin });
      }
      for (const [fb, fa] of pairs) this.compareTypes(fb.type, fa.type, `${subject}.${fa.name}`, origin);
      return;
    }
    const beforeText = glueTypeToString(b);
    const afterText = glueTypeToString(a);
    if (beforeText === afterText) return;
    const verdict = compareScalarTypes(b, a);
    const values = { before: beforeText, after: afterText, origin };
    switch (verdict.kind) {
      case 'widened':
        this.emit({ rule: 'type-widened', severity: 'compatible', subject, message: `the type of '${subject}' was widened: every existing value fits, and ${verdict.note}`, ...values });
        break;
      case 'widened-with-rewrite':
        this.emit({ rule: 'type-widened', severity: 'warning', subject, message: `the type of '${subject}' was widened: every existing value fits, but ${verdict.note}`, ...values });
        break;
      case 'narrowed':
        this.emit({ rule: 'type-narrowed', subject, message: `the type of '${subject}' was narrowed: ${verdict.note}`, ...values });
        break;
      case 'changed':
        this.emit({ rule: 'type-changed', subject, message: `the type of '${subject}' changed incompatibly: ${verdict.note}`, ...values });
        break;
    }
  }

  private compareClassification(b: Column, a: Column, subject: string): void {
    if ((b.classification ?? '').toLowerCase() === (a.classification ?? '').toLowerCase()) return;
    const origin = this.at(a, b, 'classification');
    const values = { before: b.classification ?? '(none)', after: a.classification ?? '(none)', origin };
    if (b.classification === undefined) {
      this.emit({ rule: 'classification-added', subject, message: `'${subject}' is now classified: consumers without a grant for '${a.classification}' lose access`, ...values });
      return;
    }
    if (a.classification === undefined) {
      this.emit({ rule: 'classification-removed', subject, message: `'${subject}' lost its classification: it is no longer governed by it, and may be exposed to consumers who should not read it`, ...values });
      return;
    }
    const rb = this.rank.get(b.classification.toLowerCase());
    const ra = this.rank.get(a.classification.toLowerCase());
    if (rb === undefined || ra === undefined) {
      this.emit({ rule: 'classification-changed', subject, message: `the classification of '${subject}' changed to or from a value outside the ontology, so whether it was lowered cannot be told`, ...values });
    } else if (ra < rb) {
      this.emit({ rule: 'classification-lowered', subject, message: `the classification of '${subject}' was lowered: consumers granted only '${a.classification}' would read data classified '${b.classification}'`, ...values });
    } else {
      this.emit({ rule: 'classification-raised', subject, message: `the classification of '${subject}' was raised: consumers granted only up to '${b.classification}' lose access to it`, ...values });
    }
  }

  private compareValidation(b: Column, a: Column, subject: string): void {
    const ob = b.logicalTypeOptions;
    const oa = a.logicalTypeOptions;
    const origin = (key: string): Origin | undefined =>
      oa[key] !== undefined ? this.at(a, undefined, 'logicalTypeOptions', key) : this.at(a, b, 'logicalTypeOptions');
    const tightened = (what: string, key: string, before: string, after: string): void =>
      this.emit({ rule: 'validation-tightened', subject, message: `the ${what} of '${subject}' was tightened: existing data and writers may not conform`, before, after, origin: origin(key) });
    const loosened = (what: string, key: string, before: string, after: string): void =>
      this.emit({ rule: 'validation-loosened', subject, message: `the ${what} of '${subject}' was loosened`, before, after, origin: origin(key) });
    const changed = (what: string, key: string, before: string, after: string, why: string): void =>
      this.emit({ rule: 'validation-changed', subject, message: `the ${what} of '${subject}' changed: ${why}`, before, after, origin: origin(key) });
    const handled = new Set<string>();

    // Value bounds: minimum / exclusiveMinimum together, maximum / exclusiveMaximum together.
    for (const side of ['lower', 'upper'] as const) {
      const [inclusiveKey, exclusiveKey] = side === 'lower' ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum'];
      handled.add(inclusiveKey).add(exclusiveKey);
      const bb = bound(ob, inclusiveKey, exclusiveKey, side);
      const ba = bound(oa, inclusiveKey, exclusiveKey, side);
      const what = side === 'lower' ? 'lower bound' : 'upper bound';
      const key = ba?.exclusive ? exclusiveKey : inclusiveKey;
      const text = (x: Bound | undefined): string => (x ? `${side === 'lower' ? '>' : '<'}${x.exclusive ? '' : '='} ${display(x.value)}` : '(none)');
      const direction = compareBounds(bb, ba, side);
      if (direction === 'tighter') tightened(what, key, text(bb), text(ba));
      else if (direction === 'looser') loosened(what, key, text(bb), text(ba));
      else if (direction === 'unknown') changed(what, key, text(bb), text(ba), 'the bounds cannot be compared');
    }

    // Sizes: a larger minimum or a smaller maximum is tighter.
    for (const [key, tighterWhen] of [
      ['minLength', 'up'],
      ['maxLength', 'down'],
      ['minItems', 'up'],
      ['maxItems', 'down'],
      ['minProperties', 'up'],
      ['maxProperties', 'down'],
    ] as const) {
      handled.add(key);
      const vb = ob[key];
      const va = oa[key];
      if (vb === va || (vb === undefined && va === undefined)) continue;
      const text = (v: unknown): string => (v === undefined ? '(none)' : `${key}: ${display(v)}`);
      if (typeof vb === 'number' && typeof va === 'number') {
        if ((va > vb) === (tighterWhen === 'up')) tightened(key, key, text(vb), text(va));
        else loosened(key, key, text(vb), text(va));
      } else if (vb === undefined) {
        tightened(key, key, text(vb), text(va));
      } else if (va === undefined) {
        loosened(key, key, text(vb), text(va));
      } else {
        changed(key, key, text(vb), text(va), 'the values cannot be compared');
      }
    }

    handled.add('pattern');
    if (ob.pattern !== oa.pattern) {
      const text = (v: unknown): string => (v === undefined ? '(none)' : display(v));
      if (ob.pattern === undefined) tightened('pattern', 'pattern', text(ob.pattern), text(oa.pattern));
      else if (oa.pattern === undefined) loosened('pattern', 'pattern', text(ob.pattern), text(oa.pattern));
      else changed('pattern', 'pattern', text(ob.pattern), text(oa.pattern), 'values valid before may no longer match; check existing data against the new pattern');
    }

    handled.add('multipleOf');
    if (ob.multipleOf !== oa.multipleOf) {
      const vb = ob.multipleOf;
      const va = oa.multipleOf;
      const text = (v: unknown): string => (v === undefined ? '(none)' : `multipleOf: ${display(v)}`);
      if (vb === undefined) tightened('multipleOf', 'multipleOf', text(vb), text(va));
      else if (va === undefined) loosened('multipleOf', 'multipleOf', text(vb), text(va));
      else if (typeof vb === 'number' && typeof va === 'number' && isMultiple(va, vb)) tightened('multipleOf', 'multipleOf', text(vb), text(va));
      else if (typeof vb === 'number' && typeof va === 'number' && isMultiple(vb, va)) loosened('multipleOf', 'multipleOf', text(vb), text(va));
      else changed('multipleOf', 'multipleOf', text(vb), text(va), 'old values may not be multiples of the new step');
    }

    handled.add('uniqueItems');
    if ((ob.uniqueItems === true) !== (oa.uniqueItems === true)) {
      if (oa.uniqueItems === true) tightened('uniqueItems', 'uniqueItems', 'false', 'true');
      else loosened('uniqueItems', 'uniqueItems', 'true', 'false');
    }

    handled.add('required');
    const requiredBefore = new Set(Array.isArray(ob.required) ? ob.required.map(String) : []);
    const requiredAfter = new Set(Array.isArray(oa.required) ? oa.required.map(String) : []);
    const newlyRequired = [...requiredAfter].filter((r) => !requiredBefore.has(r));
    const noLongerRequired = [...requiredBefore].filter((r) => !requiredAfter.has(r));
    const listText = (s: Set<string>): string => [...s].join(', ') || '(none)';
    if (newlyRequired.length > 0) tightened('required properties', 'required', listText(requiredBefore), listText(requiredAfter));
    else if (noLongerRequired.length > 0) loosened('required properties', 'required', listText(requiredBefore), listText(requiredAfter));

    // Anything else (format, timezone ...): no direction we can tell.
    const others = [...new Set([...Object.keys(ob), ...Object.keys(oa)])].filter((k) => !handled.has(k)).sort();
    for (const key of others) {
      const vb = ob[key];
      const va = oa[key];
      if (stableJson(vb) === stableJson(va)) continue;
      const text = (v: unknown): string => (v === undefined ? '(none)' : `${key}: ${display(v)}`);
      if (va === undefined) loosened(key, key, text(vb), text(va));
      else changed(key, key, text(vb), text(va), 'check that existing data still fits');
    }
  }

  // --- SLAs ----------------------------------------------------------------------------------

  private compareSlas(): void {
    const prop = (s: SlaProperty): string => s.property.toLowerCase();
    const elements = (s: SlaProperty): string => s.elements.map((e) => `${e.table}.${e.column}`.toLowerCase()).join(',');
    const counts = (list: readonly SlaProperty[]): Map<string, number> => {
      const m = new Map<string, number>();
      for (const s of list) m.set(prop(s), (m.get(prop(s)) ?? 0) + 1);
      return m;
    };
    const countBefore = counts(this.before.sla);
    const countAfter = counts(this.after.sla);
    // One SLA of a kind on each side: the same SLA even if its element moved.
    const { pairs, removed, added } = matchBy(this.before.sla, this.after.sla, [
      (s) => `${prop(s)}@${elements(s)}`,
      (s) => (countBefore.get(prop(s)) === 1 && countAfter.get(prop(s)) === 1 ? prop(s) : undefined),
    ]);
    const subjectOf = (s: SlaProperty): string =>
      (countBefore.get(prop(s)) ?? 0) > 1 || (countAfter.get(prop(s)) ?? 0) > 1 ? `sla.${s.property}(${elements(s)})` : `sla.${s.property}`;
    for (const s of removed) {
      this.emit({ rule: 'sla-removed', subject: subjectOf(s), message: `the ${s.property} SLA was removed: consumers lose a guarantee they may rely on`, before: slaText(s), origin: s.origin });
    }
    for (const s of added) {
      this.emit({ rule: 'sla-added', subject: subjectOf(s), message: `a ${s.property} SLA was added`, after: slaText(s), origin: s.origin });
    }
    for (const [b, a] of pairs) {
      const subject = subjectOf(a);
      if (elements(b) !== elements(a)) {
        this.emit({ rule: 'sla-changed', subject, message: `the ${a.property} SLA is measured on another element`, before: elements(b) || '(none)', after: elements(a) || '(none)', origin: this.at(a, b, 'element') });
      }
      const direction = compareSla(b, a);
      const values = { before: slaText(b), after: slaText(a), origin: this.at(a, b, 'value') };
      if (direction === 'weaker') {
        this.emit({ rule: 'sla-weakened', subject, message: `the ${a.property} SLA was weakened: consumers get less than they were promised`, ...values });
      } else if (direction === 'stronger') {
        this.emit({ rule: 'sla-strengthened', subject, message: `the ${a.property} SLA was strengthened`, ...values });
      } else if (direction === 'unknown') {
        this.emit({ rule: 'sla-changed', subject, message: `the ${a.property} SLA changed in a way whose direction cannot be told`, ...values });
      }
      if ((b.description ?? '') !== (a.description ?? '')) {
        this.emit({ rule: 'description-changed', subject, message: `the description of the ${a.property} SLA changed`, before: short(b.description), after: short(a.description), origin: this.at(a, b, 'description') });
      }
    }
  }

  // --- quality -------------------------------------------------------------------------------

  private compareQuality(): void {
    const before = allQualityRules(this.before);
    const after = allQualityRules(this.after);
    const targetOf = (r: QualityRule): string => `${r.target.table}${r.target.column ? `.${r.target.column}` : ''}`.toLowerCase();
    // Rules without an id or a name match on what they measure, when that is unambiguous.
    const fallback = (r: QualityRule): string | undefined =>
      r.type === 'sql' ? `sql:${targetOf(r)}:${(r.query ?? '').replace(/\s+/g, ' ').trim().toLowerCase()}` : r.metric ? `${r.type}:${targetOf(r)}:${r.metric}` : undefined;
    const { pairs, removed, added } = matchBy(
      before,
      after,
      [(r) => (r.id ? `id:${r.id}` : undefined), (r) => (r.name ? `name:${r.name.toLowerCase()}` : undefined), fallback],
      { uniqueKeys: [false, false, true] },
    );
    // Rules of removed tables or columns went with them; the removal is already reported.
    const columnGone = (r: QualityRule): boolean => {
      const table = this.after.tables.find((t) => t.name.toLowerCase() === r.target.table.toLowerCase());
      if (!table) return true;
      if (!r.target.column) return false;
      const top = r.target.column.split(/[.[]/)[0]!.toLowerCase();
      return !table.columns.some((c) => c.name.toLowerCase() === top);
    };
    for (const r of removed) {
      if (columnGone(r)) continue;
      this.emit({ rule: 'quality-rule-removed', subject: qualitySubject(r), message: `quality rule ${ruleLabel(r)} was removed: consumers lose a check they may rely on`, before: ruleText(r), origin: r.origin });
    }
    for (const r of added) {
      this.emit({ rule: 'quality-rule-added', subject: qualitySubject(r), message: `quality rule ${ruleLabel(r)} was added`, after: ruleText(r), origin: r.origin });
    }
    for (const [b, a] of pairs) this.compareRule(b, a);
  }

  private compareRule(b: QualityRule, a: QualityRule): void {
    const subject = qualitySubject(a);
    const label = ruleLabel(a);
    const at = (key: string): Origin | undefined => this.at(a, b, key);
    const changed = (why: string, before: string, after: string, key: string): void =>
      this.emit({ rule: 'quality-rule-changed', subject, message: `quality rule ${label} changed: ${why}`, before, after, origin: at(key) });

    if (targetOfRule(b).toLowerCase() !== targetOfRule(a).toLowerCase()) changed('it checks another table or column', targetOfRule(b), targetOfRule(a), 'name');
    const comparable = b.type === a.type && b.metric === a.metric && b.unit === a.unit;
    if (b.type !== a.type) changed('its type changed', b.type, a.type, 'type');
    else if (b.metric !== a.metric) changed('its metric changed', b.metric ?? '(none)', a.metric ?? '(none)', 'metric');
    else if (b.unit !== a.unit) changed('its unit changed, so the thresholds cannot be compared', b.unit, a.unit, 'unit');
    if ((b.query ?? '').replace(/\s+/g, ' ').trim() !== (a.query ?? '').replace(/\s+/g, ' ').trim()) {
      changed('its query changed', b.query ?? '(none)', a.query ?? '(none)', 'query');
    }

    if (comparable) {
      const direction = compareThresholds(b.threshold, a.threshold, a.unit);
      const values = { before: thresholdText(b.threshold), after: thresholdText(a.threshold), origin: at(a.threshold?.operator ?? 'unit') };
      if (direction === 'looser') this.emit({ rule: 'quality-rule-loosened', subject, message: `the threshold of quality rule ${label} was loosened: data that failed it may now pass`, ...values });
      else if (direction === 'tighter') this.emit({ rule: 'quality-rule-tightened', subject, message: `the threshold of quality rule ${label} was tightened`, ...values });
      else if (direction === 'unknown') changed('its threshold changed in no clear direction', values.before, values.after, a.threshold?.operator ?? 'unit');
    }

    // Arguments: the set of valid values has a direction; anything else is just a change.
    const argsBefore = b.arguments;
    const argsAfter = a.arguments;
    for (const key of [...new Set([...Object.keys(argsBefore), ...Object.keys(argsAfter)])].sort()) {
      const vb = argsBefore[key];
      const va = argsAfter[key];
      if (stableJson(vb) === stableJson(va)) continue;
      const origin = this.at(a, b, 'arguments', key);
      if (key === 'validValues' && Array.isArray(vb) && Array.isArray(va)) {
        const sb = new Set(vb.map((v) => stableJson(v)));
        const sa = new Set(va.map((v) => stableJson(v)));
        const addedValues = [...sa].filter((v) => !sb.has(v));
        const removedValues = [...sb].filter((v) => !sa.has(v));
        const text = (list: unknown[]): string => list.map(display).join(', ');
        if (removedValues.length === 0) {
          this.emit({ rule: 'quality-rule-loosened', subject, message: `quality rule ${label} accepts more values (${addedValues.join(', ')}): consumers may meet values they do not handle`, before: text(vb), after: text(va), origin });
        } else if (addedValues.length === 0) {
          this.emit({ rule: 'quality-rule-tightened', subject, message: `quality rule ${label} accepts fewer values (no longer ${removedValues.join(', ')})`, before: text(vb), after: text(va), origin });
        } else {
          changed('its valid values changed', text(vb), text(va), `arguments`);
        }
      } else {
        changed(`its argument '${key}' changed`, vb === undefined ? '(none)' : display(vb), va === undefined ? '(none)' : display(va), 'arguments');
      }
    }

    const severityRank = (s: string): number | undefined => ({ info: 0, warning: 1, warn: 1, error: 2 })[s.toLowerCase()];
    if (b.severity.toLowerCase() !== a.severity.toLowerCase()) {
      const rb = severityRank(b.severity);
      const ra = severityRank(a.severity);
      const values = { before: b.severity, after: a.severity, origin: at('severity') };
      if (rb !== undefined && ra !== undefined && ra < rb) {
        this.emit({ rule: 'quality-rule-loosened', subject, message: `quality rule ${label} was downgraded from ${b.severity} to ${a.severity}: failures no longer count as errors`, ...values });
      } else if (rb !== undefined && ra !== undefined) {
        this.emit({ rule: 'quality-rule-tightened', subject, message: `quality rule ${label} was upgraded from ${b.severity} to ${a.severity}`, ...values });
      } else {
        changed('its severity changed', b.severity, a.severity, 'severity');
      }
    }

    for (const field of ['name', 'description', 'dimension', 'businessImpact', 'schedule', 'scheduler'] as const) {
      if ((b[field] ?? '') !== (a[field] ?? '')) {
        this.emit({ rule: 'quality-rule-metadata-changed', subject, message: `the ${field} of quality rule ${label} changed`, before: short(b[field]), after: short(a[field]), origin: at(field) });
      }
    }
    if ([...b.tags].sort().join(',') !== [...a.tags].sort().join(',')) {
      this.emit({ rule: 'quality-rule-metadata-changed', subject, message: `the tags of quality rule ${label} changed`, before: b.tags.join(', ') || '(none)', after: a.tags.join(', ') || '(none)', origin: at('tags') });
    }
  }
}

// --- matching --------------------------------------------------------------------------------

/**
 * Pairs elements of two lists: by the first key function, then the next on what is left, and so
 * on. A key function returning undefined does not match that element. With `uniqueKeys[i]`, key i
 * only pairs elements whose key is unique on both sides (so two rules on the same column with the
 * same metric are never paired by guess). Each pair carries the index of the key that matched.
 */
export function matchBy<T>(
  before: readonly T[],
  after: readonly T[],
  keys: readonly ((item: T) => string | undefined)[],
  options: { uniqueKeys?: readonly boolean[] } = {},
): { pairs: [T, T, number][]; removed: T[]; added: T[] } {
  const pairs: [T, T, number][] = [];
  let restBefore = [...before];
  let restAfter = [...after];
  for (const [k, key] of keys.entries()) {
    const unique = options.uniqueKeys?.[k] ?? false;
    const count = (list: readonly T[]): Map<string, number> => {
      const m = new Map<string, number>();
      for (const item of list) {
        const value = key(item);
        if (value !== undefined) m.set(value, (m.get(value) ?? 0) + 1);
      }
      return m;
    };
    const countBefore = count(restBefore);
    const countAfter = count(restAfter);
    const available = new Map<string, T[]>();
    for (const item of restAfter) {
      const value = key(item);
      if (value === undefined) continue;
      available.set(value, [...(available.get(value) ?? []), item]);
    }
    const matchedAfter = new Set<T>();
    const nextBefore: T[] = [];
    for (const item of restBefore) {
      const value = key(item);
      const candidates = value === undefined ? undefined : available.get(value);
      const ambiguous = unique && value !== undefined && ((countBefore.get(value) ?? 0) > 1 || (countAfter.get(value) ?? 0) > 1);
      const match = !ambiguous ? candidates?.shift() : undefined;
      if (match === undefined) {
        nextBefore.push(item);
      } else {
        pairs.push([item, match, k]);
        matchedAfter.add(match);
      }
    }
    restBefore = nextBefore;
    restAfter = restAfter.filter((item) => !matchedAfter.has(item));
  }
  return { pairs, removed: restBefore, added: restAfter };
}

// --- types -----------------------------------------------------------------------------------

type TypeVerdict = { kind: 'widened' | 'widened-with-rewrite' | 'narrowed' | 'changed'; note: string };

const INTEGER_RANK: Partial<Record<GluePrimitive, number>> = { tinyint: 1, smallint: 2, int: 3, bigint: 4 };
/** Decimal digits an integer type needs. */
const INTEGER_DIGITS: Partial<Record<GluePrimitive, number>> = { tinyint: 3, smallint: 5, int: 10, bigint: 19 };
/** Integer types whose every value a floating type holds exactly (float: 24-bit, double: 53-bit mantissa). */
const EXACT_IN_FLOAT: Record<'float' | 'double', readonly GluePrimitive[]> = { float: ['tinyint', 'smallint'], double: ['tinyint', 'smallint', 'int'] };

const REWRITE_NOTE = 'Athena reads files written with the old type as the new one only for wider integers and float to double: rewrite the existing data, or check queries over old partitions';

/** Compares two non-container types (or containers of different kinds). */
export function compareScalarTypes(b: GlueType, a: GlueType): TypeVerdict {
  const bt = glueTypeToString(b);
  const at = glueTypeToString(a);
  if (b.kind === 'primitive' && a.kind === 'primitive') {
    const rb = INTEGER_RANK[b.name];
    const ra = INTEGER_RANK[a.name];
    if (rb !== undefined && ra !== undefined) {
      return ra > rb
        ? { kind: 'widened', note: `Athena reads existing ${bt} files as ${at}` }
        : { kind: 'narrowed', note: `values beyond the range of ${at} no longer fit` };
    }
    if (b.name === 'float' && a.name === 'double') return { kind: 'widened', note: 'Athena reads existing float files as double' };
    if (b.name === 'double' && a.name === 'float') return { kind: 'narrowed', note: 'float holds fewer digits than double' };
    if (rb !== undefined && (a.name === 'float' || a.name === 'double')) {
      return EXACT_IN_FLOAT[a.name].includes(b.name)
        ? { kind: 'widened-with-rewrite', note: REWRITE_NOTE }
        : { kind: 'changed', note: `large ${bt} values lose precision as ${at}` };
    }
    if (b.name === 'string' || a.name === 'string') {
      return { kind: 'changed', note: `values of ${bt} and ${at} are read and compared differently; consumers must change their code` };
    }
    return { kind: 'changed', note: `${bt} and ${at} hold different kinds of values` };
  }
  const isText = (t: GlueType): boolean => t.kind === 'varchar' || t.kind === 'char' || (t.kind === 'primitive' && t.name === 'string');
  const length = (t: GlueType): number => (t.kind === 'varchar' || t.kind === 'char' ? t.length : Number.POSITIVE_INFINITY);
  if (isText(b) && isText(a)) {
    if (length(a) < length(b)) return { kind: 'narrowed', note: `strings longer than ${length(a)} characters no longer fit` };
    if (b.kind === 'char' && a.kind !== 'char') {
      return { kind: 'widened-with-rewrite', note: 'char values were blank-padded and the new type does not pad: comparisons with padded values change' };
    }
    if (b.kind !== 'char' && a.kind === 'char') return { kind: 'changed', note: 'char pads values with blanks, so values read back differently' };
    if (b.kind === 'char' && a.kind === 'char') return { kind: 'changed', note: 'char pads values to its length, so values read back differently' };
    return { kind: 'widened', note: 'strings are stored alike, so existing files read as before' };
  }
  if (b.kind === 'decimal' && a.kind === 'decimal') {
    const integerDigitsBefore = b.precision - b.scale;
    const integerDigitsAfter = a.precision - a.scale;
    if (integerDigitsAfter >= integerDigitsBefore && a.scale >= b.scale) return { kind: 'widened-with-rewrite', note: REWRITE_NOTE };
    const lost = [integerDigitsAfter < integerDigitsBefore ? `${integerDigitsBefore - integerDigitsAfter} integer digit(s)` : '', a.scale < b.scale ? `${b.scale - a.scale} fraction digit(s)` : '']
      .filter(Boolean)
      .join(' and ');
    return { kind: 'narrowed', note: `${at} holds ${lost} fewer than ${bt}` };
  }
  if (b.kind === 'primitive' && a.kind === 'decimal') {
    const digits = INTEGER_DIGITS[b.name];
    if (digits !== undefined) {
      return a.precision - a.scale >= digits
        ? { kind: 'widened-with-rewrite', note: REWRITE_NOTE }
        : { kind: 'narrowed', note: `${bt} values need up to ${digits} integer digits; ${at} holds ${a.precision - a.scale}` };
    }
  }
  return { kind: 'changed', note: `${bt} and ${at} hold different kinds of values` };
}

function typeText(column: Column): string {
  if (column.glueType) return glueTypeToString(column.glueType);
  return column.physicalType ?? column.logicalType ?? '(none)';
}

// --- validation bounds -----------------------------------------------------------------------

interface Bound {
  readonly value: number | string;
  readonly exclusive: boolean;
}

/** The effective bound from an inclusive and an exclusive option (the tighter one wins). */
function bound(options: Readonly<Record<string, unknown>>, inclusiveKey: string, exclusiveKey: string, side: 'lower' | 'upper'): Bound | undefined {
  const candidates: Bound[] = [];
  for (const [key, exclusive] of [
    [inclusiveKey, false],
    [exclusiveKey, true],
  ] as const) {
    const value = options[key];
    if (typeof value === 'number' || typeof value === 'string') candidates.push({ value, exclusive });
  }
  if (candidates.length < 2) return candidates[0];
  const [x, y] = candidates as [Bound, Bound];
  const order = compareValues(x.value, y.value);
  if (order === undefined) return x;
  if (order === 0) return y; // the exclusive one
  return (order > 0) === (side === 'lower') ? x : y;
}

/** -1/0/1, or undefined when the two values cannot be ordered (e.g. a number and a text). */
function compareValues(x: number | string, y: number | string): number | undefined {
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  if (typeof x === 'string' && typeof y === 'string') {
    const tx = Date.parse(x);
    const ty = Date.parse(y);
    if (!Number.isNaN(tx) && !Number.isNaN(ty)) return Math.sign(tx - ty);
    return x === y ? 0 : undefined;
  }
  return undefined;
}

function compareBounds(b: Bound | undefined, a: Bound | undefined, side: 'lower' | 'upper'): 'same' | 'tighter' | 'looser' | 'unknown' {
  if (!b && !a) return 'same';
  if (!b) return 'tighter';
  if (!a) return 'looser';
  const order = compareValues(a.value, b.value);
  if (order === undefined) return 'unknown';
  if (order === 0) return a.exclusive === b.exclusive ? 'same' : a.exclusive ? 'tighter' : 'looser';
  return (order > 0) === (side === 'lower') ? 'tighter' : 'looser';
}

function isMultiple(x: number, of: number): boolean {
  if (of === 0) return false;
  const ratio = x / of;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

// --- SLAs ------------------------------------------------------------------------------------

/** Properties where more is better; everything timed is better lower, except retention. */
const HIGHER_IS_BETTER = new Set(['retention', 'availability', 'throughput', 'endofsupport', 'endoflife']);
const LOWER_IS_BETTER = new Set(['latency', 'freshness', 'frequency', 'timetodetect', 'timetonotify', 'timetorepair', 'errorrate', 'timeofavailability']);

function compareSla(b: SlaProperty, a: SlaProperty): 'same' | 'stronger' | 'weaker' | 'unknown' {
  const name = a.property.toLowerCase();
  const sameText = stableJson([b.value, b.unit ?? null, b.valueExt ?? null]) === stableJson([a.value, a.unit ?? null, a.valueExt ?? null]);
  if (sameText) return 'same';
  let vb = slaMagnitude(b);
  let va = slaMagnitude(a);
  if (TIME_SLA_PROPERTIES.has(name)) {
    // A duration whose unit we cannot read compares only with the same unit.
    const sameUnit = (b.unit ?? '').toLowerCase() === (a.unit ?? '').toLowerCase();
    vb = b.durationMs ?? (sameUnit && typeof b.value === 'number' ? b.value : undefined);
    va = a.durationMs ?? (sameUnit && typeof a.value === 'number' ? a.value : undefined);
    if ((b.durationMs === undefined) !== (a.durationMs === undefined)) return 'unknown';
  }
  if (vb === undefined || va === undefined) return 'unknown';
  if (vb === va) return 'same';
  if (HIGHER_IS_BETTER.has(name)) return va > vb ? 'stronger' : 'weaker';
  if (LOWER_IS_BETTER.has(name)) return va < vb ? 'stronger' : 'weaker';
  return 'unknown';
}

/** A comparable number for an SLA value: a duration, a percentage, a date, a time of day. */
function slaMagnitude(s: SlaProperty): number | undefined {
  if (s.durationMs !== undefined) return s.durationMs;
  const name = s.property.toLowerCase();
  const { value } = s;
  if (name === 'timeofavailability' && typeof value === 'string') {
    const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(value);
    return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : undefined;
  }
  if ((name === 'endofsupport' || name === 'endoflife') && typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
    return m ? Number(m[1]) : undefined;
  }
  return undefined;
}

function slaText(s: SlaProperty): string {
  return `${display(s.value)}${s.unit ? ` ${s.unit}` : ''}`;
}

// --- quality ---------------------------------------------------------------------------------

/** An interval of accepted metric values; a threshold is a union of disjoint ones. */
interface Interval {
  readonly lo: number;
  readonly loIn: boolean;
  readonly hi: number;
  readonly hiIn: boolean;
}

const INF = Number.POSITIVE_INFINITY;

function thresholdSet(t: QualityThreshold): Interval[] {
  const all = (lo: number, loIn: boolean, hi: number, hiIn: boolean): Interval => ({ lo, loIn, hi, hiIn });
  switch (t.operator) {
    case 'mustBe':
      return [all(t.value, true, t.value, true)];
    case 'mustNotBe':
      return [all(-INF, false, t.value, false), all(t.value, false, INF, false)];
    case 'mustBeGreaterThan':
      return [all(t.value, false, INF, false)];
    case 'mustBeGreaterOrEqualTo':
      return [all(t.value, true, INF, false)];
    case 'mustBeLessThan':
      return [all(-INF, false, t.value, false)];
    case 'mustBeLessOrEqualTo':
      return [all(-INF, false, t.value, true)];
    // Bounds excluded, as the standard says ("equivalent to > and <") and lib/quality evaluates.
    case 'mustBeBetween':
      return [all(t.range[0], false, t.range[1], false)];
    case 'mustNotBeBetween':
      return [all(-INF, false, t.range[0], true), all(t.range[1], true, INF, false)];
  }
}

/**
 * Restricts a threshold to the values its metric can take: whole row counts from 0, or a
 * percentage in 0..100, so `mustBe: 0` and `mustBeLessThan: 1` on rows compare as equal.
 */
function normalize(set: Interval[], unit: QualityRule['unit']): Interval[] {
  const out: Interval[] = [];
  for (const i of set) {
    let { lo, loIn, hi, hiIn } = i;
    if (unit === 'rows') {
      lo = loIn ? Math.ceil(lo) : Math.floor(lo) + 1;
      hi = hiIn ? Math.floor(hi) : Math.ceil(hi) - 1;
      loIn = true;
      hiIn = true;
      if (lo < 0) lo = 0;
      if (hi === INF) hiIn = false;
    } else {
      if (lo < 0) {
        lo = 0;
        loIn = true;
      }
      if (hi > 100) {
        hi = 100;
        hiIn = true;
      }
    }
    if (lo < hi || (lo === hi && loIn && hiIn)) out.push({ lo, loIn, hi, hiIn });
  }
  return out;
}

function within(inner: Interval, outer: Interval): boolean {
  const loOk = outer.lo < inner.lo || (outer.lo === inner.lo && (outer.loIn || !inner.loIn));
  const hiOk = outer.hi > inner.hi || (outer.hi === inner.hi && (outer.hiIn || !inner.hiIn));
  return loOk && hiOk;
}

function subset(a: Interval[], b: Interval[]): boolean {
  return a.every((i) => b.some((j) => within(i, j)));
}

function compareThresholds(b: QualityThreshold | undefined, a: QualityThreshold | undefined, unit: QualityRule['unit']): 'same' | 'tighter' | 'looser' | 'unknown' {
  if (!b && !a) return 'same';
  if (!b || !a) return 'unknown';
  const sb = normalize(thresholdSet(b), unit);
  const sa = normalize(thresholdSet(a), unit);
  const aInB = subset(sa, sb);
  const bInA = subset(sb, sa);
  if (aInB && bInA) return 'same';
  if (aInB) return 'tighter';
  if (bInA) return 'looser';
  return 'unknown';
}

function thresholdText(t: QualityThreshold | undefined): string {
  if (!t) return '(none)';
  return 'range' in t ? `${t.operator} [${t.range[0]}, ${t.range[1]}]` : `${t.operator} ${t.value}`;
}

function ruleLabel(r: QualityRule): string {
  return `'${r.id ?? r.name ?? (r.type === 'sql' ? 'sql' : (r.metric ?? r.type))}'`;
}

function targetOfRule(r: QualityRule): string {
  return `${r.target.table}${r.target.column ? `.${r.target.column}` : ''}`;
}

function qualitySubject(r: QualityRule): string {
  return `${targetOfRule(r)}/quality/${r.id ?? r.name ?? (r.type === 'sql' ? 'sql' : (r.metric ?? r.type))}`;
}

function ruleText(r: QualityRule): string {
  const what = r.type === 'sql' ? 'sql' : (r.metric ?? r.type);
  return `${what}${r.threshold ? ` ${thresholdText(r.threshold)}` : ''}${r.unit === 'percent' ? ' %' : ''}`;
}

// --- text helpers ----------------------------------------------------------------------------

/**
 * The contract's descriptive fields: a change to any of them is reported for the catalog and never
 * breaks a consumer. One row per field, compared by `compare` and shown by `show` (default: the
 * compared text, or "(none)"); the order is the order of the report.
 */
interface DescriptiveField {
  readonly rule: DiffRule;
  readonly subject: string;
  readonly message: string;
  /** The top-level field a change is located at. */
  readonly origin: string;
  readonly compare: (c: DataContract) => string;
  readonly show?: (c: DataContract) => string;
}

const CONTRACT_DESCRIPTIVE_FIELDS: readonly DescriptiveField[] = [
  ...(['name', 'apiVersion', 'tenant', 'dataProduct'] as const).map((field) => ({
    rule: 'metadata-changed' as const,
    subject: field,
    message: `${field} changed`,
    origin: field,
    compare: (c: DataContract) => c[field] ?? '',
    show: (c: DataContract) => c[field] ?? '(none)',
  })),
  ...(['purpose', 'usage', 'limitations'] as const).map((field) => ({
    rule: 'description-changed' as const,
    subject: `description.${field}`,
    message: `the contract's ${field} changed`,
    origin: 'description',
    compare: (c: DataContract) => c.description[field] ?? '',
    show: (c: DataContract) => short(c.description[field]),
  })),
  { rule: 'tags-changed', subject: 'tags', message: 'tags changed', origin: 'tags', compare: (c) => [...c.tags].sort().join(', ') },
  {
    rule: 'owners-changed',
    subject: 'team',
    message: 'the owning team or its owners changed',
    origin: 'team',
    compare: (c) => [c.team?.name ?? '', ...c.owners.map((o) => o.username).sort()].join(', '),
    show: describeTeam,
  },
  {
    rule: 'support-changed',
    subject: 'support',
    message: 'the support channels changed',
    origin: 'support',
    compare: (c) => c.support.map((s) => [s.channel, s.tool, s.url].filter((x) => x !== undefined).join(' ')).sort().join('; '),
  },
  { rule: 'roles-changed', subject: 'roles', message: 'the access roles changed', origin: 'roles', compare: (c) => c.roles.map((r) => `${r.role}${r.access ? ` (${r.access})` : ''}`).sort().join(', ') },
  { rule: 'custom-properties-changed', subject: 'customProperties', message: 'custom properties changed', origin: 'customProperties', compare: (c) => stableJson(c.customProperties), show: (c) => stableJson(c.customProperties) },
];

function describeTeam(c: DataContract): string {
  const owners = c.owners.map((o) => o.username).sort().join(', ');
  return `${c.team?.name ?? '(no team)'}${owners ? ` (owners: ${owners})` : ''}`;
}

function describeServer(s: Server): string {
  const where = ['location', 'host', 'database', 'schema', 'path'].map((k) => s[k]).find((v) => typeof v === 'string');
  return `${s.type}${typeof where === 'string' ? ` ${where}` : ''}`;
}

function relationshipsText(list: readonly { type: string; from: readonly string[]; to: readonly string[] }[]): string {
  return list
    .map((r) => `${r.type}: ${r.from.join('+')} -> ${r.to.join('+')}`)
    .sort()
    .join('; ');
}

/** One-line text of a value for before/after. */
function display(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return stableJson(value);
}

/** Long descriptions shortened for a one-line report. */
function short(text: string | undefined): string {
  if (text === undefined || text === '') return '(none)';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

/** JSON with sorted keys, so equal data compares equal regardless of key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
