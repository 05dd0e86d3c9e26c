import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { GovernanceStack } from '../../../constructs/governance-stack.js';
import type { Mesh } from '../../../lib/mesh/load.js';
import { cdkContext, exampleMeshStacks } from './helpers.js';

let mesh: Mesh;
let governance: Template;
let foundation: Template;
let orders: Template;

beforeAll(async () => {
  let stacks;
  ({ mesh, stacks } = await exampleMeshStacks());
  governance = Template.fromStack(stacks.governance);
  foundation = Template.fromStack(stacks.foundation);
  orders = Template.fromStack(stacks.domains.get('orders')!);
});

describe('GovernanceStack', () => {
  // The governance account's Lake Formation settings, LF-tags and the central bus are the foundation
  // stack's now: deploy-order.test.ts and lake-formation.test.ts pin them.

  it('links every domain database under the same name', () => {
    for (const domain of mesh.config.domains) {
      governance.hasResourceProperties('AWS::Glue::Database', {
        DatabaseInput: { Name: domain.name, TargetDatabase: { CatalogId: domain.account, DatabaseName: domain.name } },
      });
    }
  });

  it('creates the three consumer roles the example marks createRole in the foundation stack, trusted by the governance account', () => {
    // The foundation stack deploys first: the domain stacks name these roles while they deploy.
    for (const name of ['TesseraAnalyst', 'TesseraCustomerService', 'TesseraSupplyChain']) {
      foundation.hasResourceProperties('AWS::IAM::Role', {
        RoleName: name,
        Path: '/',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } } }],
        },
      });
    }
    const names = (t: Template) => Object.values(t.findResources('AWS::IAM::Role')).map((r) => (r.Properties as { RoleName?: string }).RoleName);
    expect(names(governance)).not.toContain('TesseraAnalyst');
    // The admin is a prerequisite, never created.
    expect([...names(foundation), ...names(governance)]).not.toContain('TesseraDataLakeAdmin');
  });

  it('lets each created consumer role query in the analysts workgroup, by a policy attached to the role by name', () => {
    for (const name of ['TesseraAnalyst', 'TesseraCustomerService', 'TesseraSupplyChain']) {
      governance.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [name],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Sid: 'AnalystWorkGroup', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:eu-west-1:111111111111:workgroup/tessera-ecommerce-analysts']] } }),
            Match.objectLike({ Sid: 'Results', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'] }),
          ]),
        },
      });
    }
  });

  it('gives analysts an enforced, KMS-encrypted workgroup with a scan cutoff', () => {
    governance.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }) }),
      }),
    });
  });

  it('exports the catalog API URL and table name', () => {
    const apiId = Object.keys(governance.findResources('AWS::ApiGateway::RestApi'))[0]!;
    const tableId = Object.keys(governance.findResources('AWS::DynamoDB::Table'))[0]!;
    governance.hasOutput('CatalogApiUrl', { Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^https://$'), { Ref: apiId }, Match.stringLikeRegexp('execute-api')])] } });
    governance.hasOutput('CatalogTableName', { Value: { Ref: tableId } });
  });

  it("refuses a cutoff below Athena's 10 MB minimum", () => {
    const app = new App({ context: cdkContext() });
    expect(() => new GovernanceStack(app, 'G', { config: mesh.config, products: mesh.products, analystBytesScannedCutoffPerQuery: 1024 })).toThrow(/at least 10485760 bytes/);
  });
});

describe('domain shares to the governance account', () => {
  it('grants the governance account its tables by LF-tag, with the grant option', () => {
    orders.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: mesh.config.governance.account },
      Resource: { LFTagPolicy: { CatalogId: Match.anyValue(), ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['orders'] }] } },
      Permissions: ['SELECT', 'DESCRIBE'],
      PermissionsWithGrantOption: ['SELECT', 'DESCRIBE'],
    });
    orders.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: mesh.config.governance.account },
      Resource: { LFTag: Match.objectLike({ TagKey: 'classification', TagValues: mesh.config.classifications }) },
      Permissions: ['DESCRIBE'],
    });
  });
});

// The consumer grants and the domain shares are pinned as literal CloudFormation in grants-literal.test.ts.
describe('consumer grants', () => {
  it('never grants the most sensitive class through a wildcard domain', () => {
    const grants = JSON.stringify(governance.findResources('AWS::LakeFormation::PrincipalPermissions'));
    const analystGrants = Object.values(governance.findResources('AWS::LakeFormation::PrincipalPermissions')).filter((g) => JSON.stringify(g).includes('role/TesseraAnalyst'));
    expect(analystGrants.length).toBeGreaterThan(0);
    expect(JSON.stringify(analystGrants)).not.toContain('restricted');
    expect(grants).toContain('restricted'); // customer-service names the customer domain explicitly
  });
});

describe('synth-time validation of the grant graph', () => {
  it('fails synthesis when a wildcard grant would expose the most sensitive class', () => {
    const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const config = {
      ...mesh.config,
      consumers: [{ name: 'everyone', role: 'arn:aws:iam::111111111111:role/Everyone', createRole: false, grants: [{ domains: ['*'], classifications: ['public', 'restricted'] }] }],
    };
    new GovernanceStack(app, 'G', { config, products: mesh.products, env: { account: config.governance.account, region: config.region } });
    expect(() => app.synth()).toThrow(/grant graph: .*restricted/);
  });
});
