/**
 * DataProduct as a construct library a domain team uses on its own: loading that either returns a
 * product or throws every finding, aws-cdk-lib style references and grants, metrics, and Lake
 * Formation tags without a DomainStack. Expected CloudFormation is written out by hand.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnResource } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { DataProduct } from '../../../constructs/data-product.js';
import { ContractError } from '../../../lib/contract/contract-file.js';
import { contractFrom, readRepoFile, root, testStack } from './helpers.js';

const orderLinesText = readRepoFile('mesh/orders/order-lines.odcs.yaml');
const orderLines = contractFrom(orderLinesText, 'order-lines.odcs.yaml');
const stockLevels = contractFrom(readRepoFile('mesh/inventory/stock-levels.odcs.yaml'), 'stock-levels.odcs.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-library-'));

describe('DataProduct.fromContractFile', () => {
  it('returns the product of a valid contract', () => {
    const stack = testStack();
    const product = DataProduct.fromContractFile(stack, 'P', join(root, 'mesh/orders/order-lines.odcs.yaml'));
    expect(product.productId).toBe('order-lines');
    expect(product.domain).toBe('orders');
  });

  it('throws one ContractError naming every finding at its file:line:column', () => {
    const file = join(scratch, 'broken.odcs.yaml');
    // Line 7 is `domain: orders`; the first column's classification is on line 49.
    const lines = orderLinesText.split('\n');
    expect(lines[6]).toBe('domain: orders');
    expect(lines[48]).toBe('        classification: internal');
    lines[48] = '        classification: secret';
    writeFileSync(file, lines.filter((_, i) => i !== 6).join('\n'));
    let error: unknown;
    try {
      DataProduct.fromContractFile(testStack(), 'P', file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContractError);
    const message = (error as Error).message;
    expect(message).toContain(`${file} is not a valid contract (2 errors)`);
    expect(message).toContain(`${file}:1:1 error [missing-domain]`);
    expect(message).toMatch(new RegExp(`${file}:48:25 error \\[unknown-classification\\]`));
  });

  it('says a missing file cannot be read', () => {
    expect(() => DataProduct.fromContractFile(testStack(), 'P', join(scratch, 'nowhere.odcs.yaml'))).toThrow(/nowhere\.odcs\.yaml cannot be read .*file not found/s);
  });

  it('refuses a valid ODCS contract that is not deployable yet, however it was loaded', () => {
    const plain = contractFrom(orderLinesText.replace('domain: orders\n', ''), 'plain.odcs.yaml', { profile: 'odcs' });
    expect(() => new DataProduct(testStack(), 'P', { contract: plain })).toThrow(/plain\.odcs\.yaml cannot be deployed as data product P \(1 error\):\n {2}plain\.odcs\.yaml:1:1 error \[missing-domain\]/);
  });
});

describe('DataProduct Lake Formation tags used alone', () => {
  it('creates one setup per stack, with the domain of every product, and tags tables, columns and databases', () => {
    const stack = testStack();
    new DataProduct(stack, 'OrderLines', { contract: orderLines });
    new DataProduct(stack, 'StockLevels', { contract: stockLevels });
    const template = Template.fromStack(stack);
    // The account's settings go through Tessera's read-merge-write custom resource (CloudFormation's
    // DataLakeSettings cannot remove the IAM-only defaults).
    template.resourceCountIs('Custom::TesseraDataLakeSettings', 1);
    template.resourceCountIs('AWS::LakeFormation::DataLakeSettings', 0);
    template.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'domain', TagValues: ['orders', 'inventory'] });
    template.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'classification', TagValues: ['public', 'internal', 'confidential', 'restricted'] });
    template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Database: { CatalogId: { Ref: 'AWS::AccountId' }, Name: { Ref: Match.stringLikeRegexp('^OrderLinesDatabase') } } },
      LFTags: [{ CatalogId: { Ref: 'AWS::AccountId' }, TagKey: 'domain', TagValues: ['orders'] }],
    });
    template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Table: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseName: { Ref: Match.stringLikeRegexp('^StockLevelsDatabase') }, Name: { Ref: Match.stringLikeRegexp('^StockLevelsTable') } } },
      LFTags: [{ CatalogId: { Ref: 'AWS::AccountId' }, TagKey: 'classification', TagValues: Match.anyValue() }],
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('LF-tags'));
  });

  it('refuses two ontologies in one stack', () => {
    const stack = testStack();
    new DataProduct(stack, 'OrderLines', { contract: orderLines });
    expect(() => new DataProduct(stack, 'StockLevels', { contract: stockLevels, classifications: ['public', 'internal', 'confidential', 'restricted', 'secret'] })).toThrow(/one ontology per account/);
  });

  it('tags nothing, and says so, with lakeFormationTags: false', () => {
    const stack = testStack();
    new DataProduct(stack, 'P', { contract: orderLines, lakeFormationTags: false });
    Annotations.fromStack(stack).hasWarning('/Test/P', Match.stringLikeRegexp('carry no LF-tags'));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::LakeFormation::TagAssociation', 0);
    template.resourceCountIs('AWS::LakeFormation::Tag', 0);
  });
});

describe('DataProduct grants', () => {
  it('returns one grant for S3, KMS and Glue whose dependents also wait for the Lake Formation permissions', () => {
    const stack = testStack();
    const product = new DataProduct(stack, 'P', { contract: orderLines });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = product.grantRead(reader);
    const actions = grant.principalStatements.flatMap((s) => s.actions);
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:List*', 'kms:Decrypt', 'glue:GetTable', 'glue:GetPartitions', 'lakeformation:GetDataAccess']));
    const consumer = new CfnResource(stack, 'Consumer', { type: 'Custom::Consumer' });
    grant.applyBefore(consumer);
    const template = Template.fromStack(stack);
    const permissionIds = Object.keys(template.findResources('AWS::LakeFormation::PrincipalPermissions'));
    expect(permissionIds).toHaveLength(1);
    const dependsOn = template.findResources('Custom::Consumer').Consumer!.DependsOn as string[];
    expect(dependsOn).toEqual(expect.arrayContaining([permissionIds[0], expect.stringMatching(/^ReaderDefaultPolicy/)]));
  });

  it('grants access to a product deployed by another app, from its attributes', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Bucket', { bucketName: 'orders-products', encryptionKey: key });
    const product = DataProduct.fromProductAttributes(stack, 'OrderLines', {
      productId: 'order-lines',
      domain: 'orders',
      bucket,
      prefix: 'order-lines',
      databaseName: 'orders',
      tableNames: ['order_lines'],
      catalogId: '444455556666',
    });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    product.grantRead(reader);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetBucket*', 's3:GetObject*', 's3:List*'],
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::orders-products']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::orders-products/order-lines/*']] },
            ],
          }),
          Match.objectLike({ Action: Match.arrayWith(['kms:Decrypt']), Resource: 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' }),
          Match.objectLike({
            Action: ['glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable', 'glue:GetTables'],
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:444455556666:catalog']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:444455556666:database/orders']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:444455556666:table/orders/order_lines']] },
            ],
          }),
          // Lake Formation's actions have no resource types: a statement naming Glue ARNs never matches them.
          Match.objectLike({ Action: 'lakeformation:GetDataAccess', Resource: '*' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Reader'), 'Arn'] } },
      Resource: { Table: { CatalogId: '444455556666', DatabaseName: 'orders', Name: 'order_lines' } },
      Permissions: ['SELECT', 'DESCRIBE'],
    });
  });
});

describe('DataProduct metrics', () => {
  const stack = testStack();
  const product = new DataProduct(stack, 'P', { contract: orderLines });

  it('names the failed error-severity checks of the product as the evaluate handler publishes them', () => {
    const metric = product.metricFailedChecks();
    expect({ namespace: metric.namespace, name: metric.metricName, dimensions: metric.dimensions, statistic: metric.statistic, period: metric.period.toSeconds() }).toEqual({
      namespace: 'Tessera/Quality',
      name: 'FailedErrorChecks',
      dimensions: { Product: 'order-lines' },
      statistic: 'Maximum',
      period: 21_600,
    });
  });

  it("names the freshness check of the contract's latency SLA", () => {
    // order-lines: latency 2 d on order_lines.order_date.
    const metric = product.metricFreshness();
    expect(metric.metricName).toBe('CheckFailed');
    expect(metric.dimensions).toEqual({ Product: 'order-lines', Check: 'order_lines.order_date.latency' });
  });

  it('refuses a freshness metric without a latency SLA', () => {
    expect(() => product.metricFreshness({ table: 'nothing' })).toThrow(/has no latency SLA on table 'nothing'/);
  });
});
