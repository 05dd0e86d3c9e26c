import { gunzipSync } from 'node:zlib';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { CatalogInbox } from '../../../constructs/catalog-inbox.js';
import { CatalogService } from '../../../constructs/catalog-service.js';
import { addComplianceChecks } from '../../../constructs/core/compliance.js';
import { AccessLogsBucket } from '../../../constructs/data-product.js';
import { meshConfigSchema } from '../../../lib/mesh/config.js';
import { catalogReaderRoleName } from '../../../lib/catalog/publication.js';
import { loadMeshFile, type Mesh } from '../../../lib/mesh/load.js';
import { handWrittenEvent } from '../../support/lineage.js';
import { cdkContext, root } from './helpers.js';
import { joinedJson, resourcesOf } from './template-json.js';

let mesh: Mesh;
let template: Template;
let stack: Stack;
let catalog: CatalogService;

beforeAll(async () => {
  mesh = (await loadMeshFile(`${root}/mesh/mesh.yaml`)).mesh!;
  // Skip Lambda bundling here; the whole-mesh synth test bundles for real.
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
  stack = new Stack(app, 'Governance', { env: { account: mesh.config.governance.account, region: mesh.config.region } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: `tessera-${mesh.config.name}`, kmsKey: key });
  const logs = new s3.Bucket(stack, 'Logs');
  // The inbox is the foundation stack's in the mesh; here it shares the stack, as CatalogService allows.
  const inbox = new CatalogInbox(stack, 'Inbox', { mesh: mesh.config.name, bus, key });
  catalog = new CatalogService(stack, 'Catalog', { config: mesh.config, inbox: { queue: inbox.queue, deadLetterQueue: inbox.deadLetterQueue, key }, key, accessLogsBucket: logs });
  template = Template.fromStack(stack);
});

const logicalId = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as never);

describe('CatalogService table', () => {
  it('keys on pk/sk with the byChange index, on demand, encrypted with the key, recoverable and retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'changeKey', AttributeType: 'S' },
          { AttributeName: 'changedAt', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byChange',
            KeySchema: [
              { AttributeName: 'changeKey', KeyType: 'HASH' },
              { AttributeName: 'changedAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
      }),
    });
  });

  it('writes the parsed mesh config, packed, as the MESH/CONFIG item on create and on update, with PutItem on the table only', () => {
    const writers = template.findResources('Custom::TesseraMeshConfig');
    expect(Object.keys(writers)).toHaveLength(1);
    const [writer] = Object.values(writers) as { Properties: { Create: unknown; Update: unknown } }[];
    const create = joinedJson(writer!.Properties.Create) as { service: string; action: string; parameters: { TableName: string; Item: Record<string, { S: string }> } };
    expect(create).toMatchObject({ service: 'DynamoDB', action: 'putItem' });
    expect(create.parameters.Item.pk).toEqual({ S: 'MESH' });
    expect(create.parameters.Item.sk).toEqual({ S: 'CONFIG' });
    // Packed (lib/catalog/mesh-config-item.ts): gzipped JSON in base64, unpacked here with node:zlib directly.
    expect(create.parameters.Item.config).toBeUndefined();
    const stored = meshConfigSchema.parse(JSON.parse(gunzipSync(Buffer.from(create.parameters.Item.packedConfig!.S, 'base64')).toString('utf8')));
    expect(stored).toEqual(mesh.config);
    expect(JSON.stringify(writer!.Properties.Create)).toContain(logicalId(catalog.table));
    expect(writer!.Properties.Update).toEqual(writer!.Properties.Create);

    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{ Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(catalog.table), 'Arn'] } }]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^AWS679f53fac002430cb0da5b7982bd2287') }],
    });
  });
});

describe('CatalogService event routing', () => {
  it('queues events in a KMS-encrypted, TLS-only queue that dead-letters after five receives', () => {
    const dlq = logicalId(catalog.deadLetterQueue);
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue(), MessageRetentionPeriod: 14 * 24 * 3600 });
    for (const queue of [catalog.queue, catalog.deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(queue) }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  it('routes publications and quality results from the central bus, with retries and the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      EventPattern: Match.exact({
        $or: [{ source: ['tessera.catalog'], 'detail-type': ['ContractPublished'] }, { source: ['tessera.quality'] }],
      }),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(catalog.queue), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(catalog.deadLetterQueue), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
        }),
      ],
    });
  });

  it('lets EventBridge send to the queue from this account only', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(catalog.queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': mesh.config.governance.account } } }),
        ]),
      },
    });
  });
});

