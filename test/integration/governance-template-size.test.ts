/**
 * The governance stack's template stays small at 500 domains (issue 13, "No cliff"): what grew per
 * domain (the mesh dashboard's metrics, the MESH/CONFIG item's JSON, the API resource policy's
 * principals, the ingest role's key patterns) is now of constant size or a list of account ids
 * (bench/governance-template.ts prints the figures: 463 KB and 438 resources at 500 domains × 5
 * products). The stack is synthesized alone, as `buildMeshApp` makes it, through every cdk-nag
 * pack and with CDK's refusal of a stack over 500 resources on. The limits are CloudFormation's
 * (500 resources, 1 MB: "AWS CloudFormation quotas", User Guide); the test holds half the byte limit.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeScaleMesh } from '../../bench/scale-mesh.js';
import { addComplianceChecks } from '../../constructs/core/compliance.js';
import { buildGovernanceStack } from '../../constructs/mesh-app.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { cdkContext } from '../unit/constructs/helpers.js';

// CDK's CloudFormation validator changes no template; mesh-synth.test.ts runs it on the example mesh.
vi.hoisted(() => {
  process.env.CDK_VALIDATION = 'false';
});

const dir = mkdtempSync(join(tmpdir(), 'tessera-governance-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the governance template of a 500-domain mesh', () => {
  it('holds under 500 resources and 512 KB, through every compliance pack', async () => {
    const mesh = (await loadMeshFile(await writeScaleMesh(join(dir, 'mesh'), 500, 1))).mesh!;
    const outdir = join(dir, 'cdk.out');
    const app = new App({ outdir, context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const stack = buildGovernanceStack(app, 'tessera-scale500-governance', mesh);
    addComplianceChecks(app);
    expect(() => app.synth()).not.toThrow();
    const file = join(outdir, `${stack.artifactId}.template.json`);
    const template = JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    expect(Object.keys(template.Resources).length).toBeLessThan(500);
    expect(statSync(file).size).toBeLessThan(512 * 1024);
    // The 501 accounts (governance and 500 domains) are one condition list of the API's one statement.
    const api = Object.values(template.Resources).find((r) => r.Type === 'AWS::ApiGateway::RestApi')!;
    const [statement, ...others] = (api.Properties.Policy as { Statement: { Condition: { StringEquals: Record<string, string[]> } }[] }).Statement;
    expect(others).toEqual([]);
    expect(statement!.Condition.StringEquals['aws:PrincipalAccount']).toHaveLength(501);
  }, 900_000); // a hang guard: 500 domains' grant plan and four nag packs take minutes on a loaded 2-core machine
});
