/**
 * Grants from a nested stack to a role of its parent (constructs/core/role-grants.ts): in managed
 * policies of the nested stack attached to the role, never in the parent's inline policy; split
 * under IAM's 6,144 characters per managed policy; and the attached count held to IAM's quota.
 */
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { RoleGrants } from '../../constructs/core/role-grants.js';
import { cdkContext } from './constructs/helpers.js';

function parentAndNested(): { parent: Stack; nested: NestedStack; role: iam.Role } {
  const app = new App({ context: cdkContext() });
  const parent = new Stack(app, 'Parent', { env: { account: '123456789012', region: 'eu-west-1' } });
  const role = new iam.Role(parent, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { parent, nested: new NestedStack(parent, 'Group'), role };
}

describe('RoleGrants', () => {
  it('is the role itself in the role’s own stack, and one stand-in per nested stack', () => {
    const { parent, nested, role } = parentAndNested();
    expect(RoleGrants.of(parent, role)).toBe(role);
    const standIn = RoleGrants.of(nested, role);
    expect(standIn).not.toBe(role);
    expect(RoleGrants.of(nested, role)).toBe(standIn);
  });

  it('writes a grant made in the nested stack into a managed policy there, attached to the parent’s role', () => {
    const { parent, nested, role } = parentAndNested();
    const bucket = new s3.Bucket(nested, 'Data');
    bucket.grantRead(RoleGrants.of(nested, role), 'p1/*');
    const inner = Template.fromStack(nested).toJSON() as { Resources: Record<string, unknown>; Parameters: Record<string, unknown> };
    expect(inner.Resources.RoleGrantsParentWorker27B91DA8Policy14B5FFDE).toEqual({
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Description: 'Grants of Parent/Group to Parent/Worker',
        Path: '/',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: ['s3:GetBucket*', 's3:GetObject*', 's3:List*'],
              Effect: 'Allow',
              Resource: [{ 'Fn::GetAtt': ['Data666C94C7', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Data666C94C7', 'Arn'] }, '/p1/*']] }],
            },
          ],
        },
        Roles: [{ Ref: 'referencetoParentWorker89EF4962Ref' }],
      },
    });
    expect(Object.keys(inner.Parameters)).toEqual(['referencetoParentWorker89EF4962Ref']);
    // The parent's role keeps no policy of its own for the grant: no inline policy at all.
    const outer = Template.fromStack(parent);
    outer.resourceCountIs('AWS::IAM::Policy', 0);
    outer.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    outer.hasResourceProperties('AWS::CloudFormation::Stack', { Parameters: { referencetoParentWorker89EF4962Ref: { Ref: 'Worker11F36D0F' } } });
  });

  it('splits statements past IAM’s managed policy size into Policy2, Policy3, ... attached to the same role', () => {
    const { nested, role } = parentAndNested();
    const standIn = RoleGrants.of(nested, role);
    // 60 statements of one distinct 150-character resource each: about 12,000 characters, two or three policies.
    for (let i = 0; i < 60; i++) standIn.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [`s3:GetObject`], resources: [`arn:aws:s3:::bucket-${i}/${'x'.repeat(120)}`] }));
    const policies = Template.fromStack(nested).findResources('AWS::IAM::ManagedPolicy');
    const sizes = Object.values(policies).map((p) => JSON.stringify((p as { Properties: { PolicyDocument: unknown } }).Properties.PolicyDocument).length);
    expect(Object.keys(policies).length).toBeGreaterThanOrEqual(2);
    for (const size of sizes) expect(size).toBeLessThan(6144);
    const resources = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Resource: string | string[] }[] } } }).Properties.PolicyDocument.Statement.flatMap((s) => s.Resource));
    expect(new Set(resources).size).toBe(60);
    for (const p of Object.values(policies)) expect((p as { Properties: { Roles: unknown } }).Properties.Roles).toEqual([{ Ref: 'referencetoParentWorker89EF4962Ref' }]);
    expect(standIn instanceof RoleGrants && standIn.managedPolicies.map((p) => p.node.id)).toEqual(['Policy', ...Object.keys(policies).slice(1).map((_, i) => `Policy${i + 2}`)]);
  });

  it('warns above IAM’s default 10 managed policies per role and refuses more than the maximum of 20', () => {
    const many = (groups: number) => {
      const { parent, role } = parentAndNested();
      for (let g = 2; g <= groups + 1; g++) RoleGrants.of(new NestedStack(parent, `Group${g}`), role).addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::b${g}/*`] }));
      return parent;
    };
    // The first parentAndNested() nested stack holds no grant, so `groups` is the attached count.
    const eleven = many(11);
    Annotations.fromStack(eleven).hasWarning('/Parent/Worker', '11 managed policies are attached to this role, more than IAM\'s default quota of 10: ask for a quota increase before deploying, or raise productsPerStack (fewer product groups), or split the domain [ack: @tessera/role-grants:managed-policy-quota]');
    const app = many(21).node.root as App;
    expect(() => app.synth()).toThrow(/role Parent\/Worker would have 21 managed policies attached, more than IAM's maximum of 20/);
  });
});
