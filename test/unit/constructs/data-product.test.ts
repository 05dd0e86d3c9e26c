import { RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { DataProduct } from '../../../constructs/data-product.js';
import { LakeFormationSetup } from '../../../constructs/lake-formation.js';
import { REMOVE_DATA_ON_DESTROY } from '../../../constructs/core/removal.js';
import { contractFrom, readRepoFile, testStack } from './helpers.js';

const ordersText = readRepoFile('mesh/orders/order-lines.odcs.yaml');
const orderLines = contractFrom(ordersText, 'order-lines.odcs.yaml');

function productStack(props: Partial<ConstructorParameters<typeof DataProduct>[2]> = {}, context: Record<string, unknown> = {}) {
  const stack = testStack(context);
  const lakeFormation = new LakeFormationSetup(stack, 'LF', { mesh: 'test', key: new kms.Key(stack, 'LFKey'), domains: ['orders'], classifications: ['public', 'internal', 'confidential', 'restricted'] });
  const product = new DataProduct(stack, 'OrderLines', { contract: orderLines, lakeFormation, ...props });
  return { stack, product, template: Template.fromStack(stack) };
}

describe('DataProduct storage', () => {
  const { template } = productStack();

  it('encrypts the bucket with a rotating customer-managed key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true },
        ],
      },
    });
  });

  it('versions the bucket, blocks public access and logs access to a log bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'order-lines/' },
    });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: { AWS: '*' } }),
        ]),
      },
    });
  });

  it('expires table data after the retention SLA, and never the stored contract', () => {
    // order-lines: retention 7 y on order_lines.order_date.
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'housekeeping', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
          Match.objectLike({ Id: 'retention-order_lines', Prefix: 'order_lines/', ExpirationInDays: 7 * 365, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('retains the bucket and the key by default', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: Match.objectLike({ VersioningConfiguration: Match.anyValue() }) });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  it('reverts DESTROY to RETAIN, with a warning, unless the context flag allows deleting data', () => {
    const reverted = productStack({ removalPolicy: RemovalPolicy.DESTROY });
    reverted.template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ VersioningConfiguration: Match.anyValue() }) });
    Annotations.fromStack(reverted.stack).hasWarning('/Test/OrderLines', Match.stringLikeRegexp('removalPolicy DESTROY was reverted to RETAIN'));

    const allowed = productStack({ removalPolicy: RemovalPolicy.DESTROY }, { [REMOVE_DATA_ON_DESTROY]: true });
    allowed.template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ VersioningConfiguration: Match.anyValue() }) });
  });

  it('stores the exact contract text beside the data, keeping older versions', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', { Prune: false, RetainOnDelete: true });
  });

  it('can live under a prefix of a bucket the domain owns', () => {
    const stack = testStack();
    const shared = s3.Bucket.fromBucketName(stack, 'Shared', 'domain-data');
    const product = new DataProduct(stack, 'OrderLines', { contract: orderLines, bucket: shared });
    expect(product.prefix).toBe('order-lines/');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({ StorageDescriptor: Match.objectLike({ Location: 's3://domain-data/order-lines/order_lines/' }) }),
    });
    const registration = Object.values(template.findResources('AWS::LakeFormation::Resource'))[0] as { Properties: { ResourceArn: unknown } };
    expect(JSON.stringify(registration.Properties.ResourceArn)).toMatch(/:s3:::domain-data\/order-lines"/);
  });

  it('refuses a key or log bucket together with a shared bucket', () => {
    const stack = testStack();
    const shared = s3.Bucket.fromBucketName(stack, 'Shared', 'domain-data');
    expect(() => new DataProduct(stack, 'P', { contract: orderLines, bucket: shared, accessLogsBucket: shared })).toThrow(/encryptionKey and accessLogsBucket configure a dedicated bucket/);
  });
});

