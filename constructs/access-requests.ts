/**
 * `AccessRequests`: the governance account's access-request workflow. Consumers ask through the
 * catalog API (`/access-requests`, IAM-authorized: the requester is the SigV4 signer), the
 * product's owners are notified on an SNS topic and decide through the same API, the approved grant
 * is applied through Lake Formation and revoked by a one-time EventBridge Scheduler schedule. The
 * state is a DynamoDB table (see lambdas/access/service.ts for why not a Step Functions task
 * token); every change also writes an append-only audit table.
 *
 * Least privilege: the API function may put and read audit items, never update or delete them (IAM
 * cannot require a condition expression, so "only if absent" is the code's `attribute_not_exists`;
 * no role here can change an item once written). Only the API function grants; the expiry function
 * only revokes. The scheduler's role may invoke the expiry function and nothing else.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHANGE_INDEX } from '../lib/catalog/table.js';
import type { MeshConfig, MeshDomain } from '../lib/mesh/config.js';
import { acknowledge } from './core/compliance.js';
import { tesseraFunction } from './core/functions.js';
import { dataRemovalPolicy } from './core/removal.js';

export interface AccessRequestsProps {
  readonly config: MeshConfig;
  /** The catalog API the routes are added to. */
  readonly api: apigw.RestApi;
  /**
   * The catalog API's resource-policy statement for the mesh's accounts (`CatalogService.meshCallers`):
   * the POST routes are added to it, so the policy lists the accounts once (constructs/core/api-callers.ts).
   */
  readonly apiCallers: iam.PolicyStatement;
  /** The catalog table: products and the mesh config are read from it. */
  readonly catalogTable: dynamodb.ITable;
  /** Encrypts the tables, the topic, the queue and the log groups. */
  readonly key: kms.IKey;
  /**
   * The governance account's resource link per domain, which approved requests grant DESCRIBE on.
   * @default - no links (every domain in the governance account)
   */
  readonly links?: ReadonlyMap<string, glue.CfnDatabase>;
  /**
   * The domains whose grants this construct holds; the others' are a governance group stack's
   * (`GovernanceGroupStack`), made with `grantAccessRequestDomain` on `lakeFormationRoles`.
   * @default - every domain
   */
  readonly domains?: ReadonlySet<string>;
}

