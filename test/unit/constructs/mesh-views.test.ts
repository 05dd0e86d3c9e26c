/** Template tests: the mesh's views and its federated DynamoDB source, as the example mesh declares them. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectorFunctionName, DYNAMODB_CONNECTOR_APPLICATION } from '../../../constructs/federated-source.js';
import type { Mesh } from '../../../lib/mesh/load.js';
import { decodePrestoView } from '../../../lib/views/athena-view.js';
import { exampleMeshStacks } from './helpers.js';

let mesh: Mesh;
let governance: Template;
let inventory: Template;
let orders: Template;

beforeAll(async () => {
  let stacks;
  ({ mesh, stacks } = await exampleMeshStacks());
  governance = Template.fromStack(stacks.governance);
  inventory = Template.fromStack(stacks.domains.get('inventory')!);
  orders = Template.fromStack(stacks.domains.get('orders')!);
});

const roleOf = (consumer: string): string => mesh.config.consumers.find((c) => c.name === consumer)!.role;

describe('mesh views', () => {
  it('live in one central database', () => {
    governance.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'ecommerce_views' }) });
  });

  it('are Athena views: VIRTUAL_VIEW tables with the Presto definition and typed columns', () => {
    const tables = governance.findResources('AWS::Glue::Table');
    expect(Object.keys(tables)).toHaveLength(mesh.views.length);
    for (const view of mesh.views) {
      const [table] = Object.values(governance.findResources('AWS::Glue::Table', { Properties: { TableInput: { Name: view.view.name } } }));
      const input = (table as { Properties: { TableInput: Record<string, unknown> & { StorageDescriptor: { Columns: { Name: string; Type: string }[] }; ViewOriginalText: string } } }).Properties.TableInput;
      expect(input.TableType).toBe('VIRTUAL_VIEW');
      expect(input.Parameters).toMatchObject({ presto_view: 'true' });
      expect(input.StorageDescriptor.Columns).toEqual(view.columns.map((c) => ({ Name: c.name, Type: c.hiveType })));
      const definition = decodePrestoView(input.ViewOriginalText);
      expect(definition.schema).toBe('ecommerce_views');
      expect(definition.columns).toEqual(view.columns.map((c) => ({ name: c.name, type: c.trinoType })));
      expect(definition.originalSql).toContain('FROM');
    }
  });

  it('grant SELECT on each view to its audience, and to nobody else', () => {
    const grants = Object.values(governance.findResources('AWS::LakeFormation::PrincipalPermissions', { Properties: { Resource: { Table: { DatabaseName: 'ecommerce_views' } } } })) as {
      Properties: { Principal: { DataLakePrincipalIdentifier: string }; Resource: { Table: { Name: string } }; Permissions: string[] };
    }[];
    const granted = grants.map((g) => `${g.Properties.Resource.Table.Name}:${g.Properties.Principal.DataLakePrincipalIdentifier}`).sort();
    const expected = mesh.views.flatMap((v) => v.view.audience.map((c) => `${v.view.name}:${roleOf(c)}`)).sort();
    expect(granted).toEqual(expected);
    for (const g of grants) expect(g.Properties.Permissions).toEqual(['SELECT', 'DESCRIBE']);
    // supply-chain reads stock_cover (unit cost); analysts do not.
    expect(granted).not.toContain(`stock_cover:${roleOf('analysts')}`);
  });

  it('let the audience see the views database', () => {
    for (const consumer of new Set(mesh.views.flatMap((v) => v.view.audience))) {
      governance.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
        Principal: { DataLakePrincipalIdentifier: roleOf(consumer) },
        Resource: { Database: { Name: 'ecommerce_views' } },
        Permissions: ['DESCRIBE'],
      });
    }
  });
});

describe('federated DynamoDB source', () => {
  const name = connectorFunctionName('ecommerce', 'live_stock');

  it('deploys Amazon’s connector from the Serverless Application Repository with Tessera’s role and spill bucket', () => {
    inventory.hasResourceProperties('AWS::Serverless::Application', {
      Location: { ApplicationId: DYNAMODB_CONNECTOR_APPLICATION, SemanticVersion: Match.stringLikeRegexp('^\\d+\\.\\d+\\.\\d+$') },
      Parameters: Match.objectLike({ AthenaCatalogName: name, SpillPrefix: 'athena-spill', LambdaRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('FederatedLiveStockRole'), 'Arn'] }, KMSKeyId: Match.anyValue(), DisableSpillEncryption: 'false' }),
    });
    expect(inventory.toJSON().Transform).toEqual('AWS::Serverless-2016-10-31');
    // Only the domain that declares it.
    expect(orders.findResources('AWS::Serverless::Application')).toEqual({});
  });

  it('reads only the listed DynamoDB tables', () => {
    const policies = Object.values(inventory.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('dynamodb:Scan'));
    expect(policies).toHaveLength(1);
    const statements = (policies[0] as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement;
    const read = statements.find((s) => [s.Action].flat().includes('dynamodb:Scan'))!;
    expect(JSON.stringify(read.Resource)).toContain(':table/wms-stock-positions');
    expect(JSON.stringify(read.Resource)).not.toMatch(/table\/\*/);
    const wide = statements.filter((s) => s.Resource === '*');
    // Actions without resource types: listing, the query check, and the spill nonce (GenerateRandom uses no key).
    expect(wide.flatMap((s) => [s.Action].flat()).sort()).toEqual(['athena:GetQueryExecution', 'dynamodb:ListTables', 'kms:GenerateRandom']);
  });

  it('has a spill bucket that forgets after a day, readable by the source\'s readers in the governance account under the spill prefix without the domain key', () => {
    // Pages are encrypted by the connector (DisableSpillEncryption false, KMSKeyId set); S3-managed
    // encryption underneath, so Athena in the governance account needs no grant on the domain key.
    inventory.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-spill', ExpirationInDays: 1 })]) },
    });
    inventory.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReadersReadSpill',
            Action: 's3:GetObject',
            Principal: { AWS: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':iam::111111111111:root'])]) }) },
            Condition: { ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/TesseraAnalyst', 'arn:aws:iam::111111111111:role/TesseraSupplyChain'] } },
          }),
        ]),
      },
    });
  });

  it('never lets the whole governance account invoke the connector (least-privilege.test.ts pins who may)', () => {
    const permissions = Object.values(inventory.findResources('AWS::Lambda::Permission')) as { Properties: { Principal: string; FunctionName: unknown } }[];
    expect(permissions.length).toBeGreaterThan(0);
    for (const p of permissions) {
      expect(p.Properties.Principal).toMatch(/^arn:aws:iam::111111111111:role\//);
      expect(JSON.stringify(p.Properties.FunctionName)).toContain(`:lambda:eu-west-1:444444444444:function:${name}`);
    }
  });

  it('is an Athena data catalog of type LAMBDA in the governance account', () => {
    governance.hasResourceProperties('AWS::Athena::DataCatalog', {
      Name: 'live_stock',
      Type: 'LAMBDA',
      Parameters: { function: { 'Fn::Join': ['', Match.arrayWith([`:lambda:eu-west-1:444444444444:function:${name}`])] } },
    });
  });

  it('refuses a connector name longer than Lambda allows', () => {
    expect(() => connectorFunctionName('a'.repeat(40), 'b'.repeat(30))).toThrow(/longer than Lambda's 64 characters/);
  });
});
