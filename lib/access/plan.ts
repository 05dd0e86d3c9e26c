/**
 * The grant plan: every Lake Formation change the mesh needs, as ordered steps with stable ids and
 * explicit dependencies, ready to become CloudFormation resources (one step, one resource, one
 * `addDependency` per `dependsOn`). Lake Formation's CloudFormation resources fail in confusing ways
 * when created out of order (a tag association before its tag, a grant before the share it re-grants),
 * so the order is computed here once and checked by `checkPlanOrder`:
 *
 *   admins → locations → tags → tag associations → permissions
 *
 * In each domain account: admins (appended), the registered location of each product, the `domain`
 * and `classification` tags, the database / table / column tag associations, and the share of
 * everything tagged `domain=<name>` with the governance account (with the grant option). In the
 * governance account: admins, the tags, and the consumer grants:
 * per consumer and domain, SELECT and DESCRIBE on the tables matching
 * `domain=<d> AND classification in (...)` in the domain's catalog, DESCRIBE on its database, and
 * DESCRIBE on each resource link, by name, in the governance catalog. The governance account may re-grant
 * those narrower expressions because each domain also shares DESCRIBE on every value of both tags
 * (Lake Formation's permission cascading rule 2; rule 1 would allow only the identical expression).
 */
import type { YamlPath } from '../diagnostics.js';
import { groupByClassification } from '../glue/classification.js';
import { splitLargeConditions } from './split.js';
import {
  CLASSIFICATION_TAG,
  DOMAIN_TAG,
  type AccessModel,
  type Permission,
  type TagCondition,
  type TagExpression,
} from './model.js';