export class AccessRequests extends Construct {
  readonly requests: dynamodb.Table;
  readonly audit: dynamodb.Table;
  /** Owners subscribe here (e-mail, or a chat webhook through HTTPS). */
  readonly ownersTopic: sns.Topic;
  readonly apiFunction: lambda.Function;
  readonly expiryFunction: lambda.Function;
  readonly schedulerRole: iam.Role;
  /** The roles that grant and revoke in Lake Formation, with the construct-id prefix of their grants. */
  readonly lakeFormationRoles: readonly (readonly [string, iam.Role])[];
  /** Expiry invocations the scheduler gave up on. */
  readonly expiryDeadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: AccessRequestsProps) {
    super(scope, id);
    const { config, key } = props;
    const stack = Stack.of(this);
    const prefix = `tessera-${config.name}-access`;
    const removalPolicy = dataRemovalPolicy(this);
    const table = (tid: string, partitionKey: dynamodb.Attribute, sortKey?: dynamodb.Attribute) =>
      new dynamodb.Table(this, tid, {
        partitionKey,
        sortKey,
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: key,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy,
      });
    this.requests = table('Requests', { name: 'id', type: dynamodb.AttributeType.STRING });
    this.requests.addGlobalSecondaryIndex({ indexName: 'byProduct', partitionKey: { name: 'product', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING }, projectionType: dynamodb.ProjectionType.ALL });
    this.audit = table('Audit', { name: 'requestId', type: dynamodb.AttributeType.STRING }, { name: 'revision', type: dynamodb.AttributeType.NUMBER });
    for (const t of [this.requests, this.audit]) {
      acknowledge(t, 'Requests are written a few times each, by people; on-demand capacity follows that and never needs auto scaling', 'NIST.800.53.R5-DynamoDBAutoscalingEnabled', 'HIPAA.Security-DynamoDBAutoscalingEnabled', 'PCI.DSS.321-DynamoDBAutoscalingEnabled');
      acknowledge(t, 'Point-in-time recovery and deletion protection cover the table; a separate AWS Backup plan is an account-wide choice', 'NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBInBackupPlan');
    }

    this.ownersTopic = new sns.Topic(this, 'OwnersTopic', { topicName: `${prefix}-owners`, displayName: `Tessera access requests: ${config.name}`, masterKey: key, enforceSSL: true });
    this.expiryDeadLetters = new sqs.Queue(this, 'ExpiryDeadLetters', { queueName: `${prefix}-expiry-dlq`, encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true, retentionPeriod: Duration.days(14) });
    acknowledge(this.expiryDeadLetters, 'This queue is itself the dead-letter queue of the expiry schedules', 'AwsSolutions-SQS3');

    const group = new scheduler.CfnScheduleGroup(this, 'Schedules', { name: prefix });
    const apiRole = new iam.Role(this, 'ApiRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `Tessera access requests of mesh ${config.name}: records requests and decisions, grants approved access` });
    const expiryRole = new iam.Role(this, 'ExpiryRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `Tessera access requests of mesh ${config.name}: revokes grants whose time is up` });
    const environment = { ACCESS_REQUESTS_TABLE: this.requests.tableName, ACCESS_AUDIT_TABLE: this.audit.tableName, CATALOG_TABLE: props.catalogTable.tableName, OWNERS_TOPIC_ARN: this.ownersTopic.topicArn, SCHEDULE_GROUP: prefix };
    this.expiryFunction = tesseraFunction(this, 'ExpiryFunction', { handler: 'access/expiry-handler', timeout: Duration.seconds(60), key, role: expiryRole, service: 'tessera-access', environment });

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      // The confused-deputy guard: only schedules of this account may use the role
      // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Tessera access requests of mesh ${config.name}: EventBridge Scheduler invokes the expiry function`,
    });
    this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'InvokeExpiry', actions: ['lambda:InvokeFunction'], resources: [this.expiryFunction.functionArn] }));
    this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DeadLetters', actions: ['sqs:SendMessage'], resources: [this.expiryDeadLetters.queueArn] }));
    key.grant(this.schedulerRole, 'kms:GenerateDataKey', 'kms:Decrypt');

    this.apiFunction = tesseraFunction(this, 'ApiFunction', {
      handler: 'access/api-handler',
      timeout: Duration.seconds(30),
      key,
      role: apiRole,
      service: 'tessera-access',
      environment: { ...environment, EXPIRY_FUNCTION_ARN: this.expiryFunction.functionArn, SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn, EXPIRY_DLQ_ARN: this.expiryDeadLetters.queueArn },
    });

    for (const role of [apiRole, expiryRole]) this.grantRecords(role, props.catalogTable, key);
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadAudit', actions: ['dynamodb:Query'], resources: [this.audit.tableArn] }));
    // Lake Formation actions have no resource-level permissions: what may be granted is Lake
    // Formation's own decision (the role's grant options), not IAM's.
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'GrantApproved', actions: ['lakeformation:GrantPermissions', 'lakeformation:BatchRevokePermissions', 'lakeformation:CreateDataCellsFilter', 'lakeformation:DeleteDataCellsFilter'], resources: ['*'] }));
    expiryRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RevokeExpired', actions: ['lakeformation:BatchRevokePermissions', 'lakeformation:DeleteDataCellsFilter'], resources: ['*'] }));
    const schedules = `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule/${prefix}/tessera-access-*`;
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ExpirySchedules', actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'], resources: [schedules] }));
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PassSchedulerRole', actions: ['iam:PassRole'], resources: [this.schedulerRole.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } }));
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'NotifyOwners', actions: ['sns:Publish'], resources: [this.ownersTopic.topicArn] }));
    group.node.addDependency(this.schedulerRole);

    this.lakeFormationRoles = [['Api', apiRole], ['Expiry', expiryRole]];
    const held = config.domains.filter((d) => props.domains?.has(d.name) ?? true);
    for (const [rid, role] of this.lakeFormationRoles) for (const domain of held) grantAccessRequestDomain(this, rid, role, config, domain, props.links?.get(domain.name));
    this.addRoutes(props.api, props.apiCallers);
    this.acknowledgeFindings(apiRole, expiryRole, schedules);
  }

  /** The request and audit tables as the flow uses them, the catalog read-only, and the key. */
  private grantRecords(role: iam.Role, catalogTable: dynamodb.ITable, key: kms.IKey): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'Requests', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan'], resources: [this.requests.tableArn, `${this.requests.tableArn}/index/byProduct`] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'AppendAudit', actions: ['dynamodb:PutItem'], resources: [this.audit.tableArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadCatalog', actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'], resources: [catalogTable.tableArn, `${catalogTable.tableArn}/index/${CHANGE_INDEX}`] }));
    key.grant(role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
  }

  /** `/access-requests` and below, IAM-authorized, to the API function; POST allowed for the mesh's accounts. */
  private addRoutes(api: apigw.RestApi, callers: iam.PolicyStatement): void {
    const integration = new apigw.LambdaIntegration(this.apiFunction, { proxy: true, allowTestInvoke: false });
    const options: apigw.MethodOptions = { authorizationType: apigw.AuthorizationType.IAM };
    const resource = api.root.addResource('access-requests');
    const below = resource.addResource('{proxy+}');
    for (const r of [resource, below]) for (const method of ['GET', 'POST']) r.addMethod(method, integration, options);
    callers.addResources('execute-api:/*/POST/access-requests', 'execute-api:/*/POST/access-requests/*');
    for (const method of api.methods.filter((m) => m.resource === resource || m.resource === below)) {
      acknowledge(method, 'Every method requires IAM (SigV4) authorization: callers are the mesh’s roles, not end users in a Cognito user pool', 'AwsSolutions-COG4');
    }
  }

  private acknowledgeFindings(apiRole: iam.Role, expiryRole: iam.Role, schedules: string): void {
    const noVpc = 'Access-request Lambdas talk only to AWS service endpoints (DynamoDB, Lake Formation, Scheduler, SNS, KMS, X-Ray) and hold no network resources; VPC placement is a per-account network choice';
    const lakeFormation = 'Lake Formation permission actions have no resource-level permissions in IAM (Service Authorization Reference, AWS Lake Formation); Lake Formation itself decides what the role may grant or revoke';
    for (const fn of [this.apiFunction, this.expiryFunction]) {
      acknowledge(fn, noVpc, 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
      acknowledge(fn, 'Stage throttling and the rate of human decisions bound it; reserved concurrency would take capacity from the account', 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency');
    }
    acknowledge(this.apiFunction, 'API Gateway invokes it synchronously and returns its errors to the caller; a DLQ would never receive anything', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
    acknowledge(this.expiryFunction, 'Its asynchronous caller is EventBridge Scheduler, whose target retry policy and dead-letter queue (ExpiryDeadLetters) catch failed invocations; a function DLQ would duplicate it', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
    for (const role of [apiRole, expiryRole]) {
      const policy = role.node.findChild('DefaultPolicy');
      acknowledge(policy, `X-Ray trace segments have no resource-level permissions; ${lakeFormation}`, 'AwsSolutions-IAM5[Resource::*]');
      acknowledge(policy, 'CDK grants attach least-privilege statements inline to the role they serve; a separate managed policy per role would add a resource without narrowing access', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
    }
    acknowledge(apiRole.node.findChild('DefaultPolicy'), 'One schedule per request, named tessera-access-<request id> in the mesh’s own schedule group: the name is known only when a request is approved', `AwsSolutions-IAM5[Resource::${nagName(schedules, Stack.of(this))}]`);
    const policy = this.schedulerRole.node.findChild('DefaultPolicy');
    acknowledge(policy, 'CDK grants attach least-privilege statements inline to the role they serve; a separate managed policy per role would add a resource without narrowing access', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
  }
}

/** How cdk-nag names a resource: pseudo-parameter tokens as `<AWS::Region>` and so on. */
function nagName(arn: string, stack: Stack): string {
  const pseudo: [string, string][] = [[stack.partition, '<AWS::Partition>'], [stack.region, '<AWS::Region>'], [stack.account, '<AWS::AccountId>']];
  return pseudo.reduce((text, [value, name]) => (Token.isUnresolved(value) ? text.replaceAll(value, name) : text), arn);
}

/**
 * What the roles may grant and revoke, held in Lake Formation with the grant option: per domain,
 * SELECT and DESCRIBE on every table tagged with the domain (any class; a request narrows it),
 * DESCRIBE on its database, and DESCRIBE on the governance account's link to it. Re-granting a
 * narrower expression or named columns of resources held with the grant option is Lake
 * Formation's permission cascading (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-granting-tags.html).
 */
export function grantAccessRequestDomain(scope: Construct, rid: string, role: iam.IRole, config: MeshConfig, domain: MeshDomain, link: glue.CfnDatabase | undefined): void {
  if (domain.account === config.governance.account) return;
  const principal = { dataLakePrincipalIdentifier: role.roleArn };
  const expression = [{ tagKey: 'domain', tagValues: [domain.name] }];
  const name = (what: string) => `${rid}Grants${domain.name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}${what}`;
  new lakeformation.CfnPrincipalPermissions(scope, name('Tables'), { principal, resource: { lfTagPolicy: { catalogId: domain.account, resourceType: 'TABLE', expression } }, permissions: ['SELECT', 'DESCRIBE'], permissionsWithGrantOption: ['SELECT', 'DESCRIBE'] });
  new lakeformation.CfnPrincipalPermissions(scope, name('Database'), { principal, resource: { lfTagPolicy: { catalogId: domain.account, resourceType: 'DATABASE', expression } }, permissions: ['DESCRIBE'], permissionsWithGrantOption: ['DESCRIBE'] });
  if (link) {
    const grant = new lakeformation.CfnPrincipalPermissions(scope, name('Link'), { principal, resource: { database: { catalogId: config.governance.account, name: link.ref } }, permissions: ['DESCRIBE'], permissionsWithGrantOption: ['DESCRIBE'] });
    grant.addResourceDependency(link);
  }
}
