/**
 * Access requests as plain data: what a consumer asks for, what it would grant in Lake Formation,
 * and who must approve it. Everything here is computed when the request is made, from the
 * product's published contract and the mesh config, so the approvers decide on exactly the grant
 * that will be applied and a request can never grant more than what they were shown.
 */
import type { ProductPage } from '../../catalog/api-schema.js';
import type { MeshConfig } from '../../mesh/config.js';
import { CLASSIFICATION_TAG, DOMAIN_TAG, type Permission, type TagExpression } from '../model.js';
import type { PermissionResource } from '../plan.js';
import { refuse } from './errors.js';
import type { Caller } from './identity.js';
import { normalizeRowFilter } from './row-filter.js';

export const REQUEST_STATES = ['pending', 'approved', 'active', 'denied', 'expired', 'revoked'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export type RequestScope = { readonly kind: 'classification'; readonly classification: string } | { readonly kind: 'columns'; readonly columns: readonly string[] };

/** What the requester sends (the identity comes from IAM, not from here). */
export interface RequestInput {
  readonly product: string;
  readonly scope: RequestScope;
  /** A row filter over one table of the product. */
  readonly rowFilter?: string;
  /** The table the row filter applies to; needed when the product has more than one. */
  readonly table?: string;
  readonly reason: string;
  /** `12h`, `30d`, `2w`. */
  readonly duration: string;
  /** The active request this one renews. */
  readonly renews?: string;
}

/** A data cells filter Lake Formation creates before the grant that names it. */
export interface CellsFilter {
  readonly catalog: string;
  readonly database: string;
  readonly table: string;
  readonly name: string;
  readonly columns: readonly string[];
  readonly rowFilter: string;
}

export type GrantResource =
  | Extract<PermissionResource, { type: 'lf-tag-policy' | 'database' | 'columns' }>
  | { readonly type: 'data-cells-filter'; readonly catalog: string; readonly database: string; readonly table: string; readonly name: string };

export interface GrantEntry {
  readonly resource: GrantResource;
  readonly permissions: readonly Permission[];
}

/** The Lake Formation side of a request: what approval applies and what revocation removes. */
export interface RequestGrant {
  /** The IAM role or user granted to. */
  readonly principal: string;
  readonly entries: readonly GrantEntry[];
  readonly filters: readonly CellsFilter[];
  /** The classifications of the columns granted, least to most sensitive. */
  readonly classes: readonly string[];
  /** `table: col, col` per table: what the approvers read. */
  readonly columns: Readonly<Record<string, readonly string[]>>;
  readonly method: 'lf-tag-expression' | 'named-columns' | 'data-cells-filter';
}

export interface Approval {
  readonly by: string;
  readonly as: readonly ('owner' | 'admin')[];
  readonly at: string;
}

export interface AccessRequest {
  readonly id: string;
  readonly product: string;
  readonly domain: string;
  /** The verified caller ARN that asked. */
  readonly requester: string;
  readonly reason: string;
  readonly scope: RequestScope;
  readonly rowFilter?: { readonly table: string; readonly expression: string };
  readonly durationSeconds: number;
  readonly grant: RequestGrant;
  /** One owner always; a governance admin too (a second, different person) for the most sensitive class. */
  readonly needsAdmin: boolean;
  readonly approvals: readonly Approval[];
  readonly state: RequestState;
  /** Incremented on every change; a decision names the revision it was made on. */
  readonly revision: number;
  readonly createdAt: string;
  /** A pending request not decided by then expires. */
  readonly decideBy: string;
  readonly decidedBy?: string;
  readonly activatedAt?: string;
  readonly expiresAt?: string;
  readonly endedAt?: string;
  readonly endedBy?: string;
  readonly note?: string;
  readonly renews?: string;
}

export interface DurationBounds {
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

export const DEFAULT_BOUNDS: DurationBounds = { minSeconds: 3600, maxSeconds: 90 * 86400 };
/** How long a request waits for its decision. */
export const DECISION_WINDOW_SECONDS = 14 * 86400;

const UNIT_SECONDS: Record<string, number> = { h: 3600, d: 86400, w: 7 * 86400 };

export function parseDuration(text: string, bounds: DurationBounds = DEFAULT_BOUNDS): number {
  const m = /^(\d{1,5})([hdw])$/.exec(text.trim());
  if (!m) refuse('InvalidDuration', `duration '${text}' is not a number of hours, days or weeks, such as 12h, 30d or 2w`);
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  if (seconds < bounds.minSeconds || seconds > bounds.maxSeconds) {
    refuse('DurationOutOfBounds', `duration '${text}' is outside the allowed ${formatSeconds(bounds.minSeconds)} to ${formatSeconds(bounds.maxSeconds)}`);
  }
  return seconds;
}

export function formatSeconds(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  return `${Math.round(seconds / 3600)}h`;
}

/** What the service knows about the product and its domain when a request is made. */
export interface RequestContext {
  readonly caller: Caller;
  /** The product's latest published version, or undefined when the catalog has none. */
  readonly page: ProductPage | undefined;
  readonly config: MeshConfig;
  /** The team names of every product of the product's domain (the product's own included). */
  readonly domainTeams: readonly (string | undefined)[];
  readonly id: string;
  readonly now: Date;
  readonly bounds?: DurationBounds;
}

export function createRequest(input: RequestInput, ctx: RequestContext): AccessRequest {
  const { page, config } = ctx;
  if (!page) return refuse('UnknownProduct', `product '${input.product}' is not in the catalog; tessera catalog search lists the products`);
  const reason = input.reason.trim();
  if (reason.length < 10 || reason.length > 1000) refuse('InvalidReason', 'the reason must say why access is needed, in 10 to 1000 characters');
  const durationSeconds = parseDuration(input.duration, ctx.bounds);
  const domain = config.domains.find((d) => d.name === page.domain);
  if (!domain) return refuse('UnknownProduct', `product '${page.id}' belongs to domain '${page.domain}', which the mesh config does not declare`);
  const grant = grantOf(input, page, config, domain.account, ctx.caller.principal, ctx.domainTeams, ctx.id);
  const top = config.classifications[config.classifications.length - 1];
  const createdAt = ctx.now.toISOString();
  return {
    id: ctx.id,
    product: page.id,
    domain: page.domain,
    requester: ctx.caller.arn,
    reason,
    scope: input.scope,
    ...(input.rowFilter !== undefined ? { rowFilter: { table: grant.filters[0]!.table, expression: grant.filters[0]!.rowFilter } } : {}),
    durationSeconds,
    grant,
    needsAdmin: top !== undefined && grant.classes.includes(top),
    approvals: [],
    state: 'pending',
    revision: 1,
    createdAt,
    decideBy: new Date(ctx.now.getTime() + DECISION_WINDOW_SECONDS * 1000).toISOString(),
    ...(input.renews !== undefined ? { renews: input.renews } : {}),
  };
}

interface PageColumn {
  readonly table: string;
  readonly column: string;
  readonly classification: string | undefined;
}

function columnsOf(page: ProductPage): PageColumn[] {
  return page.tables.flatMap((t) => t.columns.map((c) => ({ table: t.physicalName, column: c.physicalName, classification: c.classification ?? t.classification })));
}

/** The columns the scope selects, checked against the product and the ontology. */
function selectColumns(scope: RequestScope, page: ProductPage, ontology: readonly string[]): PageColumn[] {
  const all = columnsOf(page);
  if (scope.kind === 'classification') {
    const level = ontology.indexOf(scope.classification);
    if (level < 0) refuse('UnknownClassification', `classification '${scope.classification}' is not in the mesh's ontology (${ontology.join(', ')})`);
    const held = ontology.filter((c) => all.some((col) => col.classification === c));
    const highest = held[held.length - 1];
    if (highest === undefined || level > ontology.indexOf(highest)) {
      refuse('ClassAboveApprovers', `product '${page.id}' holds nothing classified above '${highest ?? 'none'}', so its owners cannot approve '${scope.classification}'; ask for ${highest ?? 'named columns'}`);
    }
    return all.filter((c) => c.classification !== undefined && ontology.indexOf(c.classification) <= level);
  }
  if (scope.columns.length === 0) refuse('InvalidScope', 'name at least one column, or ask for a classification');
  return [...new Set(scope.columns)].map((name) => {
    const [table, column] = name.includes('.') ? name.split('.', 2) : [undefined, name];
    const found = all.filter((c) => c.column === column && (table === undefined || c.table === table));
    if (found.length === 0) refuse('UnknownColumn', `product '${page.id}' has no column '${name}'; it has ${all.map((c) => `${c.table}.${c.column}`).join(', ')}`);
    if (found.length > 1) refuse('InvalidScope', `column '${name}' is in several tables of '${page.id}' (${found.map((c) => c.table).join(', ')}); write it as <table>.${column}`);
    return found[0]!;
  });
}

function grantOf(input: RequestInput, page: ProductPage, config: MeshConfig, catalog: string, principal: string, domainTeams: readonly (string | undefined)[], id: string): RequestGrant {
  const ontology = config.classifications;
  const selected = selectColumns(input.scope, page, ontology);
  if (selected.length === 0) refuse('InvalidScope', `the request selects no column of '${page.id}'`);
  const classes = ontology.filter((c) => selected.some((s) => s.classification === c));
  const byTable: Record<string, string[]> = {};
  for (const s of selected) (byTable[s.table] ??= []).push(s.column);
  const gov = config.governance.account;
  // The database itself (DESCRIBE, needed to see a table shared across accounts) and the
  // governance account's resource link to it, by name, as the mesh's consumer grants do.
  const describe: GrantEntry[] = [
    { resource: { type: 'database', catalog, database: page.database }, permissions: ['DESCRIBE'] },
    ...(catalog !== gov ? [{ resource: { type: 'database' as const, catalog: gov, database: page.database }, permissions: ['DESCRIBE' as const] }] : []),
  ];

  if (input.rowFilter !== undefined) {
    const tables = Object.keys(byTable);
    const table = input.table ?? (tables.length === 1 ? tables[0]! : refuse('InvalidScope', `a row filter applies to one table; name it with table (one of ${tables.join(', ')})`));
    if (!page.tables.some((t) => t.physicalName === table)) refuse('UnknownTable', `product '${page.id}' has no table '${table}'; it has ${page.tables.map((t) => t.physicalName).join(', ')}`);
    const columns = byTable[table];
    if (!columns) refuse('InvalidScope', `the request selects no column of table '${table}'`);
    if (tables.length > 1) refuse('InvalidScope', `a row filter covers one table, but the request selects columns of ${tables.join(', ')}; name columns of '${table}' only`);
    const tableColumns = page.tables.find((t) => t.physicalName === table)!.columns.map((c) => c.physicalName);
    const filter: CellsFilter = { catalog, database: page.database, table, name: `tessera-${id}`, columns, rowFilter: normalizeRowFilter(input.rowFilter, tableColumns) };
    return {
      principal,
      method: 'data-cells-filter',
      classes,
      columns: byTable,
      filters: [filter],
      entries: [...describe, { resource: { type: 'data-cells-filter', catalog, database: page.database, table, name: filter.name }, permissions: ['SELECT'] }],
    };
  }

  // A tag expression reaches every product of the domain at those classes: only when they are all
  // the same team's does it stay within what the approvers own. Otherwise, the named columns.
  const oneTeam = page.team?.name !== undefined && domainTeams.every((t) => t === page.team!.name);
  if (input.scope.kind === 'classification' && oneTeam) {
    const expression: TagExpression = [
      { key: DOMAIN_TAG, values: [page.domain] },
      { key: CLASSIFICATION_TAG, values: ontology.slice(0, ontology.indexOf(input.scope.classification) + 1) },
    ];
    return { principal, method: 'lf-tag-expression', classes, columns: byTable, filters: [], entries: [{ resource: { type: 'lf-tag-policy', catalog, resourceType: 'TABLE', expression }, permissions: ['SELECT', 'DESCRIBE'] }, ...describe] };
  }
  return {
    principal,
    method: 'named-columns',
    classes,
    columns: byTable,
    filters: [],
    entries: [...Object.entries(byTable).map(([table, columns]) => ({ resource: { type: 'columns' as const, catalog, database: page.database, table, columns }, permissions: ['SELECT' as const] })), ...describe],
  };
}
