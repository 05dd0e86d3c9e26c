/**
 * `CatalogService`: the mesh's catalog in the governance account. Domains announce every deployed
 * contract with a `ContractPublished` event on the central bus (`DataProduct.publishContract`) and
 * quality runs with `tessera.quality` events; the `CatalogInbox` of the foundation stack queues both
 * (with a dead-letter queue for what cannot be delivered or processed), the ingest Lambda reads each
 * contract from the domain's bucket through a role whose fixed name the domains' bucket and key
 * policies trust, and writes the catalog table. An IAM-authorized REST API serves the table
 * read-only. The mesh config is written to the table at deploy time, so the API can show who may
 * get access to what without reading `mesh.yaml`.
 */
import { PACKED_MESSAGE_KEY, packEvents } from '../lib/lineage/openlineage/pack.js';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CHANGE_INDEX } from '../lib/catalog/table.js';
import { PACKED_CONFIG_ATTRIBUTE, packMeshConfig } from '../lib/catalog/mesh-config-item.js';
import { CATALOG_SERVICE_NAME } from '../lib/catalog/telemetry.js';
import { catalogReaderRoleName } from '../lib/catalog/publication.js';
import { CATALOG_INGEST_TIMEOUT } from './catalog-inbox.js';
import type { MeshConfig } from '../lib/mesh/config.js';
import { acknowledge, acknowledgeSdkCallProvider } from './core/compliance.js';
import { meshCallerAccounts, meshCallersStatement, validateResourcePolicySize } from './core/api-callers.js';
import { alarmTopic } from './core/alarms.js';
import { allowLogGroupEncryption } from './core/keys.js';
import { tesseraFunction } from './core/functions.js';
import { dataRemovalPolicy } from './core/removal.js';
import { secureBucketProps } from './core/buckets.js';
import { SEARCH_SNAPSHOT_KEY } from '../lib/catalog/publication.js';
import type { RunEvent } from '../lib/lineage/openlineage/run-event.js';
import { OpenLineageSink } from './openlineage-sink.js';

export interface CatalogServiceProps {
  /** The mesh config, as `loadMeshFile` parsed it: names, accounts, and the item the API reads. */
  readonly config: MeshConfig;
  /**
   * Where the catalog's events wait (`CatalogInbox`, in the foundation stack), and the key that
   * encrypts them. The ingest is granted consuming the queue and decrypting with the key.
   */
  readonly inbox: { readonly queue: sqs.IQueue; readonly deadLetterQueue: sqs.IQueue; readonly key: kms.IKey };
  /** Encrypts the table, queues, logs, search snapshot and alarm topic. */
  readonly key: kms.IKey;
  /** Receives the server access logs of the search snapshot bucket. */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * How many ingest Lambdas may process the queue at once (the event source's maximum concurrency).
   * @default 5
   */
  readonly ingestConcurrency?: number;
  /**
   * Steady-state requests per second the API accepts, before throttling (burst: twice this).
   * @default 50
   */
  readonly apiRateLimit?: number;
  /**
   * The OpenLineage events of the mesh's structure (`meshLineageEvents`: views, input ports), all
   * written to the catalog table as one packed item `LINEAGE` / `MESH`, deleted with the stack.
   * @default - none: the catalog's lineage has publications and quality runs only
   */
  readonly meshLineage?: readonly RunEvent[];
}



export class CatalogService extends Construct {
  readonly table: dynamodb.Table;
  /** Publication and quality events waiting for the ingest Lambda (the inbox's queue). */
  readonly queue: sqs.IQueue;
  /** Events that could not be delivered to `queue` or were received five times without success. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The ingest Lambda's role, named `catalogReaderRoleName(mesh)` for the domains' policies. */
  readonly ingestRole: iam.Role;
  readonly ingestFunction: lambda.Function;
  readonly apiFunction: lambda.Function;
  /** Where the API persists its search index between cold starts (a cache: rebuilt when missing). */
  readonly snapshotBucket: s3.Bucket;
  readonly api: apigw.RestApi;
  /** Where every catalog alarm notifies; subscribe the platform team to it. */
  readonly alarmTopic: sns.Topic;
  readonly alarms: readonly cloudwatch.Alarm[];
  /** Forwards every lineage event to `governance.lineage.openLineageUrl`, when the mesh sets one. */
  readonly lineageSink?: OpenLineageSink;
  /**
   * The API's resource-policy statement for the mesh's accounts (constructs/core/api-callers.ts):
   * every GET; other constructs add the routes they open to them (`AccessRequests`' POSTs).
   */
  readonly meshCallers: iam.PolicyStatement;
  private readonly config: MeshConfig;

