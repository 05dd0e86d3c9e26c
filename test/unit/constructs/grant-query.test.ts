/**
 * `grantQuery` for analysts: the Athena workgroup (with its results and key), a federated source's
 * catalog and connector, and the catalog API, so nobody writes that IAM by hand. Expected policy
 * statements are written out as CloudFormation.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { FederatedCatalog } from '../../../constructs/federated-source.js';
import { MeshQuery } from '../../../constructs/mesh-query.js';
import { exampleMeshStacks, testStack } from './helpers.js';

const analystPolicy = (template: Template) => {
  type Policy = { Properties: { Roles: unknown; PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } };
  const policies = (Object.values(template.findResources('AWS::IAM::Policy')) as Policy[]).filter((p) => JSON.stringify(p.Properties.Roles).includes('{"Ref":"Analyst'));
  expect(policies).toHaveLength(1);
  return policies[0]!.Properties.PolicyDocument.Statement;
};

describe('grantQuery', () => {
  it('on MeshQuery: the workgroup, its results and key, and the catalog reads Athena makes for the caller', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const query = new MeshQuery(stack, 'Query', { workGroupName: 'tessera-test-analysts', key, accessLogsBucket: new s3.Bucket(stack, 'Logs') });
    const analyst = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = query.grantQuery(analyst);
    expect(grant.success).toBe(true);
    const statements = analystPolicy(Template.fromStack(stack));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['athena:StartQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution']) as unknown,
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:eu-west-1:123456789012:workgroup/tessera-test-analysts']] },
      }),
    );
    expect(statements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['glue:GetTable', 'lakeformation:GetDataAccess']) as unknown, Resource: '*' }));
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: expect.arrayContaining(['s3:PutObject']) as unknown, Resource: expect.arrayContaining([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^QueryResults/) as unknown, 'Arn'] }, '/results/*']] }]) as unknown }),
    );
    expect(statements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt']) as unknown, Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/) as unknown, 'Arn'] } }));
  });

  it("on a federated source: its data catalog, and invoking its connector (Athena calls it with the caller's credentials)", () => {
    const stack = testStack();
    const functionArn = 'arn:aws:lambda:eu-west-1:444455556666:function:tessera-ecommerce-orders-live';
    const catalog = new FederatedCatalog(stack, 'Live', { source: { name: 'orders_live', type: 'dynamodb', tables: ['carts'] } as never, functionArn });
    const analyst = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    catalog.grantQuery(analyst);
    const statements = analystPolicy(Template.fromStack(stack));
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'athena:GetDataCatalog', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:eu-west-1:123456789012:datacatalog/orders_live']] } });
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: functionArn });
  });

  it('on the catalog service: invoking the v1 stage of its API', async () => {
    const { stacks } = await exampleMeshStacks();
    const governance = stacks.governance;
    const analyst = new iam.Role(governance, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    governance.catalog.grantQuery(analyst);
    const statements = analystPolicy(Template.fromStack(governance));
    const invoke = statements.filter((st) => st.Action === 'execute-api:Invoke');
    expect(invoke).toHaveLength(1);
    // arn:<partition>:execute-api:<region>:<governance account>:<api id>/<stage v1>/<every method>/<every path>
    expect(invoke[0]!.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:111111111111:', { Ref: expect.stringMatching(/^CatalogApi[0-9A-F]{8}$/) as unknown }, '/', { Ref: expect.stringMatching(/^CatalogApiDeploymentStagev1/) as unknown }, '/*/*']],
    });
  });
});
