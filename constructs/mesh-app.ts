/**
 * The whole mesh as one CDK app, laid out by `meshLayout` (lib/mesh/layout.ts): the
 * `FoundationStack` in the governance account first, a `DomainStack` per domain of the mesh config,
 * each in its own account and region, and the `GovernanceStack` last, with the compliance checks
 * registered. Stack dependencies encode that order, so `cdk deploy --all` follows it. `bin/app.ts`
 * and the tests share it.
 */
import type { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Mesh } from '../lib/mesh/load.js';
import { analyzeAccess } from '../lib/access/index.js';
import { meshLayout } from '../lib/mesh/layout.js';
import { addComplianceChecks } from './core/compliance.js';
import { DomainStack } from './domain-stack.js';
import { FoundationStack } from './foundation-stack.js';
import { GovernanceStack } from './governance-stack.js';
import { meshViewLineage } from '../lib/lineage/columns.js';
import { GovernanceGroupStack, governanceDomainGroups, governanceGroupStackName, viewsOfGroup } from './governance-group-stack.js';

// `tessera-mesh/mesh-app`: the builder and the loader an app over a mesh folder needs.
export { loadMeshFile, type Mesh, type MeshResult } from '../lib/mesh/load.js';
export { formatDiagnostic } from '../lib/diagnostics.js';

export interface MeshStacks {
  readonly foundation: FoundationStack;
  readonly domains: ReadonlyMap<string, DomainStack>;
  readonly governance: GovernanceStack;
  /** Governance groups 2, 3, ... (constructs/governance-group-stack.ts), in deploy order. */
  readonly governanceGroups: readonly GovernanceGroupStack[];
}

/** Stack names: `tessera-<mesh>-foundation`, `tessera-<mesh>-<domain>`, `tessera-<mesh>-governance`. */
export interface MeshAppOptions {
  /** cdk-nag's packs on every stack. @default true */
  readonly complianceChecks?: boolean;
  /** The web catalog's built pages, when the mesh config asks for the site. @default dist/web of this package */
  readonly siteAssets?: string;
  /**
   * Domains whose resource links and grants one governance stack holds: the governance stack the
   * first ones, `tessera-<mesh>-governance-<n>` each further group (constructs/governance-group-stack.ts).
   * Choose it once: changing it moves domains between stacks. @default 20
   */
  readonly governanceDomainsPerStack?: number;
  /**
   * Products per domain stack: the domain stack holds the first ones, nested stacks `Products2`,
   * `Products3`, ... each further group (constructs/product-group-stack.ts), unless a domain of the
   * mesh config sets its own. Choose it once: changing it moves products between stacks. @default 20
   */
  readonly productsPerStack?: number;
}

export function buildMeshApp(app: App, mesh: Mesh, options: MeshAppOptions = {}): MeshStacks {
  const { config } = mesh;
  // One access analysis for the whole mesh: every stack emits its part of the one grant plan.
  const access = analyzeAccess(mesh);
  const layout = meshLayout(config);
  const stacks = new Map<string, Stack>();
  const domains = new Map<string, DomainStack>();
  let foundation: FoundationStack | undefined;
  let governance: GovernanceStack | undefined;
  const groups = governanceDomainGroups(config, options.governanceDomainsPerStack);
  for (const entry of layout) {
    const env = { account: entry.account, region: config.region };
    if (entry.role === 'foundation') {
      foundation = new FoundationStack(app, entry.name, { env, config, products: mesh.products, access, tags: { 'tessera:mesh': config.name, 'tessera:domain': 'governance' } });
      stacks.set(entry.name, foundation);
    } else if (entry.role === 'domain') {
      const domain = config.domains.find((d) => d.name === entry.domain)!;
      const stack = new DomainStack(app, entry.name, {
        env,
        config,
        domain,
        products: mesh.products.filter((p) => p.domain === domain.name),
        plan: access.plan,
        ownsAccountSettings: entry.ownsAccountSettings,
        productsPerStack: options.productsPerStack,
        tags: { 'tessera:mesh': config.name, 'tessera:domain': domain.name },
      });
      domains.set(domain.name, stack);
      stacks.set(entry.name, stack);
    } else {
      governance = buildGovernanceStack(app, entry.name, mesh, { access, groups, siteAssets: options.siteAssets });
      stacks.set(entry.name, governance);
    }
    for (const dependency of entry.dependsOn) stacks.get(entry.name)!.addStackDependency(stacks.get(dependency)!, 'deploy order of lib/mesh/layout.ts');
  }
  const governanceGroups = governanceGroupStacks(app, mesh, governance!, groups, access);
  if (options.complianceChecks ?? true) addComplianceChecks(app);
  return { foundation: foundation!, domains, governance: governance!, governanceGroups };
}

/**
 * The governance stack alone, as `buildMeshApp` makes it (governance group 1 of `groups`): what
 * bench/governance-template.ts synthesizes without the mesh's other stacks.
 */
export function buildGovernanceStack(
  app: App,
  id: string,
  mesh: Mesh,
  options: { readonly access?: ReturnType<typeof analyzeAccess>; readonly groups?: readonly string[][]; readonly siteAssets?: string } = {},
): GovernanceStack {
  const { config } = mesh;
  const access = options.access ?? analyzeAccess(mesh);
  const groups = options.groups ?? governanceDomainGroups(config);
  const site = config.governance.catalogSite;
  const catalogSite = site && { samlMetadata: cognito.UserPoolIdentityProviderSamlMetadata.url(site.samlMetadataUrl), signInDomainPrefix: site.signInDomainPrefix, assets: options.siteAssets };
  const env = { account: config.governance.account, region: config.region };
  return new GovernanceStack(app, id, { env, config, products: mesh.products, access, views: viewsOfGroup(mesh.views, groups, 0), allViews: mesh.views, viewLineage: meshViewLineage(mesh), catalogSite, domains: groups[0], tags: { 'tessera:mesh': config.name, 'tessera:domain': 'governance' } });
}

/** Groups 2, 3, ... in the governance account, each deployed after the one before (group 1: the governance stack). */
function governanceGroupStacks(app: App, mesh: Mesh, governance: GovernanceStack, groups: readonly string[][], access: ReturnType<typeof analyzeAccess>): GovernanceGroupStack[] {
  const { config } = mesh;
  const stacks: GovernanceGroupStack[] = [];
  let previous: Stack = governance;
  groups.slice(1).forEach((domains, i) => {
    const stack = new GovernanceGroupStack(app, governanceGroupStackName(config.name, i + 2), {
      env: { account: config.governance.account, region: config.region },
      config,
      access,
      domains,
      accessRequests: governance.accessRequests,
      views: viewsOfGroup(mesh.views, groups, i + 1),
      tags: { 'tessera:mesh': config.name, 'tessera:domain': 'governance' },
    });
    // After the governance stack, itself after every domain stack whose shares these grants re-grant.
    stack.addStackDependency(previous, 'Lake Formation grants one stack at a time (constructs/governance-group-stack.ts)');
    stacks.push(stack);
    previous = stack;
  });
  return stacks;
}