describe('DataProduct Glue tables', () => {
  const { template } = productStack();
  const tables = template.findResources('AWS::Glue::Table');
  const input = (Object.values(tables)[0] as { Properties: { TableInput: unknown } }).Properties.TableInput as {
    Name: string;
    Parameters: Record<string, unknown>;
    PartitionKeys: { Name: string; Type: string }[];
    StorageDescriptor: { Columns: { Name: string; Type: string; Comment?: string }[]; InputFormat: string; SerdeInfo: { SerializationLibrary: string } };
  };

  it('creates one table per contract table, with every column and its Glue type', () => {
    expect(Object.keys(tables)).toHaveLength(orderLines.tables.length);
    expect(input.Name).toBe('order_lines');
    const expected = orderLines.tables[0]!.columns.filter((c) => c.partitionKeyPosition === undefined).map((c) => c.physicalName);
    expect(input.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(expected);
    expect(input.StorageDescriptor.Columns.find((c) => c.Name === 'unit_price')?.Type).toBe('decimal(10,2)');
    expect(input.StorageDescriptor.Columns.every((c) => (c.Comment ?? '').length <= 255)).toBe(true);
  });

  it('declares the partition keys and a Parquet storage descriptor', () => {
    expect(input.PartitionKeys).toEqual([expect.objectContaining({ Name: 'order_date', Type: 'date' })]);
    expect(input.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
  });

  it('carries the contract id, version, hash and most sensitive classification', () => {
    expect(input.Parameters).toMatchObject({
      'tessera.product': 'order-lines',
      'tessera.contract.version': orderLines.version,
      'tessera.contract.sha256': orderLines.source.sha256,
      'tessera.domain': 'orders',
      'tessera.primary_key': 'order_id,line_number',
    });
  });

  it('projects date partitions back twice as far as the 7-year retention SLA, so no crawler or MSCK REPAIR is needed and old data stays visible to the retention check', () => {
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.order_date.type': 'date',
      'projection.order_date.format': 'yyyy-MM-dd',
      'projection.order_date.range': `NOW-${2 * 7 * 365}DAYS,NOW`,
      'projection.order_date.interval': '1',
      'projection.order_date.interval.unit': 'DAYS',
    });
    expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain('/order_lines/order_date=${order_date}/');
  });

  it('turns projection off, with a warning, when a partition column cannot be enumerated', () => {
    const text = ordersText.replace(/name: order_date\n(\s+)logicalType: date\n(\s+)physicalType: date/, 'name: order_date\n$1logicalType: integer\n$2physicalType: int');
    const contract = contractFrom(text.replaceAll('element: order_lines.order_date', 'element: order_lines.order_id'));
    const stack = testStack();
    new DataProduct(stack, 'P', { contract });
    const table = Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table'))[0] as { Properties: { TableInput: { Parameters: Record<string, string> } } };
    const params = table.Properties.TableInput.Parameters;
    expect(params['projection.enabled']).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Test/P', Match.stringLikeRegexp('cannot use partition projection .*needs logicalTypeOptions minimum and maximum'));
  });
});

describe('DataProduct and Lake Formation', () => {
  const { template } = productStack();

  it('registers the location with a data-access role, not the service-linked role', () => {
    template.hasResourceProperties('AWS::LakeFormation::Resource', {
      UseServiceLinkedRole: false,
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataAccessRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lakeformation.amazonaws.com' } })] },
    });
  });

  it('tags each column with its classification, one association per value, and the table with the most sensitive', () => {
    const table = orderLines.tables[0]!;
    const byValue = new Map<string, string[]>();
    for (const c of table.columns) byValue.set(c.classification!, [...(byValue.get(c.classification!) ?? []), c.physicalName]);
    for (const [value, columns] of byValue) {
      template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
        Resource: { TableWithColumns: Match.objectLike({ ColumnNames: columns }) },
        LFTags: [Match.objectLike({ TagKey: 'classification', TagValues: [value] })],
      });
    }
    const order = ['public', 'internal', 'confidential', 'restricted'];
    const most = [...byValue.keys()].sort((a, b) => order.indexOf(b) - order.indexOf(a))[0];
    template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Table: Match.objectLike({ Name: Match.anyValue() }) },
      LFTags: [Match.objectLike({ TagKey: 'classification', TagValues: [most] })],
    });
  });

  it('creates tag associations only after the tag exists', () => {
    const associations = template.findResources('AWS::LakeFormation::TagAssociation');
    const tagId = Object.keys(template.findResources('AWS::LakeFormation::Tag', { Properties: { TagKey: 'classification' } }))[0];
    for (const resource of Object.values(associations)) expect(resource.DependsOn).toContain(tagId);
  });

  it('grants read and write to the domain pipelines through S3, KMS, Glue and Lake Formation', () => {
    const stack = testStack();
    const product = new DataProduct(stack, 'P', { contract: orderLines });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    product.grantRead(reader);
    product.grantWrite(writer);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Reader') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']) }),
          Match.objectLike({ Action: Match.arrayWith(['kms:Decrypt']) }),
          Match.objectLike({ Action: Match.arrayWith(['glue:GetTable']) }),
          // Lake Formation's actions have no resource types: only a statement on '*' matches them.
          { Action: 'lakeformation:GetDataAccess', Effect: 'Allow', Resource: '*' },
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Writer') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:PutObject']) })]) },
    });
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('Reader'), 'Arn'] } },
      Permissions: ['SELECT', 'DESCRIBE'],
    });
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('Writer'), 'Arn'] } },
      Permissions: ['INSERT', 'DELETE', 'DESCRIBE'],
    });
  });

  it('warns when LF-tags are turned off', () => {
    const stack = testStack();
    new DataProduct(stack, 'P', { contract: orderLines, lakeFormationTags: false });
    Annotations.fromStack(stack).hasWarning('/Test/P', Match.stringLikeRegexp('carry no LF-tags'));
    Template.fromStack(stack).resourceCountIs('AWS::LakeFormation::TagAssociation', 0);
  });
});

