/**
 * The governance account's per-domain resources, and the rule that keeps the governance stack
 * inside CloudFormation's 500 resources per stack ("AWS CloudFormation quotas", User Guide).
 *
 * Per domain the governance account holds a resource link, each consumer's grants on the domain
 * (tables, database, link) and the access-request roles' grants: about 16 resources with three
 * consumers. The rule: domains in config order, in groups of `domainsPerStack`. Group 1 is the
 * governance stack itself, so a mesh of up to `domainsPerStack` domains has the stacks it always
 * had; group n > 1 is the stack `tessera-<mesh>-governance-<n>`, in the governance account. A
 * domain's resources keep their construct ids (so their logical ids) wherever they are, and the
 * first groups do not change when domains are appended. Changing `domainsPerStack`, or removing a
 * domain from the middle of the list, moves later domains to another stack: CloudFormation then
 * deletes their grants in one stack and creates them in the other.
 *
 * Group stacks read from the governance stack only the access-request roles' ARNs (two exports),
 * and deploy after it, each after the one before: Lake Formation refuses concurrent grants, which
 * `serializeLakeFormationGrants` orders inside a stack but not across stacks.
 */
import { Aws, Stack, type CfnResource, type StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { DOMAIN_TAG, type AccessAnalysis, type PermissionStep } from '../lib/access/index.js';
import { databaseNameFor } from '../lib/glue/names.js';
import type { MeshConfig } from '../lib/mesh/config.js';
import { grantAccessRequestDomain, type AccessRequests } from './access-requests.js';
import { emitPermissionSteps, permissionSteps, serializeLakeFormationGrants } from './core/grants.js';
import { constructIdFor } from './core/ids.js';
import { MeshViews } from './mesh-views.js';
import type { DescribedView } from '../lib/views/describe.js';

/** Domains per governance stack unless the app says otherwise: 20 × ~16 resources with three consumers. */
export const GOVERNANCE_DOMAINS_PER_STACK = 20;

/** The mesh's domain names in governance groups: group 1 (index 0) is the governance stack's. */
export function governanceDomainGroups(config: MeshConfig, domainsPerStack = GOVERNANCE_DOMAINS_PER_STACK): string[][] {
  if (!Number.isInteger(domainsPerStack) || domainsPerStack < 1) throw new Error(`governance domains per stack must be a whole number of at least 1, not ${domainsPerStack}`);
  const groups: string[][] = [];
  config.domains.forEach((d, i) => (groups[Math.floor(i / domainsPerStack)] ??= []).push(d.name));
  return groups.length > 0 ? groups : [[]];
}

/** The stack name of governance group `n` (1-based; group 1 is the governance stack). */
export function governanceGroupStackName(mesh: string, n: number): string {
  return `tessera-${mesh}-governance-${n}`;
}

/**
 * The views in governance group `group` (0-based): a view goes with the last domain, in config
 * order, that it reads, so its stack deploys after the resource links it reads through.
 */
export function viewsOfGroup(views: readonly DescribedView[], groups: readonly (readonly string[])[], group: number): DescribedView[] {
  const groupOf = new Map(groups.flatMap((domains, g) => domains.map((d) => [d, g] as const)));
  return views.filter((v) => Math.max(0, ...v.sources.map((s) => groupOf.get(s.domain) ?? 0)) === group);
}

/** The domain a consumer step grants on: its tag expression's single domain, or the database's. */
function stepDomain(step: PermissionStep, config: MeshConfig): string | undefined {
  const r = step.resource;
  if (r.type === 'lf-tag-policy') {
    const values = r.expression.find((c) => c.key === DOMAIN_TAG)?.values ?? [];
    return values.length === 1 ? values[0] : undefined;
  }
  if (r.type === 'database' || r.type === 'table' || r.type === 'columns') return config.domains.find((d) => databaseNameFor(d.name) === r.database)?.name;
  return undefined;
}

/**
 * Emits, in `stack`, the resource links and consumer grants of `domains` (`first`: also every
 * consumer step tied to no single domain). Construct ids are the stack-level ids the governance
 * stack always used: `Link<Domain>`, `Grant:<step id>`. Returns the links by domain.
 */
export function emitDomainAccess(stack: Stack, config: MeshConfig, access: AccessAnalysis, domains: ReadonlySet<string>, first: boolean): Map<string, glue.CfnDatabase> {
  const links = new Map<string, glue.CfnDatabase>();
  // One resource link per domain in another account, named like the domain's database, so
  // analysts write `orders.order_lines` in the governance account exactly as in the domain. A
  // domain in the governance account needs none: its database is here already.
  for (const domain of config.domains.filter((d) => d.account !== config.governance.account && domains.has(d.name))) {
    const name = databaseNameFor(domain.name);
    links.set(domain.name, new glue.CfnDatabase(stack, `Link${constructIdFor(domain.name)}`, {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name, targetDatabase: { catalogId: domain.account, databaseName: name } },
    }));
    // Untagged: consumers get DESCRIBE on the link by name (see lib/access/plan.ts for why).
  }
  // Consumer grants: the governance account's part of the grant plan, in plan order, each with
  // its dependencies inside this stack (steps in domain accounts deploy first: stack dependency).
  const steps = permissionSteps(access.plan.steps, config.governance.account, 'consumer').filter((s) => {
    const domain = stepDomain(s, config);
    return domain === undefined ? first : domains.has(domain);
  });
  const emitted = new Map<string, CfnResource>();
  emitPermissionSteps(stack, steps, emitted);
  // A grant on a resource link names it, so it must wait for the link.
  const linksByDatabase = new Map([...links].map(([domain, link]) => [databaseNameFor(domain), link]));
  for (const step of steps) {
    if (step.resource.type !== 'database' || step.resource.catalog !== config.governance.account) continue;
    const link = linksByDatabase.get(step.resource.database);
    if (link) emitted.get(step.id)!.addResourceDependency(link);
  }
  return links;
}

export interface GovernanceGroupStackProps extends StackProps {
  readonly config: MeshConfig;
  readonly access: AccessAnalysis;
  /** The domains of this group, in config order. */
  readonly domains: readonly string[];
  /** The governance stack's access requests, whose roles are granted on this group's domains. */
  readonly accessRequests: AccessRequests;
  /** The views of this group (`viewsOfGroup`), in the governance stack's views database. */
  readonly views: readonly DescribedView[];
}

/** Governance group n > 1: the resource links, consumer grants and access-request grants of its domains. */
export class GovernanceGroupStack extends Stack {
  readonly resourceLinks: ReadonlyMap<string, glue.CfnDatabase>;

  constructor(scope: Construct, id: string, props: GovernanceGroupStackProps) {
    super(scope, id, { description: `Tessera data mesh '${props.config.name}': governance of domains ${props.domains[0]} to ${props.domains.at(-1)}`, ...props });
    const { config } = props;
    const domains = new Set(props.domains);
    this.resourceLinks = emitDomainAccess(this, config, props.access, domains, false);
    // Under the construct id the governance stack gives them, so logical ids match there and here.
    const requests = new Construct(this, 'AccessRequests');
    for (const [rid, role] of props.accessRequests.lakeFormationRoles) {
      for (const domain of config.domains.filter((d) => domains.has(d.name))) grantAccessRequestDomain(requests, rid, role, config, domain, this.resourceLinks.get(domain.name));
    }
    if (props.views.length > 0) {
      new MeshViews(this, 'Views', { mesh: config.name, views: props.views, consumers: config.consumers, inExistingDatabase: true }).node.addDependency(...this.resourceLinks.values());
    }
    serializeLakeFormationGrants(this);
  }
}
