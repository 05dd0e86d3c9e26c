/**
 * The whole mesh as one CDK app: a `DomainStack` per domain of the mesh config, each in its own
 * account and region, and the `GovernanceStack` in the central account, with the compliance
 * checks registered. `bin/app.ts` and the tests share it.
 */
import type { App } from 'aws-cdk-lib';
import type { Mesh } from '../lib/mesh/load.js';
import { analyzeAccess } from '../lib/access/index.js';
import { addComplianceChecks } from './core/compliance.js';
import { permissionSteps } from './core/grants.js';
import { DomainStack } from './domain-stack.js';
import { GovernanceStack } from './governance-stack.js';

// `tessera-mesh/mesh-app`: the builder and the loader an app over a mesh folder needs.
export { loadMeshFile, type Mesh, type MeshResult } from '../lib/mesh/load.js';
export { formatDiagnostic } from '../lib/diagnostics.js';

export interface MeshStacks {
  readonly governance: GovernanceStack;
  readonly domains: ReadonlyMap<string, DomainStack>;
}

/** Stack names: `tessera-<mesh>-<domain>`, stable for as long as the names in mesh.yaml are. */
export function buildMeshApp(app: App, mesh: Mesh, options: { readonly complianceChecks?: boolean } = {}): MeshStacks {
  const { config } = mesh;
  // One access analysis for the whole mesh: domains emit its share steps, governance its grants.
  const access = analyzeAccess(mesh);
  const domains = new Map<string, DomainStack>();
  for (const domain of config.domains) {
    const stack = new DomainStack(app, `tessera-${config.name}-${domain.name}`, {
      env: { account: domain.account, region: config.region },
      config,
      domain,
      products: mesh.products.filter((p) => p.domain === domain.name),
      shares: permissionSteps(access.plan.steps, domain.account, 'share'),
      tags: { 'tessera:mesh': config.name, 'tessera:domain': domain.name },
    });
    domains.set(domain.name, stack);
  }
  const governance = new GovernanceStack(app, `tessera-${config.name}-governance`, {
    env: { account: config.governance.account, region: config.region },
    config,
    products: mesh.products,
    access,
    views: mesh.views,
    tags: { 'tessera:mesh': config.name, 'tessera:domain': 'governance' },
  });
  // Resource links point at what the domains share: deploy the domains first.
  for (const stack of domains.values()) governance.addStackDependency(stack);
  if (options.complianceChecks ?? true) addComplianceChecks(app);
  return { governance, domains };
}
