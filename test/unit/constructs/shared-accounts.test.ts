/**
 * A mesh whose accounts are shared: domain `customer` in the governance account, `orders` and
 * `shipping` in one account. Lake Formation settings and LF-tags are unique per account (tag keys
 * per catalog), so each account has exactly one owning stack and the others deploy after it.
 */
import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMeshApp, type MeshStacks } from '../../../constructs/mesh-app.js';
import type { Mesh } from '../../../lib/mesh/load.js';
import { cdkContext, exampleMeshStacks } from './helpers.js';

const GOV = '111111111111';
const SHARED = '333333333333';

let stacks: MeshStacks;
let all: Stack[];

beforeAll(async () => {
  const { mesh } = await exampleMeshStacks();
  const accounts: Record<string, string> = { customer: GOV, orders: SHARED, shipping: SHARED };
  const shared: Mesh = { ...mesh, config: { ...mesh.config, domains: mesh.config.domains.map((d) => ({ ...d, account: accounts[d.name] ?? d.account })) } };
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
  stacks = buildMeshApp(app, shared, { complianceChecks: false });
  all = [stacks.foundation, ...stacks.domains.values(), stacks.governance];
});

const count = (stack: Stack, type: string, props?: unknown): number => Object.keys(Template.fromStack(stack).findResources(type, props === undefined ? undefined : { Properties: props })).length;

describe('a mesh with shared accounts', () => {
  it('has one Lake Formation settings owner and one tag of each key per account', () => {
    const byAccount = new Map<string, { settings: number; domainTags: number; classificationTags: number }>();
    for (const stack of all) {
      const entry = byAccount.get(stack.account) ?? { settings: 0, domainTags: 0, classificationTags: 0 };
      entry.settings += count(stack, 'Custom::TesseraDataLakeSettings');
      entry.domainTags += count(stack, 'AWS::LakeFormation::Tag', { TagKey: 'domain' });
      entry.classificationTags += count(stack, 'AWS::LakeFormation::Tag', { TagKey: 'classification' });
      byAccount.set(stack.account, entry);
    }
    expect(Object.fromEntries(byAccount)).toEqual({
      [GOV]: { settings: 1, domainTags: 1, classificationTags: 1 },
      [SHARED]: { settings: 1, domainTags: 1, classificationTags: 1 },
      '444444444444': { settings: 1, domainTags: 1, classificationTags: 1 },
    });
  });

  it('gives the owners the tag values of every domain in their account', () => {
    Template.fromStack(stacks.foundation).hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'domain', TagValues: ['customer', 'orders', 'inventory', 'shipping'] });
    Template.fromStack(stacks.domains.get('orders')!).hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'domain', TagValues: ['orders', 'shipping'] });
    expect(count(stacks.domains.get('customer')!, 'AWS::LakeFormation::Tag')).toBe(0);
    expect(count(stacks.domains.get('shipping')!, 'AWS::LakeFormation::Tag')).toBe(0);
  });

  it('deploys a stack that shares an account after the stack owning its settings', () => {
    const direct = (s: Stack): string[] => s.dependencies.map((d) => d.stackName).sort();
    expect(direct(stacks.domains.get('customer')!)).toEqual(['tessera-ecommerce-foundation']);
    expect(direct(stacks.domains.get('orders')!)).toEqual(['tessera-ecommerce-foundation']);
    expect(direct(stacks.domains.get('shipping')!)).toEqual(['tessera-ecommerce-foundation', 'tessera-ecommerce-orders']);
  });

  it('revokes IAMAllowedPrincipals in a non-owning stack through the account provider, by name', () => {
    Template.fromStack(stacks.domains.get('shipping')!).hasResourceProperties('Custom::TesseraIamAllowedPrincipalsRevocation', {
      ServiceToken: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':function:tessera-ecommerce-lake-formation']] },
      Databases: [{ Name: { Ref: Match.stringLikeRegexp('^Database') }, Tables: [{ Ref: Match.stringLikeRegexp('^ShipmentsTableShipments') }] }],
    });
    Template.fromStack(stacks.domains.get('orders')!).hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'tessera-ecommerce-lake-formation' });
    expect(count(stacks.domains.get('shipping')!, 'AWS::Lambda::Function', { FunctionName: 'tessera-ecommerce-lake-formation' })).toBe(0);
  });

  it('shares nothing from the governance account with itself, and links no database already there', () => {
    const customer = Template.fromStack(stacks.domains.get('customer')!);
    // Its only grants are to its own roles (producer, quality) on its own tables.
    const principals = Object.values(customer.findResources('AWS::LakeFormation::PrincipalPermissions')).map((r) => JSON.stringify((r.Properties as { Principal: unknown }).Principal));
    expect(principals.length).toBeGreaterThan(0);
    expect(principals.filter((p) => p.includes(GOV))).toEqual([]);
    for (const p of principals) expect(p).toMatch(/^\{"DataLakePrincipalIdentifier":\{"Fn::GetAtt":\["(ProducerRole|QualityStateMachineRole)/);
    const links = Object.values(Template.fromStack(stacks.governance).findResources('AWS::Glue::Database')).map((r) => (r.Properties as { DatabaseInput: { Name: string } }).DatabaseInput.Name);
    expect(links.sort()).toEqual(['ecommerce_views', 'inventory', 'orders', 'shipping']);
  });

  it('keeps each domain stack to the shares of its own domain', () => {
    const shares = (domain: string): string[] =>
      Object.values(Template.fromStack(stacks.domains.get(domain)!).findResources('AWS::LakeFormation::PrincipalPermissions'))
        .map((r) => JSON.stringify((r.Properties as { Resource: unknown }).Resource))
        .filter((r) => r.includes('LFTagPolicy'));
    expect(shares('orders').every((r) => r.includes('"TagValues":["orders"]'))).toBe(true);
    expect(shares('shipping').every((r) => r.includes('"TagValues":["shipping"]'))).toBe(true);
    expect(shares('orders')).toHaveLength(2);
    expect(shares('shipping')).toHaveLength(2);
  });
});
