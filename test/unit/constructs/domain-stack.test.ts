import { App, CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMeshApp } from '../../../constructs/mesh-app.js';
import type { DomainStack } from '../../../constructs/domain-stack.js';
import { catalogReaderRoleName, publicationDetail } from '../../../lib/catalog/publication.js';
import { loadMeshFile, type Mesh } from '../../../lib/mesh/load.js';
import { cdkContext, root } from './helpers.js';
import { joined, joinedJson, resourcesOf } from './template-json.js';

let mesh: Mesh;
let stack: DomainStack;
let template: Template;

function synthOrders(m: Mesh): { stack: DomainStack; template: Template } {
  // Skip Lambda bundling here; the whole-mesh synth test bundles for real.
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
  const orders = buildMeshApp(app, m, { complianceChecks: false }).domains.get('orders')!;
  return { stack: orders, template: Template.fromStack(orders) };
}

beforeAll(async () => {
  mesh = (await loadMeshFile(`${root}/mesh/mesh.yaml`)).mesh!;
  ({ stack, template } = synthOrders(mesh));
});

interface SdkCall {
  service: string;
  action: string;
  parameters: { Entries: { EventBusName: string; Source: string; DetailType: string; Detail: string }[] };
  physicalResourceId: { responsePath?: string };
  outputPaths: string[];
}

function publications(t: Template): Map<string, { id: string; create: SdkCall; resource: { Properties: { Create: unknown; Update: unknown }; DependsOn: string[] } }> {
  const found = new Map<string, { id: string; create: SdkCall; resource: { Properties: { Create: unknown; Update: unknown }; DependsOn: string[] } }>();
  for (const [id, resource] of Object.entries(resourcesOf(t)).filter(([, r]) => r.Type === 'Custom::TesseraContractPublication')) {
    const create = joinedJson(resource.Properties.Create) as SdkCall;
    const detail = JSON.parse(create.parameters.Entries[0]!.Detail) as { product: string };
    found.set(detail.product, { id, create, resource: resource as never });
  }
  return found;
}

const governance = (): string => mesh.config.governance.account;
const readerArn = (): string => `arn:aws:iam::${governance()}:role/${catalogReaderRoleName(mesh.config.name)}`;
const busArn = (): string => `arn:\${AWS::Partition}:events:${mesh.config.region}:${governance()}:event-bus/tessera-${mesh.config.name}`;

// UUIDv5 of `publication/<mesh>/<product>@<version>#<sha256 of the contract file>` in Tessera's
// run-id namespace, computed with Python's uuid.uuid5 (lib/lineage/openlineage/naming.ts).
const CORRELATION_IDS: Record<string, string> = { orders: '4585dc7e-3bf8-5061-b830-c4dd98fce9b0', 'order-lines': 'd71e7c6f-ee59-5819-ac6a-d91b08610eb9' };

