/**
 * Lake Formation in force, as literal CloudFormation: the account settings are merged by Tessera's
 * custom resource (AWS::LakeFormation::DataLakeSettings cannot remove the IAM-only defaults,
 * cloudformation-coverage-roadmap#2197), new tables of Tessera databases get no default grant,
 * IAMAllowedPrincipals grants already there are revoked, and the tags come from the grant plan.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainStack } from '../../../constructs/domain-stack.js';
import type { MeshStacks } from '../../../constructs/mesh-app.js';
import { analyzeAccess, type GrantPlan, type PlanStep, type TagAssociationStep } from '../../../lib/access/index.js';
import type { Mesh } from '../../../lib/mesh/load.js';
import { cdkContext, exampleMeshStacks } from './helpers.js';

let mesh: Mesh;
let stacks: MeshStacks;
let orders: Template;

beforeAll(async () => {
  ({ mesh, stacks } = await exampleMeshStacks());
  orders = Template.fromStack(stacks.domains.get('orders')!);
});

const execRole = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/cdk-hnb659fds-cfn-exec-role-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
};

describe('account settings', () => {
  it('are merged by the custom resource, never by AWS::LakeFormation::DataLakeSettings', () => {
    for (const stack of [stacks.foundation, ...stacks.domains.values(), stacks.governance]) {
      Template.fromStack(stack).resourceCountIs('AWS::LakeFormation::DataLakeSettings', 0);
    }
    Template.fromStack(stacks.foundation).hasResourceProperties('Custom::TesseraDataLakeSettings', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LakeFormationLockdownProviderframeworkonEvent'), 'Arn'] },
      CatalogId: { Ref: 'AWS::AccountId' },
      Admins: [execRole, { 'Fn::GetAtt': [Match.stringLikeRegexp('^LakeFormationLockdownRole'), 'Arn'] }, 'arn:aws:iam::111111111111:role/TesseraDataLakeAdmin'],
      CrossAccountVersion: '4',
    });
    orders.hasResourceProperties('Custom::TesseraDataLakeSettings', {
      CatalogId: { Ref: 'AWS::AccountId' },
      Admins: [execRole, { 'Fn::GetAtt': [Match.stringLikeRegexp('^LakeFormationLockdownRole'), 'Arn'] }],
      CrossAccountVersion: '4',
    });
  });

  it('run in a named provider whose role may only read and write settings and list and revoke permissions', () => {
    orders.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'tessera-ecommerce-lake-formation' });
    orders.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^LakeFormationLockdownRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'LakeFormationLockdown',
            Effect: 'Allow',
            Action: ['lakeformation:GetDataLakeSettings', 'lakeformation:ListPermissions', 'lakeformation:PutDataLakeSettings', 'lakeformation:RevokePermissions'],
            Resource: '*',
          },
        ]),
      },
    });
  });

  it('come before the tags, the database and the location registrations', () => {
    const settings = Object.keys(orders.findResources('Custom::TesseraDataLakeSettings'));
    expect(settings).toHaveLength(1);
    for (const type of ['AWS::LakeFormation::Tag', 'AWS::Glue::Database', 'AWS::LakeFormation::Resource']) {
      for (const [id, r] of Object.entries(orders.findResources(type))) expect(r.DependsOn, id).toContain(settings[0]);
    }
  });
});

describe('Tessera databases and tables', () => {
  it('give new tables no default permissions', () => {
    orders.hasResourceProperties('AWS::Glue::Database', { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseInput: Match.objectLike({ Name: 'orders', CreateTableDefaultPermissions: [] }) });
  });

  it('revoke what IAMAllowedPrincipals holds on the database and every table, after the settings', () => {
    const revocations = orders.findResources('Custom::TesseraIamAllowedPrincipalsRevocation');
    expect(Object.keys(revocations)).toHaveLength(1);
    const [revocation] = Object.values(revocations);
    expect(revocation!.Properties).toEqual({
      ServiceToken: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':function:tessera-ecommerce-lake-formation']] },
      CatalogId: { Ref: 'AWS::AccountId' },
      Databases: [{ Name: { Ref: expect.stringMatching(/^Database/) as unknown }, Tables: [{ Ref: expect.stringMatching(/^OrdersTableOrders/) as unknown }, { Ref: expect.stringMatching(/^OrderLinesTableOrderLines/) as unknown }] }],
    });
    expect(revocation!.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^LakeFormationAccountSettings/)]));
  });
});

describe('tags from the grant plan', () => {
  it('are what the plan says, even where the contract alone would say otherwise', () => {
    // Change one column association of the plan: the stack must follow the plan, not recompute.
    const plan = analyzeAccess(mesh).plan;
    const target = plan.steps.find((s): s is TagAssociationStep => s.kind === 'tag-association' && s.resource.type === 'columns' && s.account === '333333333333')!;
    const altered: GrantPlan = { steps: plan.steps.map((s): PlanStep => (s === target ? { ...target, tags: [{ key: 'classification', values: ['restricted'] }] } : s)) };
    const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const domain = mesh.config.domains.find((d) => d.name === 'orders')!;
    const stack = new DomainStack(app, 'Orders', { env: { account: domain.account, region: mesh.config.region }, config: mesh.config, domain, products: mesh.products.filter((p) => p.domain === 'orders'), plan: altered });
    const columns = target.resource.type === 'columns' ? [...target.resource.columns] : [];
    Template.fromStack(stack).hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { TableWithColumns: Match.objectLike({ ColumnNames: columns }) },
      LFTags: [{ CatalogId: { Ref: 'AWS::AccountId' }, TagKey: 'classification', TagValues: ['restricted'] }],
    });
  });
});
