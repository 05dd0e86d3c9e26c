/**
 * Stacks inside CloudFormation's 500 resources by construction: one AwsCliLayer per domain stack
 * (not one per contract deployment), and the governance stack's per-domain resources in group
 * stacks of K domains, the first K staying where they were, under the same logical ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScaleMesh } from '../../../bench/scale-mesh.js';
import { buildMeshApp, type MeshStacks } from '../../../constructs/mesh-app.js';
import { loadMeshFile, type Mesh } from '../../../lib/mesh/load.js';
import { cdkContext } from './helpers.js';

interface Resource { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }
const dir = mkdtempSync(join(tmpdir(), 'tessera-stack-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The governance account's per-domain resources: Lake Formation grants and Glue databases and tables (links, views). */
function perDomain(template: Record<string, Resource>): Record<string, Resource> {
  return Object.fromEntries(Object.entries(template).filter(([, r]) => r.Type === 'AWS::LakeFormation::PrincipalPermissions' || r.Type.startsWith('AWS::Glue::')));
}

async function scaleMesh(domains: number, products: number, name?: string): Promise<Mesh> {
  return (await loadMeshFile(await writeScaleMesh(join(dir, `m${domains}x${products}${name ?? ''}`), domains, products, name))).mesh!;
}

function build(mesh: Mesh, governanceDomainsPerStack?: number): { app: App; stacks: MeshStacks } {
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
  return { app, stacks: buildMeshApp(app, mesh, { complianceChecks: false, governanceDomainsPerStack }) };
}

function resources(app: App, stack: Stack): Record<string, Resource> {
  return (app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, Resource> }).Resources;
}

describe('a domain stack', () => {
  it('deploys one AwsCliLayer for all its contract deployments, the one their shared handler uses', async () => {
    const { app, stacks } = build(await scaleMesh(1, 3));
    const template = resources(app, stacks.domains.get('d001')!);
    const layers = Object.entries(template).filter(([, r]) => r.Type === 'AWS::Lambda::LayerVersion').map(([id]) => id);
    expect(layers).toHaveLength(1);
    const deployments = Object.values(template).filter((r) => r.Type === 'Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(3);
    const handlers = Object.values(template).filter((r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties?.Layers ?? []).includes('AwsCliLayer'));
    expect(handlers.map((h) => h.Properties!.Layers)).toEqual([[{ Ref: layers[0] }]]);
  });
});

describe('governance groups of K domains', () => {
  let two: { app: App; stacks: MeshStacks };
  let three: { app: App; stacks: MeshStacks };
  beforeAll(async () => {
    // One mesh name, so the two templates differ only by what the third domain brings.
    two = build(await scaleMesh(2, 1, 'grow'), 2);
    three = build(await scaleMesh(3, 1, 'grow'), 2);
  });

  it('adds no stack while the mesh has at most K domains', () => {
    expect(two.app.synth().stacks.map((s) => s.stackName).sort()).toEqual(['tessera-grow-d001', 'tessera-grow-d002', 'tessera-grow-foundation', 'tessera-grow-governance']);
    expect(two.stacks.governanceGroups).toEqual([]);
  });

  it('puts domain K+1 in tessera-<mesh>-governance-2: its link, 3 consumers × 3 grants, 2 access-request roles × 3 grants, its view and the view grant', () => {
    expect(three.stacks.governanceGroups.map((s) => s.stackName)).toEqual(['tessera-grow-governance-2']);
    const group = resources(three.app, three.stacks.governanceGroups[0]!);
    expect(Object.keys(group)).toHaveLength(1 + 9 + 6 + 2);
    expect(group.LinkD003?.Properties).toEqual({ CatalogId: { Ref: 'AWS::AccountId' }, DatabaseInput: { Name: 'd003', TargetDatabase: { CatalogId: '200000000002', DatabaseName: 'd003' } } });
    // Nothing of domains 1 and 2 here; nothing of domain 3 in the governance stack.
    expect(JSON.stringify(group)).not.toMatch(/d00[12]|20000000000[01]/);
    expect(JSON.stringify(perDomain(resources(three.app, three.stacks.governance)))).not.toMatch(/"d003"|200000000002"|d003_daily/);
  });

  it('keeps the first K domains’ links and grants in the governance stack under the same logical ids and properties', () => {
    const before = resources(two.app, two.stacks.governance);
    const after = resources(three.app, three.stacks.governance);
    // 2 links, 2 × 9 consumer grants, 2 × 6 access-request grants, the views database, 2 views,
    // DESCRIBE on it for their audience (analysts) and 2 view SELECTs.
    expect(Object.keys(perDomain(before))).toHaveLength(2 + 18 + 12 + 1 + 2 + 1 + 2);
    expect(perDomain(after)).toEqual(perDomain(before));
    expect(after.LinkD001).toBeDefined();
    expect(after.LinkD002).toBeDefined();
  });

  it('deploys each group after the one before, the governance stack first, and reads from it only the two access-request roles', async () => {
    const { app, stacks } = build(await scaleMesh(3, 1), 1);
    const [second, third] = stacks.governanceGroups;
    expect([second?.stackName, third?.stackName]).toEqual(['tessera-scale3-governance-2', 'tessera-scale3-governance-3']);
    expect(second!.dependencies.map((s) => s.stackName)).toEqual(['tessera-scale3-governance']);
    expect(third!.dependencies.map((s) => s.stackName)).toEqual(['tessera-scale3-governance-2']);
    const group = JSON.stringify(resources(app, second!));
    // cdk.json's flags make CDK read another stack's outputs with Fn::GetStackOutput (no exports
    // that would pin the governance stack): the two access-request role ARNs, nothing else.
    const outputs = (app.synth().getStackByName('tessera-scale3-governance').template as { Outputs: Record<string, unknown> }).Outputs;
    expect(Object.keys(outputs).filter((name) => name.startsWith('PublishOutput')).map((name) => name.replace(/[0-9A-F]{8}Arn[0-9A-F]{8}$/, ''))).toEqual([
      'PublishOutputFnGetAttAccessRequestsApiRole',
      'PublishOutputFnGetAttAccessRequestsExpiryRole',
    ]);
    expect(group.match(/Fn::GetStackOutput/g)).toHaveLength(6); // 2 roles × 3 grants on d002
    expect(group).not.toContain('Fn::ImportValue');
  });

  it('refuses a group size that is not a whole number of at least 1', async () => {
    const mesh = await scaleMesh(2, 1);
    expect(() => build(mesh, 0)).toThrow('governance domains per stack must be a whole number of at least 1, not 0');
  });
});
