/**
 * The example mesh as `cdk synth` builds it, through every template gate: CloudFormation
 * validation as errors (cdk.json's `@aws-cdk/core:validateAgainstDefaultRules`), the cdk-nag packs
 * AwsSolutions, NIST 800-53 rev 5, HIPAA Security and PCI DSS 3.2.1 with nothing unacknowledged,
 * cfn-lint (the pinned version from requirements-dev.txt) without errors, and the stack limits.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComplianceChecks, acknowledge } from '../../constructs/core/compliance.js';
import { buildMeshApp } from '../../constructs/mesh-app.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { cdkContext, root } from '../unit/constructs/helpers.js';
import { venvProgram } from '../../bin/local/python-tools.js';

const outdir = mkdtempSync(join(tmpdir(), 'tessera-synth-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

let mesh: Mesh;
let templates: Map<string, { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }>;

beforeAll(async () => {
  const result = await loadMeshFile(join(root, 'mesh/mesh.yaml'));
  mesh = result.mesh!;
  // Templates and their gates do not depend on the bundled code (asset hashes aside); the bundles
  // themselves are built, loaded and called in lambda-bundles.test.ts, once.
  const app = new App({ outdir, context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
  buildMeshApp(app, mesh);
  app.synth(); // throws "Validation failed" on any unacknowledged cdk-nag finding
  templates = new Map(
    readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [f.replace('.template.json', ''), JSON.parse(readFileSync(join(outdir, f), 'utf8')) as never]),
  );
  // A hang guard: bundling every Lambda of six stacks takes minutes on a loaded machine.
}, 600_000);

describe('the example mesh synthesized', () => {
  it('uses the CloudFormation validation context of cdk.json', () => {
    expect(cdkContext()['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
  });

  it('has one stack per domain, in the domain account and the mesh region, and the foundation and governance stacks', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; environment?: string }> };
    for (const domain of mesh.config.domains) {
      const artifact = manifest.artifacts[`tessera-${mesh.config.name}-${domain.name}`];
      expect(artifact?.environment).toBe(`aws://${domain.account}/${mesh.config.region}`);
    }
    for (const stack of ['foundation', 'governance']) {
      expect(manifest.artifacts[`tessera-${mesh.config.name}-${stack}`]?.environment).toBe(`aws://${mesh.config.governance.account}/${mesh.config.region}`);
    }
    expect(templates.size).toBe(mesh.config.domains.length + 2);
  });

  it('stays within CloudFormation limits: under 500 resources and 1 MB per stack', () => {
    for (const [name, template] of templates) {
      expect(Object.keys(template.Resources).length, name).toBeLessThan(500);
      expect(statSync(join(outdir, `${name}.template.json`)).size, name).toBeLessThan(1024 * 1024);
    }
  });

  it('creates a Glue table for every table of every product, in its domain stack', () => {
    for (const product of mesh.products) {
      const template = templates.get(`tessera-${mesh.config.name}-${product.domain}`)!;
      expect(template, product.domain).toBeDefined();
      const names = Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::Glue::Table')
        .map((r) => (r.Properties!.TableInput as { Name: string }).Name);
      for (const table of product.contract.tables) expect(names).toContain(table.physicalName);
    }
  });

  it('gives every account one owner of its Lake Formation settings and tag ontology (each account has its own here)', () => {
    const owners = [...templates.entries()].filter(([, t]) => Object.values(t.Resources).some((r) => r.Type === 'Custom::TesseraDataLakeSettings'));
    expect(owners.map(([name]) => name).sort()).toEqual(['foundation', 'customer', 'orders', 'inventory', 'shipping'].map((n) => `tessera-${mesh.config.name}-${n}`).sort());
    for (const [name, template] of templates) {
      expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::LakeFormation::DataLakeSettings'), name).toHaveLength(0);
      const tags = Object.values(template.Resources).filter((r) => r.Type === 'AWS::LakeFormation::Tag').map((r) => r.Properties!.TagKey);
      expect(tags.sort(), name).toEqual(name.endsWith('-governance') ? [] : ['classification', 'domain']);
    }
  });

  it('passes cfn-lint without errors', async () => {
    const files = [...templates.keys()].map((n) => join(outdir, `${n}.template.json`));
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(venvProgram('cfn-lint'), ['--format', 'json', ...files]));
    } catch (e) {
      const error = e as { code?: string | number; stdout?: string };
      if (error.stdout === undefined) throw e;
      stdout = error.stdout;
    }
    const matches = JSON.parse(stdout) as { Level: string; Rule: { Id: string }; Message: string }[];
    const errors = matches.filter((m) => m.Level === 'Error');
    expect(errors.map((m) => `${m.Rule.Id} ${m.Message}`)).toEqual([]);
    // A hang guard: cfn-lint reads six templates, minutes on a loaded machine.
  }, 300_000);
});

describe('the compliance gate', () => {
  it('fails synthesis on an unacknowledged finding', () => {
    const app = new App({ outdir: mkdtempSync(join(outdir, 'bad-')) });
    new s3.Bucket(new Stack(app, 'Bad'), 'PlainBucket');
    addComplianceChecks(app);
    expect(() => app.synth()).toThrow(/Validation failed|Acknowledge with 'AwsSolutions::AwsSolutions-S1'/);
  });

  it('refuses an acknowledgment without a real reason', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => acknowledge(stack, 'n/a', 'AwsSolutions-S1')).toThrow(/needs a real reason/);
  });
});