  constructor(scope: Construct, id: string, props: CatalogServiceProps) {
    super(scope, id);
    const { config, key } = props;
    this.config = config;
    const removalPolicy = dataRemovalPolicy(this);
    const ingestConcurrency = props.ingestConcurrency ?? 5;
    if (!Number.isInteger(ingestConcurrency) || ingestConcurrency < 2 || ingestConcurrency > 1000) {
      throw new Error(`CatalogService ${id}: ingestConcurrency must be an integer from 2 to 1000 (the SQS event source's limits), got ${ingestConcurrency}`);
    }
    const apiRateLimit = props.apiRateLimit ?? 50;
    if (!(apiRateLimit > 0)) throw new Error(`CatalogService ${id}: apiRateLimit must be a positive number of requests per second, got ${apiRateLimit}`);

    // The Lambda and API access log groups are encrypted with the key.
    allowLogGroupEncryption(key);

    // --- the table ------------------------------------------------------------------------------
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: CHANGE_INDEX,
      partitionKey: { name: 'changeKey', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'changedAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    acknowledge(this.table, 'The catalog is written once per contract deployment and quality run; on-demand capacity follows that and never needs auto scaling', 'NIST.800.53.R5-DynamoDBAutoscalingEnabled', 'HIPAA.Security-DynamoDBAutoscalingEnabled', 'PCI.DSS.321-DynamoDBAutoscalingEnabled');
    acknowledge(this.table, 'Point-in-time recovery covers the catalog table, and every entry can be rebuilt from the contracts stored in the domains; a separate AWS Backup plan is an account-wide choice', 'NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBInBackupPlan');
    this.writeMeshConfig(config);
    const url = config.governance.lineage?.openLineageUrl;
    if (url) this.lineageSink = new OpenLineageSink(this, 'LineageSink', { url, key });
    this.writeMeshLineage(props.meshLineage ?? []);

    // --- events: the inbox (foundation stack) holds them until the ingest reads them ----------
    this.queue = props.inbox.queue;
    this.deadLetterQueue = props.inbox.deadLetterQueue;

    // --- ingest ---------------------------------------------------------------------------------
    this.ingestRole = new iam.Role(this, 'IngestRole', {
      // Fixed: every domain's bucket and key policy names it before this stack exists.
      roleName: catalogReaderRoleName(config.name),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Tessera catalog of mesh ${config.name}: reads published contracts from the domains and writes the catalog`,
    });
    this.ingestFunction = this.handler('IngestFunction', 'ingest-handler', this.ingestRole, CATALOG_INGEST_TIMEOUT, key, config.name);
    this.ingestFunction.addEventSource(
      new lambdaEventSources.SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: ingestConcurrency,
      }),
    );
    this.table.grantReadWriteData(this.ingestRole);
    if (this.lineageSink) {
      this.lineageSink.grantSend(this.ingestRole);
      this.ingestFunction.addEnvironment('LINEAGE_QUEUE_URL', this.lineageSink.queue.queueUrl);
    }
    props.inbox.key.grantDecrypt(this.ingestRole);
    if (!(props.inbox.key instanceof kms.Key)) {
      acknowledge(
        this.ingestRole.node.findChild('DefaultPolicy'),
        'The inbox key lives in the foundation stack and is addressed by its alias: IAM cannot name a key by alias, so the grant covers key/* of this account held to that one key by kms:ResourceAliases ("Use aliases to control access to KMS keys", AWS KMS Developer Guide)',
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${config.region}:${Stack.of(this).account}:key/*]`,
      );
    }
    this.grantContractReads(config);

    // --- API ------------------------------------------------------------------------------------
    const apiRole = new iam.Role(this, 'ApiRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Tessera catalog API of mesh ${config.name}: reads the catalog table`,
    });
    // A cold start parses the persisted index instead of reading and indexing every product.
    this.snapshotBucket = new s3.Bucket(
      this,
      'SearchSnapshots',
      secureBucketProps({
        key,
        accessLogsBucket: props.accessLogsBucket,
        accessLogsPrefix: 'catalog-search/',
        lifecycleRules: [{ id: 'expire-old-snapshots', noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
        removalPolicy: dataRemovalPolicy(this),
      }),
    );
    acknowledge(this.snapshotBucket, 'The search snapshot is a cache the API rebuilds from the catalog table whenever it is missing; replicating it would only add cost', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled');
    this.apiFunction = this.handler('ApiFunction', 'api-handler', apiRole, Duration.seconds(15), key, config.name);
    this.apiFunction.addEnvironment('CATALOG_SNAPSHOT_BUCKET', this.snapshotBucket.bucketName);
    this.table.grantReadData(apiRole);
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'SearchSnapshot', actions: ['s3:GetObject', 's3:PutObject'], resources: [this.snapshotBucket.arnForObjects(SEARCH_SNAPSHOT_KEY)] }));
    // NoSuchKey (not AccessDenied) on the first cold start needs ListBucket.
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'SearchSnapshotMissing', actions: ['s3:ListBucket'], resources: [this.snapshotBucket.bucketArn] }));
    key.grant(apiRole, 'kms:Decrypt', 'kms:GenerateDataKey');
    this.meshCallers = meshCallersStatement(config, ['execute-api:/*/GET/*']);
    this.api = this.restApi(config, key, apiRateLimit, removalPolicy);

    // --- alarms ---------------------------------------------------------------------------------
    this.alarmTopic = alarmTopic(this, 'Alarms', { displayName: `Tessera catalog alarms: ${config.name}`, key });
    const notify = new cloudwatchActions.SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(notify);
      return a;
    };
    this.alarms = [
      alarm('DeadLettersAlarm', `Catalog events of mesh ${config.name} were dead-lettered: undeliverable or failed five times`, this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' })),
      alarm('IngestErrorsAlarm', `The catalog ingest Lambda of mesh ${config.name} failed`, this.ingestFunction.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' })),
      ...(this.lineageSink
        ? [alarm('LineageDeadLettersAlarm', `OpenLineage events of mesh ${config.name} could not be delivered to ${this.lineageSink.node.id}'s endpoint after five tries`, this.lineageSink.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }))]
        : []),
      alarm('ApiServerErrorsAlarm', `The catalog API of mesh ${config.name} answered with a 5xx`, this.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' })),
    ];

    this.acknowledgeFindings();
  }

  /**
   * Lets `grantee` call the catalog API (IAM-authorized, SigV4): `execute-api:Invoke` on every
   * method of its `v1` stage, which only reads. What `tessera catalog` needs.
   */
  grantQuery(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['execute-api:Invoke'], resourceArns: [this.api.arnForExecuteApi('*', '/*', this.api.deploymentStage.stageName)] });
  }

  /** One catalog Lambda, reading the catalog table of `mesh`. */
  private handler(id: string, file: 'ingest-handler' | 'api-handler', role: iam.Role, timeout: Duration, key: kms.IKey, mesh: string): lambda.Function {
    return tesseraFunction(this, id, { handler: `catalog/${file}`, timeout, key, role, service: CATALOG_SERVICE_NAME, environment: { CATALOG_TABLE: this.table.tableName, MESH_NAME: mesh } });
  }

  /**
   * What the ingest role may read in the domains. Bucket names are generated in the domain
   * accounts and unknown here, so the object ARN is a pattern, held to the contract folder and to
   * the mesh's domain accounts; the domains' bucket and key policies decide the rest.
   */
  private grantContractReads(config: MeshConfig): void {
    const stack = Stack.of(this);
    const accounts = [...new Set(config.domains.map((d) => d.account))];
    this.ingestRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadPublishedContracts',
        actions: ['s3:GetObject'],
        resources: [`arn:${stack.partition}:s3:::*/*_tessera/contract/*`],
        conditions: { StringEquals: { 's3:ResourceAccount': accounts } },
      }),
    );
    // The keys' accounts as a condition, not one key ARN pattern per account (which overflowed the
    // role's policy at 49 domains and grew the template by 90 bytes a domain): AWS KMS supports every
    // global condition key (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-aws.html),
    // aws:ResourceAccount being the account that owns the key
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount).
    this.ingestRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptPublishedContracts',
        actions: ['kms:Decrypt'],
        resources: [`arn:${stack.partition}:kms:${config.region}:*:key/*`],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${config.region}.amazonaws.com`, 'aws:ResourceAccount': accounts } },
      }),
    );
  }

  /** The REST API: IAM on every method, proxy to the API Lambda, JSON access logs, tracing, throttling. */
  private restApi(config: MeshConfig, key: kms.IKey, rateLimit: number, removalPolicy: RemovalPolicy): apigw.RestApi {
    const policy = new iam.PolicyDocument({ statements: [this.meshCallers] });
    validateResourcePolicySize(this, policy, meshCallerAccounts(config).length);
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key, removalPolicy });
    const api = new apigw.RestApi(this, 'Api', {
      restApiName: `tessera-${config.name}-catalog`,
      description: `Tessera catalog of mesh ${config.name} (read-only, IAM-authorized)`,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // Access and execution logs need the account's API Gateway CloudWatch role; it is an account
      // setting, so it outlives this stack.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      policy,
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: Math.ceil(rateLimit * 2),
      },
    });
    // RestApi adds an `Endpoint` output of its own; the stack exports the URL once, by a stable name.
    api.node.tryRemoveChild('Endpoint');
    const validator = api.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });
    const integration = new apigw.LambdaIntegration(this.apiFunction, { proxy: true, allowTestInvoke: false });
    const methodOptions: apigw.MethodOptions = { authorizationType: apigw.AuthorizationType.IAM, requestValidator: validator };
    api.root.addMethod('GET', integration, methodOptions);
    api.root.addResource('{proxy+}').addMethod('GET', integration, methodOptions);
    return api;
  }

  /**
   * Writes `{pk: MESH, sk: CONFIG, packedConfig}` at deploy time, again whenever the config changes;
   * packed (lib/catalog/mesh-config-item.ts) because the call's parameters are in the template.
   */
  private writeMeshConfig(config: MeshConfig): void {
    const putItem: cr.AwsSdkCall = {
      service: 'DynamoDB',
      action: 'putItem',
      parameters: {
        TableName: this.table.tableName,
        Item: { pk: { S: 'MESH' }, sk: { S: 'CONFIG' }, [PACKED_CONFIG_ATTRIBUTE]: { S: packMeshConfig(config) } },
      },
      physicalResourceId: cr.PhysicalResourceId.of('MESH/CONFIG'),
    };
    const writer = new cr.AwsCustomResource(this, 'MeshConfig', {
      resourceType: 'Custom::TesseraMeshConfig',
      onCreate: putItem,
      onUpdate: putItem,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.table.tableArn] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [this.table.encryptionKey!.keyArn] }),
      ]),
    });
    acknowledgeSdkCallProvider(writer, 'writes the mesh config to the catalog table');
  }

  /**
   * All the mesh's structural lineage events in one item (`{pk: LINEAGE, sk: MESH}`, packed by
   * lib/lineage/openlineage/pack.ts), rewritten whenever they change: one custom resource whatever
   * the size of the mesh, where one per event grew the stack past 500 resources.
   */
  private writeMeshLineage(events: readonly RunEvent[]): void {
    if (events.length === 0) return;
    const packed = packEvents(events);
    const key = { pk: { S: 'LINEAGE' }, sk: { S: 'MESH' } };
    const put: cr.AwsSdkCall = {
      service: 'DynamoDB',
      action: 'putItem',
      parameters: { TableName: this.table.tableName, Item: { ...key, events: { S: packed } } },
      physicalResourceId: cr.PhysicalResourceId.of('LINEAGE/MESH'),
    };
    const writer = new cr.AwsCustomResource(this, 'MeshLineage', {
      resourceType: 'Custom::TesseraMeshLineage',
      onCreate: put,
      onUpdate: put,
      onDelete: { service: 'DynamoDB', action: 'deleteItem', parameters: { TableName: this.table.tableName, Key: key } },
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: [this.table.tableArn], conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['LINEAGE'] } } }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [this.table.encryptionKey!.keyArn] }),
      ]),
    });
    acknowledgeSdkCallProvider(writer, "writes the mesh's lineage to the catalog table");
    if (this.lineageSink) this.forwardMeshLineage(packed, this.lineageSink);
  }

  /** The same events to the HTTP sink's queue in one message, on create and whenever they change. */
  private forwardMeshLineage(packed: string, sink: OpenLineageSink): void {
    const send: cr.AwsSdkCall = {
      service: 'SQS',
      action: 'sendMessage',
      parameters: { QueueUrl: sink.queue.queueUrl, MessageBody: JSON.stringify({ [PACKED_MESSAGE_KEY]: packed }) },
      physicalResourceId: cr.PhysicalResourceId.of('LINEAGE-SINK/MESH'),
    };
    const sender = new cr.AwsCustomResource(this, 'MeshLineageSink', {
      resourceType: 'Custom::TesseraMeshLineageForward',
      onCreate: send,
      onUpdate: send,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [sink.queue.queueArn] }),
        new iam.PolicyStatement({ actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: [this.table.encryptionKey!.keyArn] }),
      ]),
    });
    acknowledgeSdkCallProvider(sender, "sends the mesh's lineage to the OpenLineage sink");
  }

  private acknowledgeFindings(): void {
    const stack = Stack.of(this);
    const tableArn = `<${stack.getLogicalId(this.table.node.defaultChild as dynamodb.CfnTable)}.Arn>`;
    const noVpc = 'Catalog Lambdas talk only to AWS service endpoints (S3, KMS, DynamoDB, X-Ray) and hold no network resources; VPC placement is a per-account network choice';
    for (const fn of [this.ingestFunction, this.apiFunction]) {
      acknowledge(fn, noVpc, 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
      const policy = fn.role!.node.findChild('DefaultPolicy');
      acknowledge(policy, 'X-Ray trace segments have no resource-level permissions', 'AwsSolutions-IAM5[Resource::*]');
      acknowledge(policy, 'The GSI byChange is read through the table’s index ARNs; CDK grants them as the index wildcard of this one table', `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`);
      acknowledge(policy, 'The table’s customer-managed key: DynamoDB needs the GenerateDataKey and ReEncrypt families to read and write it', 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]');
      acknowledge(policy, 'CDK grants attach least-privilege statements inline to the role they serve; a separate managed policy per role would add a resource without narrowing access', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
    }
    acknowledge(this.ingestFunction, 'Its asynchronous path is the SQS queue, whose redrive policy dead-letters a message after five failed receives; a function DLQ applies only to asynchronous invocation', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
    acknowledge(
      this.ingestFunction,
      'The SQS event source’s maximum concurrency bounds it instead; reserved concurrency would take capacity from the account (and fails to deploy in accounts at the default low limit)',
      'NIST.800.53.R5-LambdaConcurrency',
      'HIPAA.Security-LambdaConcurrency',
    );
    acknowledge(this.apiFunction, 'API Gateway invokes it synchronously and returns its errors to the caller (alarmed on 5xx); a DLQ would never receive anything', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
    acknowledge(this.apiFunction, 'Stage throttling bounds the API, and so this function; reserved concurrency would take capacity from the account', 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency');
    const ingestPolicy = this.ingestRole.node.findChild('DefaultPolicy');
    acknowledge(
      ingestPolicy,
      'Domain bucket names are generated in the domain accounts and unknown here: contracts are read by the object pattern <bucket>/<prefix>_tessera/contract/*, held to the mesh’s domain accounts by s3:ResourceAccount; each domain’s bucket policy grants this role that folder only',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::*/*_tessera/contract/*]`,
    );
    acknowledge(
      ingestPolicy,
      'Domain product keys are created in the domain accounts and unknown here: decrypt is held to the mesh’s domain accounts (aws:ResourceAccount) and to S3 (kms:ViaService); each domain’s key policy grants this role by aws:PrincipalArn',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${this.config.region}:*:key/*]`,
    );

    const api = this.api;
    acknowledge(
      api.node.findChild('CloudWatchRole'),
      'API Gateway writes access and execution logs through the account-level CloudWatch role; AmazonAPIGatewayPushToCloudWatchLogs is the AWS managed policy made for exactly that role',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    );
    for (const method of api.methods) {
      acknowledge(method, 'Every method requires IAM (SigV4) authorization: callers are the mesh’s roles, not end users in a Cognito user pool', 'AwsSolutions-COG4');
    }
    const stage = api.deploymentStage;
    acknowledge(
      stage,
      'Every request must be SigV4-signed by a principal of the mesh’s accounts (IAM authorization and the resource policy) before anything runs, and the stage is throttled; a WAF web ACL is an account-wide edge choice',
      'AwsSolutions-APIG3',
      'NIST.800.53.R5-APIGWAssociatedWithWAF',
      'PCI.DSS.321-APIGWAssociatedWithWAF',
    );
    acknowledge(
      stage,
      'Responses are authorized per caller and the catalog changes with every publication; a stage cache keyed by path would serve one caller’s answer to another and serve stale entries',
      'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted',
      'HIPAA.Security-APIGWCacheEnabledAndEncrypted',
      'PCI.DSS.321-APIGWCacheEnabledAndEncrypted',
    );
    acknowledge(
      stage,
      'Client certificates authenticate API Gateway to HTTP backends; this API’s only backend is a Lambda integration, invoked through AWS’s own signed calls',
      'NIST.800.53.R5-APIGWSSLEnabled',
      'HIPAA.Security-APIGWSSLEnabled',
      'PCI.DSS.321-APIGWSSLEnabled',
    );
  }
}
