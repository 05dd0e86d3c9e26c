/**
 * Generated meshes whose role policies pass IAM's inline size synthesize through every cdk-nag
 * pack: CDK moves statements into OverflowPolicy1, 2, ... and the acknowledgements still cover them.
 * 50 domains: the catalog ingest role (a KMS key pattern per domain account) overflows; before the
 * acknowledgements moved to the role, synth failed on Catalog/IngestRole/OverflowPolicy1. 13
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
  it('synthesizes 50 domains, the catalog ingest role policy overflowing', async () => {
    const mesh = (await loadMeshFile(await writeScaleMesh(join(dir, 'mesh50'), 50, 1))).mesh!;
    const outdir = join(dir, 'cdk.out50');
    // The governance stack passes 500 resources at about 50 domains (not split yet), which CDK and
    // the CloudFormation validator (F0007) refuse: both lifted here to reach the cdk-nag checks.
    const app = new App({ outdir, context: cdkContext({ 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:stackResourceLimit': 100_000, '@aws-cdk/core:validateAgainstDefaultRules': false }) });
    buildMeshApp(app, mesh);
    expect(() => app.synth()).not.toThrow();
    const template = JSON.parse(readFileSync(join(outdir, 'tessera-scale50-governance.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.keys(template.Resources).filter((id) => id.startsWith('CatalogIngestRoleOverflowPolicy')).length).toBeGreaterThan(0);
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
