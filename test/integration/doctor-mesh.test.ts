/**
 * The offline doctor on real synthesized assemblies: today's example mesh (its contract
 * publications put events on the central bus in a stack that deploys after them, and it names
 * consumer roles nothing creates nor declares), the same mesh with two domains in one account, and a
 * small CDK app laid out correctly (a foundation stack with the bus and the roles deploying first),
 * which must pass, and fail again once its dependency is dropped.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as cr from 'aws-cdk-lib/custom-resources';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../bin/cli/doctor.js';
import { readAssemblyDir } from '../../bin/cli/doctor-assembly.js';
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

describe('tessera doctor --offline on the example mesh as it is today', () => {
  it('fails: each publication reaches the bus before the stack creating it deploys, and consumer roles exist nowhere', async () => {
    const { code, checks } = await doctorJson(join(root, 'mesh'));
    expect(code).toBe(1);
    expect(checks.find((c) => c.id === 'deploy-order')!.notes![0]).toBe('1. tessera-ecommerce-customer in 222222222222/eu-west-1');
    const publications = failed(checks, 'deploy-time-references');
    expect(publications.map((f) => f.stack)).toEqual(['tessera-ecommerce-customer', 'tessera-ecommerce-orders', 'tessera-ecommerce-orders', 'tessera-ecommerce-inventory', 'tessera-ecommerce-shipping']);
    const orders = publications.find((f) => f.resource?.startsWith('OrdersPublication'))!;
    expect(orders.message).toMatch(
      /^tessera-ecommerce-orders\/OrdersPublication[0-9A-F]{8} \(Custom::TesseraContractPublication\) EventBridge\.putEvents reaches event bus tessera-ecommerce in 111111111111\/eu-west-1, which tessera-ecommerce-governance creates; but tessera-ecommerce-governance does not deploy before tessera-ecommerce-orders/,
    );
    const principals = failed(checks, 'principals').map((f) => f.subject);
    for (const role of ['TesseraAnalyst', 'TesseraCustomerService', 'TesseraSupplyChain', 'TesseraDataLakeAdmin']) expect(principals).toContain(`arn:aws:iam::111111111111:role/${role}`);
  }, 300_000);

  it('fails a mesh with two domains in one account: settings and LF-tags created twice', async () => {
    const dir = join(tmp, 'shared');
    cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
    const file = join(dir, 'mesh.yaml');
    const text = readFileSync(file, 'utf8');
    // shipping moves into the orders account
    writeFileSync(file, text.replace('account: "555555555555"', 'account: "333333333333"'));
    const { code, checks } = await doctorJson(dir);
    expect(code).toBe(1);
    expect(failed(checks, 'account-owners').map((f) => f.subject)).toEqual([
      'Lake Formation data lake settings in 333333333333/eu-west-1',
      "LF-tag key 'domain' in 333333333333/eu-west-1",
      "LF-tag key 'classification' in 333333333333/eu-west-1",
    ]);
    expect(failed(checks, 'account-owners')[0]!.message).toMatch(/created by 2 stacks: tessera-ecommerce-orders\/LakeFormationSettings[0-9A-F]{8}, tessera-ecommerce-shipping\/LakeFormationSettings[0-9A-F]{8}/);
  }, 300_000);

  it('fails a mesh with a domain in the governance account: settings, LF-tags and the database name twice', async () => {
    const dir = join(tmp, 'in-governance');
    cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
    const file = join(dir, 'mesh.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('account: "333333333333"', 'account: "111111111111"'));
    const { code, checks } = await doctorJson(dir);
    expect(code).toBe(1);
    expect(failed(checks, 'account-owners').map((f) => f.subject)).toEqual([
      'Lake Formation data lake settings in 111111111111/eu-west-1',
      // the orders database, and the governance stack's resource link of the same name
      'Glue database orders in 111111111111/eu-west-1',
      "LF-tag key 'domain' in 111111111111/eu-west-1",
      "LF-tag key 'classification' in 111111111111/eu-west-1",
    ]);
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
