/**
/**
 * Generated meshes synthesize through every cdk-nag pack, inside CloudFormation's limits (500
 * resources, 1 MB: "AWS CloudFormation quotas", User Guide).
 * 100 domains: the governance groups (constructs/governance-group-stack.ts) keep every stack under
 * 500 resources, and the catalog ingest role's policy no longer overflows (it named a KMS key pattern
 * per domain account and overflowed at 49; now one pattern held by aws:ResourceAccount).
 * 500 domains: the governance template stays under 500 resources and 512 KB (what grew per domain
 * is now of constant size or a list of account ids; bench/governance-template.ts prints the figures),
 * and the ingest role's overflow, at 500 account ids in two condition lists, stays acknowledged.
 * 50 products: the product groups (constructs/product-group-stack.ts) keep the domain stack and its
 * nested stacks under 500 (it held 918 in one), their grants to the domain's roles are managed
 * policies with acknowledged findings, and the 20 products left in the domain stack overflow the
 * quality state machine role's policy (12 did), acknowledged too.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeScaleMesh } from '../../bench/scale-mesh.js';
import { addComplianceChecks } from '../../constructs/core/compliance.js';
import { buildGovernanceStack, buildMeshApp } from '../../constructs/mesh-app.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { cdkContext } from '../unit/constructs/helpers.js';

// What these meshes test is cdk-nag's verdict; CDK's own CloudFormation validation (a WebAssembly
// rule engine, most of a large synth's time) runs on the example mesh in mesh-synth.test.ts.
vi.hoisted(() => {
  process.env.CDK_VALIDATION = 'false';
});

const dir = mkdtempSync(join(tmpdir(), 'tessera-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scale meshes through the compliance checks', () => {
  it('synthesizes 100 domains inside CloudFormation’s limits, the catalog ingest role policy inline', async () => {
    const mesh = (await loadMeshFile(await writeScaleMesh(join(dir, 'mesh100'), 100, 1))).mesh!;
    const outdir = join(dir, 'cdk.out100');
    // CDK's refusal of a stack over 500 resources stays on: the governance groups keep every stack under it.
    const app = new App({ outdir, context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    buildMeshApp(app, mesh);
    expect(() => app.synth()).not.toThrow();
    const resources = (stack: string) => (JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as { Resources: Record<string, { Type: string }> }).Resources;
    expect(Object.keys(resources('tessera-scale100-governance')).filter((id) => id.startsWith('CatalogIngestRoleOverflowPolicy'))).toEqual([]);
    // Groups of 20 domains: the governance stack and governance-2 to governance-5, 16 + 2 resources per domain in a group.
    for (const n of [2, 3, 4, 5]) expect(Object.keys(resources(`tessera-scale100-governance-${n}`))).toHaveLength(20 * 18);
  }, 900_000);

  it('synthesizes the governance stack of 500 domains under 500 resources and 512 KB, the API’s 501 accounts in one condition list', async () => {
    const mesh = (await loadMeshFile(await writeScaleMesh(join(dir, 'mesh500'), 500, 1))).mesh!;
    const outdir = join(dir, 'cdk.out500');
    // The governance stack alone, as buildMeshApp makes it: 500 domain stacks would add minutes and nothing to this template.
    const app = new App({ outdir, context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const stack = buildGovernanceStack(app, 'tessera-scale500-governance', mesh);
    addComplianceChecks(app);
    expect(() => app.synth()).not.toThrow();
    const file = join(outdir, `${stack.artifactId}.template.json`);
    const template = JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    expect(Object.keys(template.Resources).length).toBeLessThan(500);
    expect(statSync(file).size).toBeLessThan(512 * 1024);
    expect(Object.keys(template.Resources).filter((id) => id.startsWith('CatalogIngestRoleOverflowPolicy')).length).toBeGreaterThan(0);
    const api = Object.values(template.Resources).find((r) => r.Type === 'AWS::ApiGateway::RestApi')!;
    const [statement, ...others] = (api.Properties.Policy as { Statement: { Condition: { StringEquals: Record<string, string[]> } }[] }).Statement;
    expect(others).toEqual([]);
    expect(statement!.Condition.StringEquals['aws:PrincipalAccount']).toHaveLength(501);
  }, 900_000); // a hang guard: 500 domains' grant plan and four nag packs take minutes on a loaded 2-core machine

  it('synthesizes a domain of 50 products in groups of 20 inside CloudFormation’s limits, the quality role policy overflowing', async () => {
    const mesh = (await loadMeshFile(await writeScaleMesh(join(dir, 'mesh'), 1, 50))).mesh!;
    const outdir = join(dir, 'cdk.out');
    // CDK's refusal of a stack over 500 resources stays on, for the nested stacks too.
    const app = new App({ outdir, context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    buildMeshApp(app, mesh);
    expect(() => app.synth()).not.toThrow();
    const resources = (file: string) => (JSON.parse(readFileSync(join(outdir, file), 'utf8')) as { Resources: Record<string, { Type: string }> }).Resources;
    const domain = resources('tessera-scale1-d001.template.json');
    const groups = readdirSync(outdir).filter((f) => f.endsWith('.nested.template.json')).sort();
    expect(groups).toHaveLength(2);
    // Products 1-20 in the domain stack, 21-40 and 41-50 in Products2 and Products3: one contract deployment each.
    const deployments = (r: Record<string, { Type: string }>) => Object.values(r).filter((x) => x.Type === 'Custom::CDKBucketDeployment').length;
    expect([domain, ...groups.map(resources)].map(deployments)).toEqual([20, 20, 10]);
    for (const r of [domain, ...groups.map(resources)]) expect(Object.keys(r).length).toBeLessThan(500);
    // 20 products still overflow the state machine role's inline policy in the domain stack: acknowledged on the role.
    const overflow = Object.entries(domain).filter(([id, r]) => id.startsWith('QualityStateMachineRoleOverflowPolicy') && r.Type === 'AWS::IAM::ManagedPolicy');
    expect(overflow.length).toBeGreaterThan(0);
  }, 900_000); // a hang guard: 50 products and four nag packs take minutes on a loaded machine
});
