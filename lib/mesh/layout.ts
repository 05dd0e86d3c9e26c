/**
 * How a mesh is laid out in CloudFormation stacks, and what must exist before it deploys. Pure:
 * the CDK app (constructs/mesh-app.ts), `tessera doctor` and the docs read the same answers.
 *
 * Deploy order (`cdk deploy --all` follows the stack dependencies):
 *   1. `tessera-<mesh>-foundation` in the governance account: what domains reach at deploy time
 *      (the central bus, its key and policy, the catalog inbox queue that holds publications until
 *      the catalog reads them) and the governance account's Lake Formation settings and LF-tags.
 *   2. `tessera-<mesh>-<domain>` for every domain, each in its own account (a domain sharing an
 *      account with an earlier stack deploys after that stack, which owns the account's settings).
 *   3. `tessera-<mesh>-governance`: resource links, consumer grants, views, catalog, query.
 *
 * Cross-account references are impossible in CloudFormation, so every name one stack needs from
 * another is derived here from the mesh config, never exported.
 */
import type { YamlPath } from '../diagnostics.js';
import type { MeshConfig } from './config.js';
import { ROLE_ARN } from './config.js';

export type MeshStackRole = 'foundation' | 'domain' | 'governance';

export interface MeshStackLayout {
  /** The CloudFormation stack name (and CDK stack id). */
  readonly name: string;
  readonly role: MeshStackRole;
  readonly account: string;
  /** The domain, for a domain stack. */
  readonly domain?: string;
  /** Stacks that must deploy first. */
  readonly dependsOn: readonly string[];
  /**
   * Whether this stack owns its account's Lake Formation settings (admins, no IAM-only defaults,
   * cross-account version) and LF-tags: exactly one stack per account does.
   */
  readonly ownsAccountSettings: boolean;
}

export const stackNames = {
  foundation: (mesh: string) => `tessera-${mesh}-foundation`,
  governance: (mesh: string) => `tessera-${mesh}-governance`,
  domain: (mesh: string, domain: string) => `tessera-${mesh}-${domain}`,
};

/** The queue in the governance account that holds catalog events until the catalog ingest reads them. */
export function catalogInboxQueueName(mesh: string): string {
  return `tessera-${mesh}-catalog-inbox`;
}

/** Its dead-letter queue: events EventBridge could not deliver, or the ingest failed five times. */
export function catalogInboxDeadLetterQueueName(mesh: string): string {
  return `tessera-${mesh}-catalog-inbox-dlq`;
}

/**
 * The deploy-time Lake Formation provider of an account (`constructs/lake-formation.ts`), created by
 * the stack owning the account's settings and called by every Tessera stack in the account.
 */
export function lakeFormationProviderName(mesh: string): string {
  return `tessera-${mesh}-lake-formation`;
}

/** The alias of the key that encrypts the central bus and the catalog inbox. */
export function eventsKeyAlias(mesh: string): string {
  return `alias/tessera-${mesh}-events`;
}

/**
 * The mesh's stacks in deploy order. Account-wide settings of the governance account belong to the
 * foundation stack (it deploys first); those of a domain account to the first domain (in config
 * order) living there, which every later stack in that account depends on.
 */
export function meshLayout(config: MeshConfig): MeshStackLayout[] {
  const foundation = stackNames.foundation(config.name);
  const owners = new Map<string, string>([[config.governance.account, foundation]]);
  const stacks: MeshStackLayout[] = [{ name: foundation, role: 'foundation', account: config.governance.account, dependsOn: [], ownsAccountSettings: true }];
  for (const domain of config.domains) {
    const name = stackNames.domain(config.name, domain.name);
    const owner = owners.get(domain.account);
    if (owner === undefined) owners.set(domain.account, name);
    const dependsOn = owner === undefined || owner === foundation ? [foundation] : [foundation, owner];
    stacks.push({ name, role: 'domain', account: domain.account, domain: domain.name, dependsOn, ownsAccountSettings: owner === undefined });
  }
  stacks.push({
    name: stackNames.governance(config.name),
    role: 'governance',
    account: config.governance.account,
    dependsOn: stacks.map((s) => s.name),
    ownsAccountSettings: false,
  });
  return stacks;
}

export interface PrerequisitePrincipal {
  /** The IAM role ARN that must exist before the first deploy. */
  readonly arn: string;
  readonly account: string;
  /** What the mesh uses it for. */
  readonly use: 'data-lake-admin' | 'consumer-role';
  /** Where the mesh config names it. */
  readonly origin: YamlPath;
}

/**
 * The principals the mesh names but does not create: Lake Formation refuses admins and grants that
 * name a principal that does not exist, so each must exist before the first deploy. The CDK
 * execution roles (from `cdk bootstrap`) are not listed: they are the bootstrap's, checked with it.
 * A role named twice is listed once, at its first mention.
 */
export function prerequisitePrincipals(config: MeshConfig): PrerequisitePrincipal[] {
  const seen = new Set<string>(config.consumers.filter((c) => c.createRole).map((c) => c.role));
  const out: PrerequisitePrincipal[] = [];
  const add = (arn: string, use: PrerequisitePrincipal['use'], origin: YamlPath): void => {
    if (seen.has(arn)) return;
    seen.add(arn);
    out.push({ arn, account: ROLE_ARN.exec(arn)?.[1] ?? '', use, origin });
  };
  config.governance.admins.forEach((arn, i) => add(arn, 'data-lake-admin', ['governance', 'admins', i]));
  config.consumers.forEach((c, i) => add(c.role, 'consumer-role', ['consumers', i, 'role']));
  return out;
}

/** A role ARN's path and name, as IAM's CreateRole takes them: `role/a/b/Name` → `/a/b/`, `Name`. */
export function rolePathAndName(arn: string): { readonly path: string; readonly name: string } {
  const resource = arn.slice(arn.indexOf(':role/') + ':role/'.length);
  const cut = resource.lastIndexOf('/');
  return { path: cut < 0 ? '/' : `/${resource.slice(0, cut + 1)}`, name: resource.slice(cut + 1) };
}

/** The Athena workgroup a domain's quality runs query in (the mesh dashboard reads its metrics from the domain's account). */
export function qualityWorkGroupName(domain: string): string {
  return `tessera-quality-${domain}`;
}