describe('CatalogService ingest', () => {
  it('runs as the fixed catalog reader role the domains trust', () => {
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: catalogReaderRoleName(mesh.config.name) });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalId(catalog.ingestRole), 'Arn'] },
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ CATALOG_TABLE: { Ref: logicalId(catalog.table) }, MESH_NAME: mesh.config.name }) },
    });
  });

  it('consumes the queue in batches of 10 with partial batch responses and bounded concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(catalog.queue), 'Arn'] },
      FunctionName: { Ref: logicalId(catalog.ingestFunction) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('reads only stored contracts, only in the domain accounts, and decrypts only through S3 there', () => {
    const accounts = mesh.config.domains.map((d) => d.account);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(catalog.ingestRole) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadPublishedContracts',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*/*_tessera/contract/*']] },
            Condition: { StringEquals: { 's3:ResourceAccount': accounts } },
          },
          {
            Sid: 'DecryptPublishedContracts',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            // One key pattern, held to the domain accounts by aws:ResourceAccount: the same size for any number of domains.
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:*:key/*']] },
            Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'aws:ResourceAccount': ['222222222222', '333333333333', '444444444444', '555555555555'] } },
          },
        ]),
      },
    });
  });

  it('gives the API function read-only access to the table', () => {
    const apiPolicies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes(logicalId(catalog.apiFunction.role as never)));
    expect(apiPolicies).toHaveLength(1);
    const actions = JSON.stringify(apiPolicies[0]);
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions).toContain('dynamodb:Query');
    expect(actions).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
  });
});

describe('CatalogService API', () => {
  it('requires IAM authorization on every method, root and {proxy+}, all GET', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as { Properties: Record<string, unknown> }[];
    expect(methods).toHaveLength(2);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({ AuthorizationType: 'AWS_IAM', HttpMethod: 'GET', Integration: { Type: 'AWS_PROXY' } });
      expect(JSON.stringify(method.Properties.RequestValidatorId)).toMatch(/^\{"Ref":"CatalogApiValidator/);
    }
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  it('logs access as JSON to a KMS-encrypted log group, traces and throttles the stage', () => {
    const stages = Object.values(template.findResources('AWS::ApiGateway::Stage')) as { Properties: { AccessLogSetting: { DestinationArn: unknown; Format: string } } }[];
    expect(stages).toHaveLength(1);
    const { DestinationArn, Format } = stages[0]!.Properties.AccessLogSetting;
    expect(() => JSON.parse(Format) as unknown).not.toThrow();
    // Without the :* of the Arn attribute (cdk.json's logGroupDestinationArnWithoutWildcard; api-access-log-arn.test.ts).
    const logGroupId = logicalId(catalog.node.findChild('ApiAccessLogs'));
    expect(DestinationArn).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:${mesh.config.region}:${mesh.config.governance.account}:log-group:`, { Ref: logGroupId }]] });
    const logGroup = resourcesOf(template)[logGroupId];
    expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup?.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stack.node.findChild('Key') as never), 'Arn'] });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR' })]),
    });
  });

  it('accepts calls from the mesh accounts only, for reading: one statement, the accounts in an aws:PrincipalAccount condition', () => {
    const api = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0] as { Properties: { Policy: unknown } };
    expect(api.Properties.Policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*/GET/*',
          Condition: { StringEquals: { 'aws:PrincipalAccount': ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'] } },
        },
      ],
    });
  });
});

describe('CatalogService API resource policy at 501 accounts', () => {
  // 500 domains in accounts 200000000000.. and the governance account: what a 500-domain mesh asks.
  const accounts = Array.from({ length: 500 }, (_, i) => String(200_000_000_000 + i));
  const synth = (domains: readonly string[]) => {
    const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const s = new Stack(app, 'Governance', { env: { account: mesh.config.governance.account, region: mesh.config.region } });
    const key = new kms.Key(s, 'Key');
    const inbox = new CatalogInbox(s, 'Inbox', { mesh: mesh.config.name, bus: new events.EventBus(s, 'Bus'), key });
    const config = { ...mesh.config, consumers: [], domains: domains.map((account, i) => ({ ...mesh.config.domains[0]!, name: `d${i}`, account, federated: [] })) };
    new CatalogService(s, 'Catalog', { config, inbox: { queue: inbox.queue, deadLetterQueue: inbox.deadLetterQueue, key }, key, accessLogsBucket: new s3.Bucket(s, 'Logs') });
    return app;
  };

  it('stays under API Gateway’s 8,192 bytes: 7,716 as CloudFormation receives it', () => {
    const app = synth(accounts);
    const stackArtifact = app.synth().getStackByName('Governance');
    const policy = (Object.values((stackArtifact.template as { Resources: Record<string, { Type: string; Properties: { Policy?: unknown } }> }).Resources).find((r) => r.Type === 'AWS::ApiGateway::RestApi')!).Properties.Policy;
    const json = JSON.stringify(policy);
    // {"Statement":[{"Action":"execute-api:Invoke","Condition":{"StringEquals":{"aws:PrincipalAccount":[ ... ]}},
    // "Effect":"Allow","Principal":{"AWS":"*"},"Resource":"execute-api:/*/GET/*"}],"Version":"2012-10-17"}:
    // 202 bytes around the list (98 before, 104 after), 501 accounts of 14 bytes ("123456789012") and 500 commas: 202 + 7,014 + 500 = 7,716.
    expect(json.length).toBe(7716);
    expect(json.length).toBeLessThan(8192);
  });

  it('refuses at synth a policy over the quota, naming the fix', () => {
    const app = synth(Array.from({ length: 600 }, (_, i) => String(200_000_000_000 + i)));
    expect(() => app.synth()).toThrow(/catalog API's resource policy is \d+ bytes for 601 accounts, over API Gateway's 8192: hold it to the organization with aws:PrincipalOrgID/);
  });
});

describe('CatalogService alarms', () => {
  it('alarms on dead letters, ingest errors and API 5xx, notifying an encrypted topic', () => {
    const topic = logicalId(catalog.alarmTopic);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    const expectations = [
      { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' },
      { Namespace: 'AWS/Lambda', MetricName: 'Errors' },
      { Namespace: 'AWS/ApiGateway', MetricName: '5XXError' },
    ];
    for (const metric of expectations) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { ...metric, ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, AlarmActions: [{ Ref: topic }] });
    }
    template.resourceCountIs('AWS::CloudWatch::Alarm', expectations.length);
  });

  it('lets CloudWatch use the key for the encrypted topic (as the SNS guide says, no condition) and the log groups (this account only)', () => {
    const { region, governance } = mesh.config;
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:${region}:${governance.account}:log-group:*`]] } } },
          }),
          { Sid: 'CloudWatchAlarmsPublishToEncryptedTopics', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
        ]),
      },
    });
  });
});

describe('CatalogService props', () => {
  it('gives the API a KMS bucket for its persisted search index, and access to that one object only', () => {
    const bucketId = logicalId(catalog.snapshotBucket);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-old-snapshots', NoncurrentVersionExpiration: { NoncurrentDays: 1 } })]) },
    });
    const fn = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { CATALOG_SNAPSHOT_BUCKET: { Ref: bucketId } } } } });
    expect(Object.keys(fn)).toHaveLength(1);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(`{"Fn::GetAtt":["${bucketId}","Arn"]},"/search/index.json.gz"`);
    expect(policies).not.toContain(`{"Fn::GetAtt":["${bucketId}","Arn"]},"/*"`);
  });

  it('refuses an ingest concurrency the SQS event source cannot take', () => {
    const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const s = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const key = new kms.Key(s, 'Key');
    const inbox = new CatalogInbox(s, 'Inbox', { mesh: mesh.config.name, bus: new events.EventBus(s, 'Bus'), key });
    expect(() => new CatalogService(s, 'Catalog', { config: mesh.config, inbox: { ...inbox, key }, key, accessLogsBucket: new s3.Bucket(s, 'Logs'), ingestConcurrency: 1 })).toThrow(/ingestConcurrency must be an integer from 2 to 1000.*got 1/);
  });
});

describe('CatalogService mesh lineage', () => {
  // A hand-written event: what the construct must store is exactly what it was given.
  const event = handWrittenEvent('ecommerce_views.stock_cover', ['inventory.stock_levels'], ['ecommerce_views.stock_cover']);
  const second = handWrittenEvent('shipments.consume', ['orders.orders'], ['shipping.shipments']);

  it('writes all events as one item LINEAGE / MESH (gzipped JSON, base64) with one custom resource, deleted with it, touching only LINEAGE items', () => {
    const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const other = new Stack(app, 'Governance', { env: { account: mesh.config.governance.account, region: mesh.config.region } });
    const key = new kms.Key(other, 'Key', { enableKeyRotation: true });
    const inbox = new CatalogInbox(other, 'Inbox', { mesh: mesh.config.name, bus: new events.EventBus(other, 'Bus', { kmsKey: key }), key });
    const service = new CatalogService(other, 'Catalog', { config: mesh.config, inbox: { queue: inbox.queue, deadLetterQueue: inbox.deadLetterQueue, key }, key, accessLogsBucket: new s3.Bucket(other, 'Logs'), meshLineage: [event, second] });
    const t = Template.fromStack(other);
    const writers = Object.values(t.findResources('Custom::TesseraMeshLineage')) as { Properties: { Create: unknown; Update: unknown; Delete: unknown } }[];
    expect(writers).toHaveLength(1);
    const create = joinedJson(writers[0]!.Properties.Create) as { action: string; parameters: { Item: Record<string, { S: string }> } };
    expect(create.action).toBe('putItem');
    expect(create.parameters.Item.pk).toEqual({ S: 'LINEAGE' });
    expect(create.parameters.Item.sk).toEqual({ S: 'MESH' });
    // Decoded here with node:zlib, not with the module that packs them.
    expect(JSON.parse(gunzipSync(Buffer.from(create.parameters.Item.events!.S, 'base64')).toString('utf8'))).toEqual([event, second]);
    expect(writers[0]!.Properties.Update).toEqual(writers[0]!.Properties.Create);
    expect(joinedJson(writers[0]!.Properties.Delete)).toMatchObject({ action: 'deleteItem', parameters: { Key: { pk: { S: 'LINEAGE' }, sk: { S: 'MESH' } } } });
    const table = other.getLogicalId(service.table.node.defaultChild as never);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: ['dynamodb:DeleteItem', 'dynamodb:PutItem'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [table, 'Arn'] }, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['LINEAGE'] } } },
        ]),
      },
    });
  });

  it('writes none without events', () => {
    expect(template.findResources('Custom::TesseraMeshLineage')).toEqual({});
  });
});

describe('CatalogService OpenLineage HTTP sink (governance.lineage.openLineageUrl)', () => {
  const url = 'https://marquez.example.com/api/v1/lineage';
  let t: Template;

  /** The catalog with the sink, in an app of its own (the compliance packs must be added before the first synth). */
  const build = (checks: boolean): App => {
    const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    if (checks) addComplianceChecks(app);
    const other = new Stack(app, 'Governance', { env: { account: mesh.config.governance.account, region: mesh.config.region } });
    const key = new kms.Key(other, 'Key', { enableKeyRotation: true });
    const inbox = new CatalogInbox(other, 'Inbox', { mesh: mesh.config.name, bus: new events.EventBus(other, 'Bus', { kmsKey: key }), key });
    const config = { ...mesh.config, governance: { ...mesh.config.governance, lineage: { openLineageUrl: url } } };
    const logs = new AccessLogsBucket(other, 'Logs', { removalPolicy: RemovalPolicy.RETAIN }).bucket;
    new CatalogService(other, 'Catalog', { config, inbox: { queue: inbox.queue, deadLetterQueue: inbox.deadLetterQueue, key }, key, accessLogsBucket: logs, meshLineage: [{ ...sinkEvent }] });
    if (!checks) t = Template.fromStack(other);
    return app;
  };

  beforeAll(() => void build(false));

  const sinkEvent = handWrittenEvent('shipments.consume', [], []);

  it('queues events for a sink Lambda posting to the URL, dead-lettered after five receives and alarmed', () => {
    const queues = t.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: { maxReceiveCount: 5 }, VisibilityTimeout: 180 } });
    expect(Object.keys(queues).filter((id) => id.startsWith('CatalogLineageSink'))).toHaveLength(1);
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ OPENLINEAGE_URL: url }) } });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 2 } });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ LINEAGE_QUEUE_URL: { Ref: Match.stringLikeRegexp('^CatalogLineageSinkEvents') } }) } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmDescription: Match.stringLikeRegexp('could not be delivered') });
  });

  it('lets the ingest send to the sink queue, and forwards the mesh events at deploy time', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogLineageSinkEvents'), 'Arn'] } })]) },
      Roles: [{ Ref: Match.stringLikeRegexp('^CatalogIngestRole') }],
    });
    const forwards = Object.values(t.findResources('Custom::TesseraMeshLineageForward')) as { Properties: { Create: unknown } }[];
    expect(forwards).toHaveLength(1);
    const create = joinedJson(forwards[0]!.Properties.Create) as { action: string; parameters: { MessageBody: string } };
    expect(create.action).toBe('sendMessage');
    const body = JSON.parse(create.parameters.MessageBody) as { tesseraLineageEvents: string };
    expect(JSON.parse(gunzipSync(Buffer.from(body.tesseraLineageEvents, 'base64')).toString('utf8'))).toEqual([sinkEvent]);
  });

  it('passes the compliance packs: no finding of the sink is left unacknowledged', () => {
    // Synthesis throws "Validation failed" on any unacknowledged finding (removing one of the sink's acknowledgements makes it).
    expect(() => build(true).synth()).not.toThrow();
  });
});