describe('contract publication', () => {
  it('puts one ContractPublished event per product on the central bus, with the publication detail', () => {
    const products = mesh.products.filter((p) => p.domain === 'orders');
    const found = publications(template);
    expect([...found.keys()].sort()).toEqual(products.map((p) => p.contract.id).sort());
    for (const { contract } of products) {
      const { create } = found.get(contract.id)!;
      expect(create).toMatchObject({ service: 'EventBridge', action: 'putEvents' });
      expect(create.parameters.Entries).toHaveLength(1);
      const entry = create.parameters.Entries[0]!;
      expect(entry).toMatchObject({ EventBusName: busArn(), Source: 'tessera.catalog', DetailType: 'ContractPublished' });
      const product = stack.products.get(contract.id)!;
      const bucketRef = `\${Ref:${stack.getLogicalId(product.bucket.node.defaultChild as never)}}`;
      const detail = publicationDetail.parse(JSON.parse(entry.Detail));
      expect(detail).toEqual({
        mesh: mesh.config.name,
        domain: 'orders',
        product: contract.id,
        version: contract.version,
        sha256: contract.source.sha256,
        location: { account: mesh.config.domains.find((d) => d.name === 'orders')!.account, region: mesh.config.region, bucket: bucketRef, key: product.contractObjectKey },
        correlationId: CORRELATION_IDS[contract.id],
      });
    }
  });

  it('publishes after the contract object, the Glue tables and the location registration are deployed', () => {
    for (const [productId, { resource }] of publications(template)) {
      const deployment = stack.products.get(productId)!.contractDeployment;
      const copies = deployment.node.findAll().filter((c): c is CfnResource => c instanceof CfnResource && c.cfnResourceType === 'Custom::CDKBucketDeployment');
      expect(copies, productId).toHaveLength(1);
      expect(resource.DependsOn).toContain(stack.getLogicalId(copies[0]!));
      // ... and after the product's Glue tables and its Lake Formation registration.
      const product = stack.products.get(productId)!;
      for (const table of product.tables.values()) expect(resource.DependsOn, productId).toContain(stack.getLogicalId(table));
    }
  });

  it('calls on create and on update only (same call), keyed to the event id so a failed entry fails the deployment', () => {
    for (const [productId, { create, resource, id }] of publications(template)) {
      expect(resource.Properties.Update, productId).toEqual(resource.Properties.Create);
      expect(create.physicalResourceId).toEqual({ responsePath: 'Entries.0.EventId' });
      expect(create.outputPaths).toEqual(['Entries.0.EventId']);
      expect(resource.Properties).not.toHaveProperty('Delete');
      // The output reads the event id: CloudFormation fails when the response lacks it.
      const outputs = Object.values(template.findOutputs('*')).filter((o) => JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [id, 'Entries.0.EventId'] }));
      expect(outputs, productId).toHaveLength(1);
    }
  });

  it('changes its properties only when the contract text (version or sha256) changes, so a re-deploy puts nothing', () => {
    const again = synthOrders(mesh).template;
    const first = template.findResources('Custom::TesseraContractPublication');
    expect(again.findResources('Custom::TesseraContractPublication')).toEqual(first);

    const orders = mesh.products.find((p) => p.contract.id === 'orders')!;
    const edited: Mesh = {
      ...mesh,
      products: mesh.products.map((p) =>
        p === orders ? { ...p, contract: { ...p.contract, source: { ...p.contract.source, sha256: 'f'.repeat(64), text: `${p.contract.source.text}\n# edited\n` } } } : p,
      ),
    };
    const changed = publications(synthOrders(edited).template);
    const before = publications(template);
    expect(changed.get('orders')!.resource.Properties.Create).not.toEqual(before.get('orders')!.resource.Properties.Create);
    expect(changed.get('order-lines')!.resource.Properties.Create).toEqual(before.get('order-lines')!.resource.Properties.Create);
  });

  it('may put events on the central bus only', () => {
    for (const [productId, { id }] of publications(template)) {
      const resources = resourcesOf(template);
      const policyId = Object.keys(template.findResources('AWS::IAM::Policy')).find((p) => resources[id]!.DependsOn!.includes(p))!;
      const policy = resources[policyId] as unknown as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown; Effect: string }[] } } };
      const statements = policy.Properties.PolicyDocument.Statement;
      expect(statements, productId).toHaveLength(1);
      expect(statements[0]!.Action).toBe('events:PutEvents');
      expect(statements[0]!.Effect).toBe('Allow');
      expect(joined(statements[0]!.Resource)).toBe(busArn());
    }
  });
});

describe("the catalog's cross-account read", () => {
  it('lets the catalog reader role of the governance account get stored contracts, and nothing else of the bucket', () => {
    for (const [productId, product] of stack.products) {
      const bucketId = stack.getLogicalId(product.bucket.node.defaultChild as never);
      const policy = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }))[0] as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } };
      const grants = policy.Properties.PolicyDocument.Statement.filter((s) => JSON.stringify(s.Principal).includes(`:iam::${governance()}:root`));
      expect(grants, productId).toHaveLength(1);
      expect(grants[0]).toEqual({
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${governance()}:root`]] } },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${product.prefix}_tessera/contract/*`]] },
        Condition: { StringEquals: { 'aws:PrincipalArn': readerArn() } },
      });
    }
  });

  it('lets the same role decrypt with the domain key, through S3 only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${governance()}:root`]] } },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalArn': readerArn(), 'kms:ViaService': `s3.${mesh.config.region}.amazonaws.com` } },
          },
        ]),
      },
    });
  });
});

describe('the domain key', () => {
  it('lets CloudWatch Logs encrypt the quality log groups and CloudWatch alarms notify the encrypted topic', () => {
    const sids = (Object.values(template.findResources('AWS::KMS::Key'))[0] as { Properties: { KeyPolicy: { Statement: { Sid?: string; Principal: unknown }[] } } }).Properties.KeyPolicy.Statement;
    expect(sids.find((s) => s.Sid === 'CloudWatchLogsEncryptLogGroups')?.Principal).toEqual({ Service: `logs.${mesh.config.region}.amazonaws.com` });
    expect(sids.find((s) => s.Sid === 'CloudWatchAlarmsPublishToEncryptedTopics')?.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
  });
});