describe('DataProduct catalog publication and contract reads', () => {
  const readerArn = 'arn:aws:iam::111111111111:role/tessera-mesh-catalog-ingest';

  it('grants a dedicated bucket and key to the reader by account and aws:PrincipalArn, on the contract folder only', () => {
    const stack = testStack();
    const product = new DataProduct(stack, 'P', { contract: orderLines });
    product.grantContractRead(iam.Role.fromRoleArn(stack, 'Reader', readerArn, { mutable: false }));
    const template = Template.fromStack(stack);
    const principal = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: principal,
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^PBucket'), 'Arn'] }, '/_tessera/contract/*']] },
            Condition: { StringEquals: { 'aws:PrincipalArn': readerArn } },
          },
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: principal,
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalArn': readerArn, 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
          },
        ]),
      },
    });
  });

  it('warns when the bucket is not its own and cannot take the statement', () => {
    const stack = testStack();
    const product = new DataProduct(stack, 'P', { contract: orderLines, bucket: s3.Bucket.fromBucketName(stack, 'Shared', 'domain-data') });
    product.grantContractRead(iam.Role.fromRoleArn(stack, 'Reader', readerArn, { mutable: false }));
    Annotations.fromStack(stack).hasWarning('/Test/P', Match.stringLikeRegexp("allow s3:GetObject on 'order-lines/_tessera/contract/\\*'"));
  });

  it('refuses to publish an event the catalog would reject', async () => {
    const events = await import('aws-cdk-lib/aws-events');
    const stack = testStack();
    const product = new DataProduct(stack, 'P', { contract: orderLines });
    const bus = events.EventBus.fromEventBusArn(stack, 'Bus', 'arn:aws:events:eu-west-1:111111111111:event-bus/tessera-mesh');
    expect(() => product.publishContract({ mesh: '', bus })).toThrow(/publication of 'order-lines' would be rejected by the catalog: mesh /);
  });
});

describe('stable logical ids', () => {
  function logicalIds(text: string): Map<string, string> {
    const stack = testStack();
    const lakeFormation = new LakeFormationSetup(stack, 'LF', { mesh: 'test', key: new kms.Key(stack, 'LFKey'), domains: ['orders'], classifications: ['public', 'internal', 'confidential', 'restricted'] });
    new DataProduct(stack, 'OrderLines', { contract: contractFrom(text), lakeFormation });
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
    const keep = ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Glue::Table', 'AWS::LakeFormation::Resource', 'AWS::Glue::Database'];
    return new Map(Object.entries(resources).filter(([, r]) => keep.includes(r.Type)).map(([id, r]) => [id, r.Type]));
  }

  it('do not move for data-holding resources when columns, rules or their order change', () => {
    const before = logicalIds(ordersText);
    expect(before.size).toBeGreaterThanOrEqual(4);
    const lines = ordersText.split('\n');
    // 1. a new optional column, 2. every quality rule removed, 3. the column order reversed.
    const withColumn = ordersText.replace(
      '\n    properties:\n',
      '\n    properties:\n      - name: gift_wrap\n        logicalType: boolean\n        physicalType: boolean\n        description: Gift-wrapped line.\n        classification: public\n',
    );
    const withoutRules = ordersText.replace(/\n(\s+)quality:\n(?:\1 .*\n|\1- .*\n)+/g, '\n');
    const reordered = reorderColumns(lines).join('\n');
    for (const variant of [withColumn, withoutRules, reordered]) {
      expect(variant).not.toBe(ordersText);
      expect(logicalIds(variant)).toEqual(before);
    }
  });
});

/** Reverses the order of the first table's properties (each a `      - name:` block). */
function reorderColumns(lines: string[]): string[] {
  const start = lines.findIndex((l) => l === '    properties:') + 1;
  let end = start;
  const indent = ' '.repeat(6);
  while (end < lines.length && (lines[end]!.startsWith(indent) || lines[end] === '')) end++;
  const blocks: string[][] = [];
  for (const line of lines.slice(start, end)) {
    if (line.startsWith('      - ')) blocks.push([line]);
    else blocks[blocks.length - 1]!.push(line);
  }
  return [...lines.slice(0, start), ...blocks.reverse().flat(), ...lines.slice(end)];
}
