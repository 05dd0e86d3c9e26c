/**
 * Generated meshes whose role policies pass IAM's inline size synthesize through every cdk-nag
 * pack: CDK moves statements into OverflowPolicy1, 2, ... and the acknowledgements still cover them.
 * 100 domains: the catalog ingest role (a KMS key pattern per domain account) overflows (before the
 * acknowledgements moved to the role, synth failed on Catalog/IngestRole/OverflowPolicy1 at 50), and
 * the governance groups (constructs/governance-group-stack.ts) keep every stack under 500 resources. 13
 * products: the quality state machine and producer roles overflow (at this commit their findings
 * were covered even before; the test keeps them so).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeScaleMesh } from '../../bench/scale-mesh.js';
import { buildMeshApp } from '../../constructs/mesh-app.js';
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
  it('synthesizes 100 domains inside CloudFormation’s limits, the catalog ingest role policy overflowing', async () => {
    const mesh = (await loadMeshFile(await writeScaleMesh(join(dir, 'mesh100'), 100, 1))).mesh!;
    const outdir = join(dir, 'cdk.out100');
    // CDK's refusal of a stack over 500 resources stays on: the governance groups keep every stack under it.
    const app = new App({ outdir, context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    buildMeshApp(app, mesh);
    expect(() => app.synth()).not.toThrow();
    const resources = (stack: string) => (JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as { Resources: Record<string, { Type: string }> }).Resources;
    expect(Object.keys(resources('tessera-scale100-governance')).filter((id) => id.startsWith('CatalogIngestRoleOverflowPolicy')).length).toBeGreaterThan(0);
    // Groups of 20 domains: the governance stack and governance-2 to governance-5, 16 + 2 resources per domain in a group.
    for (const n of [2, 3, 4, 5]) expect(Object.keys(resources(`tessera-scale100-governance-${n}`))).toHaveLength(20 * 18);
  }, 900_000);

  it('synthesizes a domain of 13 products, the quality role policy overflowing', async () => {
    const mesh = (await loadMeshFile(await writeScaleMesh(join(dir, 'mesh'), 1, 13))).mesh!;
    const outdir = join(dir, 'cdk.out');
    const app = new App({ outdir, context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    buildMeshApp(app, mesh);
    expect(() => app.synth()).not.toThrow();
    const template = JSON.parse(readFileSync(join(outdir, 'tessera-scale1-d001.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const overflow = Object.entries(template.Resources).filter(([id, r]) => id.startsWith('QualityStateMachineRoleOverflowPolicy') && r.Type === 'AWS::IAM::ManagedPolicy');
    expect(overflow.length).toBeGreaterThan(0);
  }, 900_000); // a hang guard: 13 products and four nag packs take minutes on a loaded machine
});
