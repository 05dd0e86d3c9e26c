/**
 * Federated queries over a domain's live operational store, so an analyst joins a data product
 * with operational data in one Athena statement, without copying either.
 *
 * `FederatedDynamoDbSource` (in the domain's account, where the DynamoDB tables are): Amazon's
 * Athena DynamoDB connector from the Serverless Application Repository, run with Tessera's own
 * least-privilege role (read only the listed tables, write only its spill prefix), a spill bucket
 * that forgets spilled data after a day (pages encrypted by the connector with the domain key), and permission for the consumers the mesh
 * grants the source to (and no one else) to invoke the connector and read its spill.
 *
 * A LAMBDA-type Athena catalog is outside Lake Formation: whoever may invoke the connector reads
 * every item of every listed table, so the invoke permission names the consumer roles one by one
 * (`lib/access/federated.ts` says which) instead of the whole governance account. `FederatedCatalog` (in the governance account): the Athena data catalog of
 * type LAMBDA that analysts name in SQL, `SELECT ... FROM <source>.default.<table>`.
 */
import { Annotations, Arn, ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sam from 'aws-cdk-lib/aws-sam';
import { Construct } from 'constructs';
import type { FederatedSource } from '../lib/mesh/config.js';
import { secureBucketProps } from './core/buckets.js';
import { acknowledge } from './core/compliance.js';
import { constructIdFor } from './core/ids.js';
import { dataRemovalPolicy } from './core/removal.js';

/** Amazon's Athena DynamoDB connector in the Serverless Application Repository. */
export const DYNAMODB_CONNECTOR_APPLICATION = 'arn:aws:serverlessrepo:us-east-1:292517598671:applications/AthenaDynamoDBConnector';
/**
 * The connector version Tessera's template was written against (its parameters: AthenaCatalogName,
 * SpillBucket, SpillPrefix, LambdaRole, KMSKeyId ...). 2023.46.2 ran on the managed `java11`
 * runtime, an Amazon Linux 2 runtime deprecated with Amazon Linux 2 on 30 June 2026, after which
 * Lambda blocks creating and then updating such functions
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html). Releases since 2024
 * ship the connector as a container image (`PackageType: Image`, built on the AL2023 Java base
 * image; awslabs/aws-athena-query-federation, athena-dynamodb/athena-dynamodb.yaml and Dockerfile at
 * tag v2026.33.1), which has no managed runtime to deprecate, with the same parameters.
 */
export const DEFAULT_DYNAMODB_CONNECTOR_VERSION = '2026.33.1';

const SPILL_PREFIX = 'athena-spill';

/** The connector's Lambda function name: `tessera-<mesh>-<source>`, within Lambda's 64 characters. */
export function connectorFunctionName(mesh: string, source: string): string {
  const name = `tessera-${mesh}-${source.replaceAll('_', '-')}`;
  if (name.length > 64) throw new Error(`federated source '${source}': the connector name '${name}' is longer than Lambda's 64 characters; shorten the mesh or source name`);
  return name;
}

export interface FederatedDynamoDbSourceProps {
  readonly mesh: string;
  readonly source: FederatedSource;
  /** The governance account, whose Athena data catalog invokes the connector. */
  readonly governanceAccount: string;
  /**
   * The consumers the mesh grants the source to (`federatedSourceReaders`): only their roles may
   * invoke the connector and read its spilled pages. Athena invokes a LAMBDA catalog's function
   * with the querying principal's own credentials, so these are the principals to name.
   */
  readonly readers: readonly { readonly name: string; readonly role: string }[];
  readonly key: kms.IKey;
  readonly accessLogsBucket: s3.IBucket;
}

export class FederatedDynamoDbSource extends Construct {
  readonly functionName: string;
  /** The connector's ARN, for the governance account's data catalog. */
  readonly functionArn: string;
  readonly role: iam.Role;
  readonly spillBucket: s3.Bucket;
  readonly application: sam.CfnApplication;

  constructor(scope: Construct, id: string, props: FederatedDynamoDbSourceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { source } = props;
    this.functionName = connectorFunctionName(props.mesh, source.name);
    this.functionArn = stack.formatArn({ service: 'lambda', resource: 'function', resourceName: this.functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    this.spillBucket = new s3.Bucket(this, 'Spill', {
      ...secureBucketProps({
        key: props.key,
        accessLogsBucket: props.accessLogsBucket,
        accessLogsPrefix: `federated-spill/${source.name}/`,
        // Spilled pages live only while a query reads them.
        lifecycleRules: [{ id: 'expire-spill', expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
        removalPolicy: dataRemovalPolicy(this),
      }),
      // Athena reads spilled pages with the querying (governance) account's credentials, which the
      // domain key does not trust. The connector encrypts every page itself (AES-GCM, data keys from
      // the domain key) and hands Athena the page key in its response, so S3-managed encryption
      // underneath loses nothing.
      encryption: s3.BucketEncryption.S3_MANAGED,
      encryptionKey: undefined,
      bucketKeyEnabled: false,
    });
    acknowledge(this.spillBucket, 'Spill pages of federated queries expire after a day and are recomputed by re-running the query; replication would only add cost', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled');
    acknowledge(this.spillBucket, 'Every spilled page is encrypted by the connector with AES-GCM under a data key from the domain KMS key before it reaches S3; the bucket uses SSE-S3 because Athena reads it with another account’s credentials', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS');

    // Tessera's own role instead of the application's, which allows Scan on every table ('*').
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Athena DynamoDB connector ${source.name}: reads ${source.tables.join(', ')} only`,
    });
    const tableArns = source.tables.map((t) => stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: t }));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadListedTables', actions: ['dynamodb:DescribeTable', 'dynamodb:Query', 'dynamodb:Scan'], resources: [...tableArns, ...tableArns.map((a) => `${a}/index/*`)] }));
    // Listing is account-wide in DynamoDB (no resource-level permission), as is Athena's check that the calling query still runs.
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'DiscoverTables', actions: ['dynamodb:ListTables', 'athena:GetQueryExecution'], resources: ['*'] }));
    // Supplemental metadata (column types, partitions) the connector reads from Glue's `default` database.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SupplementalMetadata',
        actions: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [stack.formatArn({ service: 'glue', resource: 'catalog' }), stack.formatArn({ service: 'glue', resource: 'database', resourceName: 'default' }), stack.formatArn({ service: 'glue', resource: 'table', resourceName: 'default/*' })],
      }),
    );
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'Spill', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [this.spillBucket.arnForObjects(`${SPILL_PREFIX}/*`)] }));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'SpillBucket', actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:GetLifecycleConfiguration'], resources: [this.spillBucket.bucketArn] }));
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: `/aws/lambda/${this.functionName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );
    // The connector's KmsKeyFactory calls GenerateDataKey (the page key) and GenerateRandom (the
    // nonce) for every spill, and never Decrypt: it hands Athena the plaintext page key. Its own
    // template grants exactly these two when it creates its role (FunctionKMSPolicy in
    // awslabs/aws-athena-query-federation athena-dynamodb/athena-dynamodb.yaml; KmsKeyFactory.java in
    // athena-federation-sdk). GenerateRandom uses no key, so it has no resource to name.
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'SpillKey', actions: ['kms:GenerateDataKey'], resources: [props.key.keyArn] }));
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'SpillNonce', actions: ['kms:GenerateRandom'], resources: ['*'] }));
    const policy = this.role.node.findChild('DefaultPolicy');
    acknowledge(
      policy,
      'The DynamoDB connector needs ListTables, athena:GetQueryExecution and kms:GenerateRandom, which have no resource-level permissions; its reads are scoped to the listed tables and their indexes, Glue to the default database, S3 to its spill prefix, logs to its own log group',
      'AwsSolutions-IAM5[Resource::*]',
      ...source.tables.map((t) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:${stack.region}:${stack.account}:table/${t}/index/*]`),
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:${stack.region}:${stack.account}:table/default/*]`,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.spillBucket.node.defaultChild as s3.CfnBucket)}.Arn>/${SPILL_PREFIX}/*]`,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${stack.region}:${stack.account}:log-group:/aws/lambda/${this.functionName}:*]`,
    );
    acknowledge(policy, 'The connector role serves one function; its statements are inline so they live and die with it, and a managed policy would not narrow them', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');

    this.application = new sam.CfnApplication(this, 'Connector', {
      location: { applicationId: DYNAMODB_CONNECTOR_APPLICATION, semanticVersion: source.connectorVersion ?? DEFAULT_DYNAMODB_CONNECTOR_VERSION },
      parameters: {
        AthenaCatalogName: this.functionName,
        SpillBucket: this.spillBucket.bucketName,
        SpillPrefix: SPILL_PREFIX,
        LambdaRole: this.role.roleArn,
        KMSKeyId: props.key.keyId,
        LambdaTimeout: '900',
        LambdaMemory: '3008',
        DisableSpillEncryption: 'false',
      },
    });
    // The role's policies must exist before the connector first runs.
    this.application.node.addDependency(this.role);

    this.grantReaders(props);
  }

  /**
   * One invoke permission per reader role (a Lambda permission takes one principal and no
   * conditions, so an account principal could not be narrowed to the roles), and a spill bucket
   * statement for the same roles. Athena reads spilled pages with the querying principal's
   * credentials and needs s3:GetObject on the pages and s3:ListBucket and s3:GetBucketLocation on the
   * bucket (https://docs.aws.amazon.com/athena/latest/ug/federated-query-iam-access.html); the bucket
   * statement names the governance account and holds it to the roles by aws:PrincipalArn.
   */
  private grantReaders(props: FederatedDynamoDbSourceProps): void {
    if (props.readers.length === 0) {
      Annotations.of(this).addWarningV2(
        '@tessera/federated-source:no-readers',
        `no consumer is granted federated source '${props.source.name}' (its domain and classification), so nobody may invoke its connector; grant a consumer its classification in its domain`,
      );
      return;
    }
    for (const reader of props.readers) {
      const invoke = new lambda.CfnPermission(this, `Invoke${constructIdFor(reader.name)}`, {
        action: 'lambda:InvokeFunction',
        functionName: this.functionArn,
        principal: reader.role,
      });
      invoke.addResourceDependency(this.application);
    }
    const roles = props.readers.map((r) => r.role);
    const principals = [new iam.AccountPrincipal(props.governanceAccount)];
    const readers = { ArnEquals: { 'aws:PrincipalArn': roles } };
    this.spillBucket.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'ReadersReadSpill', principals, actions: ['s3:GetObject'], resources: [this.spillBucket.arnForObjects(`${SPILL_PREFIX}/*`)], conditions: readers }),
    );
    this.spillBucket.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'ReadersListSpill', principals, actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.spillBucket.bucketArn], conditions: readers }),
    );
  }
}

export interface FederatedCatalogProps {
  readonly source: FederatedSource;
  /** The connector's Lambda function in the domain account. */
  readonly functionArn: string;
}

/** The Athena data catalog analysts name in SQL, backed by a connector in a domain account. */
export class FederatedCatalog extends Construct {
  readonly dataCatalog: athena.CfnDataCatalog;
  private readonly functionArn: string;

  constructor(scope: Construct, id: string, props: FederatedCatalogProps) {
    super(scope, id);
    this.functionArn = props.functionArn;
    this.dataCatalog = new athena.CfnDataCatalog(this, 'Catalog', {
      name: props.source.name,
      type: 'LAMBDA',
      description: props.source.description ?? `Live DynamoDB tables ${props.source.tables.join(', ')}`,
      parameters: { function: props.functionArn },
    });
  }

  /**
   * Lets `grantee` query the source in a workgroup it may use (`MeshQuery.grantQuery`): Athena
   * invokes the connector with the caller's own credentials, so the caller needs the data catalog
   * and `lambda:InvokeFunction` on the connector
   * (https://docs.aws.amazon.com/athena/latest/ug/federated-query-iam-access.html). The connector
   * reads its spill pages itself, with its own role.
   */
  grantQuery(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const catalog = iam.Grant.addToPrincipal({
      grantee,
      actions: ['athena:GetDataCatalog'],
      resourceArns: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: this.dataCatalog.name })],
    });
    return catalog.combine(iam.Grant.addToPrincipal({ grantee, actions: ['lambda:InvokeFunction'], resourceArns: [this.functionArn] }));
  }
}

/** The connector ARN of a source in a domain account, known without a cross-stack reference. */
export function connectorArn(mesh: string, source: string, account: string, region: string): string {
  return Arn.format({ partition: Aws.PARTITION, service: 'lambda', region, account, resource: 'function', resourceName: connectorFunctionName(mesh, source), arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}
