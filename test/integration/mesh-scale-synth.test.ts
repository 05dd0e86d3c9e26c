/**
 * A generated domain of 13 products synthesizes through every cdk-nag pack: the quality state
 * machine role's statements (a bucket grant per product) pass IAM's inline size from 12 products,
 * CDK moves them into OverflowPolicy1, 2, ..., and the acknowledgements still cover them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeScaleMesh } from '../../bench/scale-mesh.js';
import { buildMeshApp } from '../../constructs/mesh-app.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { cdkContext } from '../unit/constructs/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a domain of 13 products', () => {
  it('synthesizes with the compliance checks, its overflowing role policies acknowledged', async () => {
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
