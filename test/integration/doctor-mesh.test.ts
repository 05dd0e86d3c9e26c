/**
 * The offline doctor on real synthesized assemblies: the example mesh passes, and so do its
 * shared-account variants; the same assemblies with issue 11's defects brought back fail, naming
 * what breaks: a domain deploying before the foundation stack (publications reach a bus that is not
 * there yet), consumer roles nobody creates nor declares, a second owner of an account's Lake
 * Formation settings and LF-tags. Last, a small CDK app laid out correctly passes, and fails once
 * its dependency is dropped.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as cr from 'aws-cdk-lib/custom-resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../bin/cli/doctor.js';
import { readAssemblyDir, synthesizeMesh } from '../../bin/cli/doctor-assembly.js';
import type { Assembly, AssemblyStack, TemplateResource } from '../../lib/doctor/assembly.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { prerequisitePrincipals } from '../../lib/mesh/layout.js';
import { offlineChecks } from '../../lib/doctor/offline.js';
import type { CheckResult } from '../../lib/doctor/report.js';
import { cdkContext, root } from '../unit/constructs/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'tessera-doctor-mesh-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function doctorJson(meshDir: string): Promise<{ code: number; checks: CheckResult[] }> {
  let out = '';
  const code = await doctorCommand(meshDir, { offline: true, json: true }, { out: (t) => (out += t), err: () => undefined, cwd: root });
  return { code, checks: (JSON.parse(out) as { checks: CheckResult[] }).checks };
}
const failed = (checks: CheckResult[], id: string) => checks.find((c) => c.id === id)!.findings.filter((f) => f.status === 'fail');

describe('tessera doctor --offline on the example mesh', () => {
  let assembly: Assembly;
  let prerequisites: string[];
  beforeAll(async () => {
    const loaded = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
    assembly = await synthesizeMesh(loaded.mesh!, root);
    prerequisites = prerequisitePrincipals(loaded.mesh!.config).map((p) => p.arn);
  });
  const stack = (a: Assembly, name: string): AssemblyStack => a.stacks.find((s) => s.stackName === name)!;
  const withStack = (a: Assembly, name: string, change: (s: AssemblyStack) => AssemblyStack): Assembly => ({ ...a, stacks: a.stacks.map((s) => (s.stackName === name ? change(s) : s)) });
  const withoutResources = (s: AssemblyStack, keep: (r: TemplateResource) => boolean): AssemblyStack => ({
    ...s,
    template: { ...s.template, Resources: Object.fromEntries(Object.entries(s.template.Resources ?? {}).filter(([, r]) => keep(r))) },
  });

  it('passes: the foundation stack deploys first, every principal is created or declared, one owner per account', async () => {
    const { code, checks } = await doctorJson(join(root, 'mesh'));
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['deploy-order', 'pass'],
      ['deploy-time-references', 'pass'],
      ['principals', 'pass'],
      ['account-owners', 'pass'],
    ]);
    expect(code).toBe(0);
    expect(checks.find((c) => c.id === 'deploy-order')!.notes![0]).toBe('1. tessera-ecommerce-foundation in 111111111111/eu-west-1');
    expect(checks.find((c) => c.id === 'deploy-order')!.notes!.at(-1)).toMatch(/^6\. tessera-ecommerce-governance in 111111111111\/eu-west-1 \(after tessera-ecommerce-foundation, /);
  }, 300_000);

  it('fails naming the publication and the bus when a domain deploys before the foundation stack (defect 1)', () => {
    const broken = withStack(assembly, 'tessera-ecommerce-orders', (s) => ({ ...s, dependencies: s.dependencies.filter((d) => !d.includes('foundation')) }));
    const references = failed(offlineChecks(broken, prerequisites), 'deploy-time-references');
    expect(references.length).toBeGreaterThanOrEqual(2); // the two orders products' publications, at least
    expect(references.map((f) => f.stack)).toEqual(references.map(() => 'tessera-ecommerce-orders'));
    expect(references.find((f) => f.resource?.startsWith('OrdersPublication'))!.message).toMatch(
      /^tessera-ecommerce-orders\/OrdersPublication[0-9A-F]{8} \(Custom::TesseraContractPublication\) EventBridge\.putEvents reaches event bus tessera-ecommerce in 111111111111\/eu-west-1, which tessera-ecommerce-foundation creates; but tessera-ecommerce-foundation does not deploy before tessera-ecommerce-orders/,
    );
  });

  it('fails naming each role when the roles Tessera should create exist nowhere and are not declared (defect 3)', () => {
    const broken = withStack(assembly, 'tessera-ecommerce-foundation', (s) => withoutResources(s, (r) => r.Type !== 'AWS::IAM::Role' || !JSON.stringify(r.Properties?.RoleName ?? '').startsWith('"Tessera')));
    const principals = failed(offlineChecks(broken, prerequisites), 'principals').map((f) => f.subject);
    for (const role of ['TesseraAnalyst', 'TesseraCustomerService', 'TesseraSupplyChain']) expect(principals).toContain(`arn:aws:iam::111111111111:role/${role}`);
    // The admin is declared as a prerequisite: without the declaration it fails too.
    expect(principals).not.toContain('arn:aws:iam::111111111111:role/TesseraDataLakeAdmin');
    const undeclared = failed(offlineChecks(assembly, prerequisites.filter((p) => !p.endsWith('/TesseraDataLakeAdmin'))), 'principals').map((f) => f.subject);
    expect(undeclared).toContain('arn:aws:iam::111111111111:role/TesseraDataLakeAdmin');
  });

  it('passes a mesh with two domains in one account: one stack owns the settings and LF-tags', async () => {
    const dir = join(tmp, 'shared');
    cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
    const file = join(dir, 'mesh.yaml');
    // shipping moves into the orders account
    writeFileSync(file, readFileSync(file, 'utf8').replace('account: "555555555555"', 'account: "333333333333"'));
    const { code, checks } = await doctorJson(dir);
    expect(checks.map((c) => [c.id, c.status])).toContainEqual(['account-owners', 'pass']);
    expect(code).toBe(0);
  }, 300_000);

  it('fails a shared account whose second stack creates the settings and LF-tags again (defect 5)', async () => {
    const dir = join(tmp, 'shared');
    const shared = await synthesizeMesh((await loadMeshFile(join(dir, 'mesh.yaml'))).mesh!, root);
    const owned = (r: TemplateResource): boolean => r.Type === 'Custom::TesseraDataLakeSettings' || r.Type === 'AWS::LakeFormation::Tag';
    const copied = Object.entries(stack(shared, 'tessera-ecommerce-orders').template.Resources ?? {}).filter(([, r]) => owned(r));
    expect(copied.length).toBe(3);
    const broken = withStack(shared, 'tessera-ecommerce-shipping', (s) => ({ ...s, template: { ...s.template, Resources: { ...s.template.Resources, ...Object.fromEntries(copied) } } }));
    expect(failed(offlineChecks(broken, prerequisites), 'account-owners').map((f) => f.subject)).toEqual([
      'Lake Formation data lake settings in 333333333333/eu-west-1',
      "LF-tag key 'domain' in 333333333333/eu-west-1",
      "LF-tag key 'classification' in 333333333333/eu-west-1",
    ]);
  }, 300_000);

  it('passes a mesh with a domain in the governance account: the foundation stack owns the account, no resource link shadows the database', async () => {
    const dir = join(tmp, 'in-governance');
    cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
    const file = join(dir, 'mesh.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('account: "333333333333"', 'account: "111111111111"'));
    const { code, checks } = await doctorJson(dir);
    expect(checks.map((c) => [c.id, c.status])).toContainEqual(['account-owners', 'pass']);
    expect(code).toBe(0);
  }, 300_000);
});

describe('tessera doctor --offline on a correctly laid-out CDK app', () => {
  function synthApp(withDependency: boolean) {
    const outdir = mkdtempSync(join(tmp, 'app-'));
    const app = new App({ outdir, context: cdkContext() });
    const foundation = new Stack(app, 'foundation', { env: { account: '111111111111', region: 'eu-west-1' } });
    new events.EventBus(foundation, 'Bus', { eventBusName: 'central' });
    new iam.Role(foundation, 'Analyst', { roleName: 'Analyst', assumedBy: new iam.AccountRootPrincipal() });
    const domain = new Stack(app, 'domain', { env: { account: '222222222222', region: 'eu-west-1' } });
    const busArn = `arn:${domain.partition}:events:eu-west-1:111111111111:event-bus/central`;
    new cr.AwsCustomResource(domain, 'Publication', {
      onCreate: { service: 'EventBridge', action: 'putEvents', parameters: { Entries: [{ EventBusName: busArn, Source: 'app', DetailType: 'Published', Detail: '{}' }] }, physicalResourceId: cr.PhysicalResourceId.of('publication') },
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [busArn] })]),
      installLatestAwsSdk: false,
    });
    const governance = new Stack(app, 'governance', { env: { account: '111111111111', region: 'eu-west-1' } });
    new lakeformation.CfnPrincipalPermissions(governance, 'Grant', {
      permissions: ['DESCRIBE'],
      permissionsWithGrantOption: [],
      principal: { dataLakePrincipalIdentifier: 'arn:aws:iam::111111111111:role/Analyst' },
      resource: { database: { catalogId: '222222222222', name: 'orders' } },
    });
    if (withDependency) domain.addStackDependency(foundation);
    governance.addStackDependency(foundation);
    app.synth();
    return readAssemblyDir(outdir);
  }

  it('passes: the bus and the role deploy first; the grant target is declared to exist', () => {
    const checks = offlineChecks(synthApp(true), ['arn:aws:glue:eu-west-1:222222222222:database/orders']);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['deploy-order', 'pass'],
      ['deploy-time-references', 'pass'],
      ['principals', 'pass'],
      ['account-owners', 'pass'],
    ]);
  });

  it('fails once the domain no longer depends on the foundation stack', () => {
    const checks = offlineChecks(synthApp(false), ['arn:aws:glue:eu-west-1:222222222222:database/orders']);
    expect(failed(checks, 'deploy-time-references').map((f) => f.message)).toEqual([
      expect.stringMatching(/^domain\/Publication[0-9A-F]{8} \(Custom::AWS\) EventBridge\.putEvents reaches event bus central in 111111111111\/eu-west-1, which foundation creates; but foundation does not deploy before domain/),
    ]);
  });
});
