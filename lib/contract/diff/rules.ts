/**
 * The vocabulary of a contract diff: the rules a change is judged by (with their severities, for
 * help texts and docs), and the shape of a change and of a diff.
 */
import type { Origin } from '../model.js';

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
