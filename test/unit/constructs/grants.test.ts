/**
 * `emitPermissionSteps` on hand-made plan steps, compared with CloudFormation written out by hand:
 * every resource shape Lake Formation's `AWS::LakeFormation::PrincipalPermissions` takes, and the
 * dependencies (every one the stack holds, none it does not).
 */
import { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { emitPermissionSteps, permissionResource, permissionSteps } from '../../../constructs/core/grants.js';
import type { PermissionStep } from '../../../lib/access/index.js';
import { testStack } from './helpers.js';
import { resourcesOf } from './template-json.js';

const ROLE = 'arn:aws:iam::111111111111:role/Analyst';

function step(id: string, resource: PermissionStep['resource'], extra: Partial<PermissionStep> = {}): PermissionStep {
  return { id, kind: 'permission', account: '111111111111', principal: ROLE, purpose: 'consumer', resource, permissions: ['SELECT', 'DESCRIBE'], grantable: [], dependsOn: [], ...extra };
}

/** Emits `steps` after two placeholder resources that stand for earlier steps (admins, a tag). */
function emit(steps: PermissionStep[]) {
  const stack = testStack();
  const emitted = new Map<string, CfnResource>([
    ['admins@111111111111', new CfnResource(stack, 'Admins', { type: 'Custom::Admins' })],
    ['tag@111111111111/domain', new CfnResource(stack, 'DomainTag', { type: 'Custom::Tag' })],
  ]);
  emitPermissionSteps(stack, steps, emitted);
  return { resources: resourcesOf(Template.fromStack(stack)), emitted };
}

describe('emitPermissionSteps', () => {
  it('writes each resource type in CloudFormation shape', () => {
    const { resources } = emit([
      step('a/location', { type: 'data-location', catalog: '111111111111', location: 'arn:aws:s3:::bucket/prefix' }),
      step('a/db', { type: 'database', catalog: '111111111111', database: 'orders' }),
      step('a/table', { type: 'table', catalog: '111111111111', database: 'orders', table: 'order_lines' }),
      step('a/cols', { type: 'columns', catalog: '111111111111', database: 'orders', table: 'order_lines', columns: ['sku', 'quantity'] }),
      step('a/tag', { type: 'lf-tag', catalog: '111111111111', key: 'domain', values: ['orders', 'inventory'] }),
      step('a/policy-table', { type: 'lf-tag-policy', catalog: '111111111111', resourceType: 'TABLE', expression: [{ key: 'domain', values: ['orders'] }, { key: 'classification', values: ['public', 'internal'] }] }),
      step('a/policy-db', { type: 'lf-tag-policy', catalog: '111111111111', resourceType: 'DATABASE', expression: [{ key: 'domain', values: ['orders'] }] }, { permissions: ['DESCRIBE'], grantable: ['DESCRIBE'] }),
    ]);
    const props = (id: string) => Object.entries(resources).find(([logicalId]) => logicalId.startsWith(id))![1].Properties;
    const principal = { DataLakePrincipalIdentifier: ROLE };
    const common = { Principal: principal, Permissions: ['SELECT', 'DESCRIBE'], PermissionsWithGrantOption: [] };
    expect(props('Grantalocation')).toEqual({ ...common, Resource: { DataLocation: { CatalogId: '111111111111', ResourceArn: 'arn:aws:s3:::bucket/prefix' } } });
    expect(props('Grantadb')).toEqual({ ...common, Resource: { Database: { CatalogId: '111111111111', Name: 'orders' } } });
    expect(props('Grantatable')).toEqual({ ...common, Resource: { Table: { CatalogId: '111111111111', DatabaseName: 'orders', Name: 'order_lines' } } });
    expect(props('Grantacols')).toEqual({ ...common, Resource: { TableWithColumns: { CatalogId: '111111111111', DatabaseName: 'orders', Name: 'order_lines', ColumnNames: ['sku', 'quantity'] } } });
    expect(props('Grantatag')).toEqual({ ...common, Resource: { LFTag: { CatalogId: '111111111111', TagKey: 'domain', TagValues: ['orders', 'inventory'] } } });
    expect(props('Grantapolicytable')).toEqual({
      ...common,
      Resource: { LFTagPolicy: { CatalogId: '111111111111', ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['orders'] }, { TagKey: 'classification', TagValues: ['public', 'internal'] }] } },
    });
    expect(props('Grantapolicydb')).toEqual({
      Principal: principal,
      Permissions: ['DESCRIBE'],
      PermissionsWithGrantOption: ['DESCRIBE'],
      Resource: { LFTagPolicy: { CatalogId: '111111111111', ResourceType: 'DATABASE', Expression: [{ TagKey: 'domain', TagValues: ['orders'] }] } },
    });
  }, 120_000);

  it('depends on every step it names that the stack holds, and on nothing else', () => {
    const { resources, emitted } = emit([
      step('g/first', { type: 'database', catalog: '111111111111', database: 'orders' }, { dependsOn: ['admins@111111111111', 'tag@111111111111/domain'] }),
      // `location@x` is another account's step: its stack deploys first, there is no resource here.
      step('g/second', { type: 'database', catalog: '111111111111', database: 'inventory' }, { dependsOn: ['admins@111111111111', 'g/first', 'location@x'] }),
    ]);
    const dependsOn = (id: string) => [...(Object.entries(resources).find(([logicalId]) => logicalId.startsWith(id))![1].DependsOn ?? [])].sort();
    expect(dependsOn('Grantgfirst')).toEqual(['Admins', 'DomainTag']);
    expect(dependsOn('Grantgsecond')).toEqual(['Admins', 'Grantgfirst'].map((p) => Object.keys(resources).find((k) => k.startsWith(p))!).sort());
    expect([...emitted.keys()]).toEqual(['admins@111111111111', 'tag@111111111111/domain', 'g/first', 'g/second']);
    // Construct ids come from step ids alone (slashes are path separators in CDK), so logical ids stay put.
    expect(emitted.get('g/first')!.node.id).toBe('Grant:g:first');
    expect(emitted.get('g/second')!.node.id).toBe('Grant:g:second');
  }, 120_000);
});

describe('permissionResource', () => {
  it('writes the Data Catalog itself as an empty catalog resource', () => {
    // Outside a stack: CDK's template validation (rule F3012) reads `Catalog` as a string, while
    // Lake Formation's resource takes an object (the account's catalog when empty).
    expect(permissionResource({ type: 'catalog', catalog: '111111111111' })).toEqual({ catalog: {} });
  });
});

describe('permissionSteps', () => {
  it('keeps the permission steps of one account and purpose, in plan order', () => {
    const share = step('s1', { type: 'catalog', catalog: '1' }, { purpose: 'share', account: '222222222222' });
    const consumer1 = step('c1', { type: 'catalog', catalog: '1' });
    const consumer2 = step('c2', { type: 'catalog', catalog: '1' });
    const otherAccount = step('c3', { type: 'catalog', catalog: '1' }, { account: '333333333333' });
    const shareHere = step('s2', { type: 'catalog', catalog: '1' }, { purpose: 'share' });
    const notPermission = { kind: 'admins', account: '111111111111', purpose: 'consumer' };
    expect(permissionSteps([consumer2, share, shareHere, notPermission, otherAccount, consumer1], '111111111111', 'consumer').map((s) => s.id)).toEqual(['c2', 'c1']);
    expect(permissionSteps([consumer2, shareHere, consumer1], '111111111111', 'share').map((s) => s.id)).toEqual(['s2']);
    expect(permissionSteps([consumer2, share, consumer1], '222222222222', 'share').map((s) => s.id)).toEqual(['s1']);
  });
});