export const STEP_KINDS = ['admins', 'location', 'tag', 'tag-association', 'permission'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

interface StepBase {
  /** Stable: derived from names (accounts, domains, products, tables, consumers), never from list positions. */
  readonly id: string;
  readonly kind: StepKind;
  /** The account whose stack holds the step. */
  readonly account: string;
  /** Steps that must exist first (possibly in another account's stack, deployed before). */
  readonly dependsOn: readonly string[];
  /** Where in the mesh config the step comes from, for findings. */
  readonly origin?: YamlPath;
}

export interface AdminsStep extends StepBase {
  readonly kind: 'admins';
  /** Added to the existing admins (APPEND), besides the CloudFormation execution role. */
  readonly admins: readonly string[];
  readonly adminOrigins?: readonly YamlPath[];
}

export interface LocationStep extends StepBase {
  readonly kind: 'location';
  readonly domain: string;
  readonly product: string;
}

export interface TagStep extends StepBase {
  readonly kind: 'tag';
  readonly key: string;
  readonly values: readonly string[];
}

export type CatalogTarget =
  | { readonly type: 'database'; readonly catalog: string; readonly database: string }
  | { readonly type: 'table'; readonly catalog: string; readonly database: string; readonly table: string }
  | { readonly type: 'columns'; readonly catalog: string; readonly database: string; readonly table: string; readonly columns: readonly string[] };

export interface TagAssociationStep extends StepBase {
  readonly kind: 'tag-association';
  readonly resource: CatalogTarget;
  /** One value per key: Lake Formation assigns a single value of a key to a resource. */
  readonly tags: readonly TagCondition[];
}

export type PermissionResource =
  | { readonly type: 'catalog'; readonly catalog: string }
  | { readonly type: 'data-location'; readonly catalog: string; readonly location: string }
  | CatalogTarget
  | { readonly type: 'lf-tag'; readonly catalog: string; readonly key: string; readonly values: readonly string[] }
  | { readonly type: 'lf-tag-policy'; readonly catalog: string; readonly resourceType: 'TABLE' | 'DATABASE'; readonly expression: TagExpression };

export interface PermissionStep extends StepBase {
  readonly kind: 'permission';
  /** An IAM role/user ARN, or an account id for a cross-account share. */
  readonly principal: string;
  /** `share`: a domain shares with the governance account; `consumer`: the governance account grants a consumer. */
  readonly purpose: 'share' | 'consumer';
  readonly resource: PermissionResource;
  readonly permissions: readonly Permission[];
  /** The subset the principal may grant on (Lake Formation's PermissionsWithGrantOption). */
  readonly grantable: readonly Permission[];
  /** The consumer grants (ids) the step implements. */
  readonly grants?: readonly string[];
  /** Where the principal is written in the mesh config. */
  readonly principalOrigin?: YamlPath;
}

export type PlanStep = AdminsStep | LocationStep | TagStep | TagAssociationStep | PermissionStep;

export interface GrantPlan {
  readonly steps: readonly PlanStep[];
}

export const stepIds = {
  admins: (account: string) => `admins@${account}`,
  location: (product: string) => `location@${product}`,
  tag: (account: string, key: string) => `tag@${account}/${key}`,
  database: (account: string, database: string) => `assoc@${account}/${database}`,
  table: (account: string, database: string, table: string) => `assoc@${account}/${database}.${table}`,
  columns: (account: string, database: string, table: string, value: string) => `assoc@${account}/${database}.${table}/columns=${value}`,
  share: (account: string, domain: string, what: 'tables' | 'database' | 'tag-domain' | 'tag-classification') => `grant@${account}/share/${domain}/${what}`,
  consumer: (account: string, consumer: string, what: string) => `grant@${account}/${consumer}/${what}`,
};

export interface PlanOptions {
  /** Values per LF-tag condition before a grant is split (lib/access/split.ts). @default 50, Lake Formation's limit */
  readonly valuesPerCondition?: number;
}

export function buildGrantPlan(model: AccessModel, options: PlanOptions = {}): GrantPlan {
  const steps: PlanStep[] = [];
  const gov = model.governanceAccount;
  const ontology = model.classifications;
  const knownDomains = new Set(model.domains.map((d) => d.name));
  const accountOf = new Map(model.domains.map((d) => [d.name, d.account]));

  // --- admins: appended in every account, governance first.
  steps.push({
    id: stepIds.admins(gov),
    kind: 'admins',
    account: gov,
    dependsOn: [],
    admins: model.admins,
    adminOrigins: model.admins.map((_, i) => ['governance', 'admins', i]),
    origin: ['governance', 'admins'],
  });
  const domainAccounts = [...new Set(model.domains.map((d) => d.account))].filter((a) => a !== gov);
  for (const account of domainAccounts) {
    steps.push({ id: stepIds.admins(account), kind: 'admins', account, dependsOn: [], admins: [], origin: originOfAccount(model, account) });
  }

  // --- locations: one registration per product, in its domain's account.
  const products = [...new Map(model.tables.map((t) => [t.product, t])).values()];
  for (const t of products) {
    steps.push({ id: stepIds.location(t.product), kind: 'location', account: t.account, dependsOn: [stepIds.admins(t.account)], domain: t.domain, product: t.product, origin: originOfDomain(model, t.domain) });
  }

  // --- tags: the governance account holds every domain value; a domain account its own.
  const tagSteps = (account: string, domainValues: readonly string[], origin: YamlPath | undefined): TagStep[] => [
    { id: stepIds.tag(account, DOMAIN_TAG), kind: 'tag', account, dependsOn: [stepIds.admins(account)], key: DOMAIN_TAG, values: domainValues, origin: origin ?? ['domains'] },
    { id: stepIds.tag(account, CLASSIFICATION_TAG), kind: 'tag', account, dependsOn: [stepIds.admins(account)], key: CLASSIFICATION_TAG, values: ontology, origin: ['classifications'] },
  ];
  steps.push(...tagSteps(gov, model.domains.map((d) => d.name), ['domains']));
  for (const account of domainAccounts) {
    steps.push(...tagSteps(account, model.domains.filter((d) => d.account === account).map((d) => d.name), originOfAccount(model, account)));
  }

  // --- tag associations.
  for (const db of model.databases) {
    steps.push({
      id: stepIds.database(db.account, db.glueDatabase),
      kind: 'tag-association',
      account: db.account,
      dependsOn: [stepIds.tag(db.account, DOMAIN_TAG)],
      resource: { type: 'database', catalog: db.account, database: db.glueDatabase },
      tags: [{ key: DOMAIN_TAG, values: [db.domain] }],
      origin: originOfDomain(model, db.domain),
    });
  }
  for (const table of model.tables) {
    const origin = originOfDomain(model, table.domain);
    const tableClass = table.tags[CLASSIFICATION_TAG];
    if (tableClass !== undefined) {
      steps.push({
        id: stepIds.table(table.account, table.glueDatabase, table.glueTable),
        kind: 'tag-association',
        account: table.account,
        dependsOn: [stepIds.tag(table.account, CLASSIFICATION_TAG)],
        resource: { type: 'table', catalog: table.account, database: table.glueDatabase, table: table.glueTable },
        tags: [{ key: CLASSIFICATION_TAG, values: [tableClass] }],
        origin,
      });
    }
    // One association per value, not per column: bounded by the ontology.
    for (const [value, columns] of groupByClassification(table.columns, ontology)) {
      steps.push({
        id: stepIds.columns(table.account, table.glueDatabase, table.glueTable, value),
        kind: 'tag-association',
        account: table.account,
        dependsOn: [stepIds.tag(table.account, CLASSIFICATION_TAG)],
        resource: { type: 'columns', catalog: table.account, database: table.glueDatabase, table: table.glueTable, columns: columns.map((c) => c.glueColumn) },
        tags: [{ key: CLASSIFICATION_TAG, values: [value] }],
        origin,
      });
    }
  }
  // Resource links in the governance account carry no LF-tag: Lake Formation documents LF-tags on
  // databases, tables and columns (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-granting-tags.html)
  // and permissions on resource links by the named-resource method only
  // (https://docs.aws.amazon.com/lake-formation/latest/dg/granting-link-permissions.html), so each
  // consumer is granted DESCRIBE on each of its links by name (below), which holds either way.

  // --- permissions: each domain shares with the governance account, with the grant option.
  // A domain in the governance account shares nothing: its catalog is the governance catalog.
  for (const domain of model.domains.filter((d) => d.account !== gov)) {
    const account = domain.account;
    const tagDeps = [stepIds.tag(account, DOMAIN_TAG), stepIds.tag(account, CLASSIFICATION_TAG)];
    const byDomain: TagExpression = [{ key: DOMAIN_TAG, values: [domain.name] }];
    const share = (what: Parameters<typeof stepIds.share>[2], resource: PermissionResource, permissions: Permission[]): PermissionStep => ({
      id: stepIds.share(account, domain.name, what),
      kind: 'permission',
      account,
      dependsOn: tagDeps,
      principal: gov,
      purpose: 'share',
      resource,
      permissions,
      grantable: permissions,
      origin: domain.origin,
    });
    steps.push(
      share('tables', { type: 'lf-tag-policy', catalog: account, resourceType: 'TABLE', expression: byDomain }, ['SELECT', 'DESCRIBE']),
      share('database', { type: 'lf-tag-policy', catalog: account, resourceType: 'DATABASE', expression: byDomain }, ['DESCRIBE']),
      share('tag-domain', { type: 'lf-tag', catalog: account, key: DOMAIN_TAG, values: [domain.name] }, ['DESCRIBE']),
      share('tag-classification', { type: 'lf-tag', catalog: account, key: CLASSIFICATION_TAG, values: ontology }, ['DESCRIBE']),
    );
  }

  // --- permissions: the governance account grants consumers, per consumer and domain, re-granting
  // what the domain shared. Several config grants naming one domain merge into one expression whose
  // classification values are their union (the same access as the grants ORed).
  for (const principal of model.principals) {
    const grants = model.grants.filter((g) => g.principal === principal.name);
    if (grants.length === 0) continue;
    const principalOrigin: YamlPath = [...principal.origin, 'role'];
    const perDomain = new Map<string, { classifications: Set<string>; grants: string[]; origin: YamlPath }>();
    for (const grant of grants) {
      const domains = grant.tableExpression.find((c) => c.key === DOMAIN_TAG)?.values ?? [];
      const classes = grant.tableExpression.find((c) => c.key === CLASSIFICATION_TAG)?.values ?? [];
      for (const d of domains) {
        if (!knownDomains.has(d)) continue; // reported by validateAccess; no catalog to grant in
        const entry = perDomain.get(d) ?? { classifications: new Set<string>(), grants: [], origin: grant.origin };
        for (const c of classes) if (ontology.includes(c)) entry.classifications.add(c);
        entry.grants.push(grant.id);
        perDomain.set(d, entry);
      }
    }
    const linkDomains: string[] = [];
    for (const [domain, entry] of perDomain) {
      const account = accountOf.get(domain)!;
      const values = ontology.filter((c) => entry.classifications.has(c));
      const base = { kind: 'permission' as const, account: gov, principal: principal.arn, purpose: 'consumer' as const, grants: entry.grants, principalOrigin, origin: entry.origin };
      // What the grant re-grants: the domain's share, or, for a domain in the governance account, its own tags.
      const local = account === gov;
      const shared = (what: Parameters<typeof stepIds.share>[2]): string => (local ? stepIds.tag(gov, what === 'tag-classification' ? CLASSIFICATION_TAG : DOMAIN_TAG) : stepIds.share(account, domain, what));
      if (values.length > 0) {
        steps.push({
          ...base,
          id: stepIds.consumer(gov, principal.name, `${domain}/tables`),
          dependsOn: [...new Set([stepIds.admins(gov), shared('tables'), shared('tag-domain'), shared('tag-classification')])],
          resource: {
            type: 'lf-tag-policy',
            catalog: account,
            resourceType: 'TABLE',
            expression: [
              { key: DOMAIN_TAG, values: [domain] },
              { key: CLASSIFICATION_TAG, values },
            ],
          },
          permissions: ['SELECT', 'DESCRIBE'],
          grantable: [],
        });
      }
      // Cross-account resources need an explicit DESCRIBE on the database (no implicit one).
      steps.push({
        ...base,
        id: stepIds.consumer(gov, principal.name, `${domain}/database`),
        dependsOn: [...new Set([stepIds.admins(gov), shared('database'), shared('tag-domain')])],
        resource: { type: 'lf-tag-policy', catalog: account, resourceType: 'DATABASE', expression: [{ key: DOMAIN_TAG, values: [domain] }] },
        permissions: ['DESCRIBE'],
        grantable: [],
      });
      linkDomains.push(domain);
    }
    // DESCRIBE on each resource link by name (a domain in the governance account has no link: its
    // database step above already covers it). The link itself is the governance stack's; the stack
    // orders the grant after it.
    for (const domain of linkDomains.filter((d) => accountOf.get(d) !== gov)) {
      const db = model.databases.find((d) => d.domain === domain);
      if (!db) continue;
      steps.push({
        id: stepIds.consumer(gov, principal.name, `${domain}/link`),
        kind: 'permission',
        account: gov,
        dependsOn: [stepIds.admins(gov)],
        principal: principal.arn,
        purpose: 'consumer',
        resource: { type: 'database', catalog: gov, database: db.glueDatabase },
        permissions: ['DESCRIBE'],
        grantable: [],
        grants: perDomain.get(domain)!.grants,
        principalOrigin,
        origin: perDomain.get(domain)!.origin,
      });
    }
  }

  return { steps: orderSteps(splitLargeConditions(steps, options.valuesPerCondition)) };
}

/** Stable sort by kind, keeping the order steps were made in within a kind. */
export function orderSteps(steps: readonly PlanStep[]): PlanStep[] {
  return [...steps].sort((a, b) => STEP_KINDS.indexOf(a.kind) - STEP_KINDS.indexOf(b.kind));
}

export interface PlanOrderProblem {
  readonly step: string;
  readonly message: string;
}

/**
 * Checks that a plan can be applied top to bottom: ids are unique, every dependency exists and
 * comes earlier, and kinds never go back (no tag after a permission, say).
 */
export function checkPlanOrder(plan: GrantPlan): PlanOrderProblem[] {
  const problems: PlanOrderProblem[] = [];
  const position = new Map<string, number>();
  for (const [i, step] of plan.steps.entries()) {
    if (position.has(step.id)) problems.push({ step: step.id, message: `step id '${step.id}' is used twice` });
    else position.set(step.id, i);
  }
  let lastKind = 0;
  for (const [i, step] of plan.steps.entries()) {
    const kind = STEP_KINDS.indexOf(step.kind);
    if (kind < lastKind) problems.push({ step: step.id, message: `is a '${step.kind}' step after a '${STEP_KINDS[lastKind]}' step` });
    lastKind = Math.max(lastKind, kind);
    for (const dep of step.dependsOn) {
      const at = position.get(dep);
      if (at === undefined) problems.push({ step: step.id, message: `depends on '${dep}', which is not in the plan` });
      else if (at >= i) problems.push({ step: step.id, message: `depends on '${dep}', which comes later` });
    }
  }
  return problems;
}

function originOfDomain(model: AccessModel, domain: string): YamlPath | undefined {
  return model.domains.find((d) => d.name === domain)?.origin;
}

function originOfAccount(model: AccessModel, account: string): YamlPath | undefined {
  const domain = model.domains.find((d) => d.account === account);
  return domain ? [...domain.origin, 'account'] : undefined;
}
