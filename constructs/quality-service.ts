/**
 * `QualityService`: scheduled quality runs for the products of one domain. Per run, a Step
 * Functions state machine invokes the plan Lambda (contract → Athena statements), runs every
 * statement through Athena with the `.sync` integration (so a long scan holds no Lambda), then the
 * evaluate Lambda judges the results and records them: a DynamoDB table of runs, CloudWatch metrics
 * per product and check with an alarm on error-severity failures and one per latency SLA, a
 * dashboard per product (`ProductDashboard`), and a `tessera.quality` event on
 * the mesh's central bus. Athena throttling and Lambda faults are retried with backoff; a statement
 * that still fails is reported as unmeasured checks and fails the execution, never passes silently.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RoleGrants } from './core/role-grants.js';
import { allQualityRules } from '../lib/contract/model.js';
import { eventBridgeCron } from '../lib/quality/schedule.js';
import { qualityWorkGroupName } from '../lib/mesh/layout.js';
import { alarmTopic, freshnessAlarm } from './core/alarms.js';
import { latencyChecks } from '../lib/quality/sla-alarm.js';
import { ProductDashboard } from './product-dashboard.js';
import { athenaResultsBucket } from './core/buckets.js';
import { acknowledge, acknowledgeBucketGrant } from './core/compliance.js';
import { constructIdFor } from './core/ids.js';
import { tesseraFunction } from './core/functions.js';
import { dataRemovalPolicy } from './core/removal.js';
import type { DataProduct } from './data-product.js';
import { QUALITY_METRIC_NAMESPACE } from '../lib/quality/telemetry.js';

export interface QualityServiceProps {
  readonly domain: string;
  /** The Glue database holding the domain's product tables. */
  readonly database: string;
  readonly products: readonly DataProduct[];
  /** Encrypts the runs table, Athena results and logs. */
  readonly key: kms.IKey;
  readonly accessLogsBucket: s3.IBucket;
  /** ARN of the central bus that receives `tessera.quality` events. */
  readonly centralBusArn: string;
  /**
   * When a product's checks run, unless its rules say (`schedule` with `scheduler: cron`).
   * @default daily at 06:00 UTC
   */
  readonly defaultSchedule?: events.Schedule;
  /**
   * Athena's per-query scan cutoff for quality statements.
   * @default 1 TB
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

/** Where the workgroup writes statement results, in the results bucket. */
const RESULTS_PREFIX = 'results/';

export class QualityService extends Construct {
  readonly runsTable: dynamodb.Table;
  readonly stateMachine: sfn.StateMachine;
  readonly workGroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;
  readonly alarms: ReadonlyMap<string, cloudwatch.Alarm> = new Map();
  /** Per product, one alarm per latency SLA of its contract (`freshnessAlarm`). */
  readonly slaAlarms: ReadonlyMap<string, readonly cloudwatch.Alarm[]> = new Map();
  /** Per product, its CloudWatch dashboard. */
  readonly dashboards: ReadonlyMap<string, ProductDashboard> = new Map();
  /** Where every quality alarm notifies; subscribe the domain team to it. */
  readonly alarmTopic: sns.Topic;
  private readonly planFn: lambda.Function;
  private readonly evaluateFn: lambda.Function;
  private readonly notify: cloudwatchActions.SnsAction;
  private readonly defaultSchedule?: events.Schedule;

  constructor(scope: Construct, id: string, props: QualityServiceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = dataRemovalPolicy(this);

    this.runsTable = new dynamodb.Table(this, 'Runs', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });
    acknowledge(this.runsTable, 'Quality runs are written a few times a day per product; on-demand capacity scales with that and never needs auto scaling', 'NIST.800.53.R5-DynamoDBAutoscalingEnabled', 'HIPAA.Security-DynamoDBAutoscalingEnabled', 'PCI.DSS.321-DynamoDBAutoscalingEnabled');
    acknowledge(this.runsTable, 'Point-in-time recovery covers the runs table; a separate AWS Backup plan is an account-wide choice', 'NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBInBackupPlan');

    this.resultsBucket = athenaResultsBucket(this, 'AthenaResults', { key: props.key, accessLogsBucket: props.accessLogsBucket, accessLogsPrefix: 'quality-athena-results/', removalPolicy });

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: qualityWorkGroupName(props.domain),
      description: `Tessera quality checks of domain ${props.domain}`,
      recursiveDeleteOption: false,
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 1024 ** 4,
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
        },
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      },
    });

    const planFn = this.handler('Plan', 'plan-handler', props, Duration.minutes(2));
    const evaluateFn = this.handler('Evaluate', 'evaluate-handler', props, Duration.minutes(5), {
      RUNS_TABLE: this.runsTable.tableName,
      EVENT_BUS_NAME: props.centralBusArn,
    });
    this.planFn = planFn;
    this.evaluateFn = evaluateFn;
    this.defaultSchedule = props.defaultSchedule;
    grantContractReads([planFn, evaluateFn], props.products);
    this.runsTable.grantWriteData(evaluateFn);
    this.resultsBucket.grantRead(evaluateFn);
    evaluateFn.addToRolePolicy(new iam.PolicyStatement({ actions: ['athena:GetQueryExecution', 'athena:GetQueryResults'], resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroup.name })] }));
    evaluateFn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': QUALITY_METRIC_NAMESPACE } } }));
    evaluateFn.addToRolePolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.centralBusArn] }));

    this.stateMachine = this.buildStateMachine(planFn, evaluateFn, props);
    for (const product of props.products) product.grantRead(this.stateMachine);
    this.grantQueries(props);

    this.alarmTopic = alarmTopic(this, 'Alarms', { displayName: `Tessera quality alarms: ${props.domain}`, key: props.key });
    this.notify = new cloudwatchActions.SnsAction(this.alarmTopic);
    for (const product of props.products) this.monitor(this, product);
    const runsFailed = new cloudwatch.Alarm(this, 'RunsFailed', {
      alarmDescription: `A quality run of domain ${props.domain} failed or was incomplete`,
      metric: this.stateMachine.metricFailed({ period: Duration.hours(6), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    runsFailed.addAlarmAction(this.notify);
    this.acknowledgeFindings(planFn, evaluateFn, props);
  }

  /**
   * Runs the quality checks of `products` too, with their schedules, alarms and dashboards built in
   * `scope`: a product group of the domain (constructs/product-group-stack.ts). What the service's
   * roles need for them (the contracts, the tables, their partitions) goes into managed policies of
   * `scope`'s stack (`RoleGrants`), so the domain stack and its roles' inline policies do not grow
   * with the group.
   */
  addProducts(scope: Construct, products: readonly DataProduct[]): void {
    const reads = [this.planFn, this.evaluateFn].map((fn) => RoleGrants.of(scope, fn.role!));
    grantContractReads(reads, products);
    const machine = RoleGrants.of(scope, this.stateMachine.role);
    for (const product of products) product.grantRead(machine);
    const tables = tableArns(Stack.of(scope), products[0]?.databaseName, products);
    if (tables.length > 0) machine.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadPartitions', actions: ['glue:BatchGetPartition'], resources: tables }));
    for (const product of products) this.monitor(scope, product);
    for (const read of reads) for (const product of products) acknowledgeBucketGrant(read, product.bucket, product.contractObjectKey);
  }

  /** A product's schedule (the state machine's input names its contract), error-check and SLA alarms, and dashboard, in `scope`. */
  private monitor(scope: Construct, product: DataProduct): void {
    const contract = product.contract;
    const cron = allQualityRules(contract).map((r) => (r.scheduler === undefined || r.scheduler === 'cron' ? r.schedule : undefined)).find((s) => s !== undefined);
    const expression = cron ? eventBridgeCron(cron) : undefined;
    const productId = constructIdFor(contract.id);
    new events.Rule(scope, `Schedule${productId}`, {
      description: `Quality checks of ${contract.id} (${expression ?? 'default schedule'})`,
      schedule: expression ? events.Schedule.expression(expression) : (this.defaultSchedule ?? events.Schedule.cron({ minute: '0', hour: '6' })),
      targets: [
        new targets.SfnStateMachine(this.stateMachine, {
          input: events.RuleTargetInput.fromObject({
            product: contract.id,
            contractBucket: product.bucket.bucketName,
            contractKey: product.contractObjectKey,
            database: product.databaseName,
            now: events.EventField.time,
          }),
        }),
      ],
    });
    const errorChecks = new cloudwatch.Alarm(scope, `ErrorChecks${productId}`, {
      alarmDescription: `An error-severity quality check of ${contract.id} failed or could not be measured`,
      metric: product.metricFailedChecks(),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // A silent product is the SLA alarms' to report (missing data breaching there).
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: true,
    });
    (this.alarms as Map<string, cloudwatch.Alarm>).set(contract.id, errorChecks);
    const checks = latencyChecks(contract);
    const sla = checks.map((check) => freshnessAlarm(scope, `Sla${productId}${constructIdFor(check.id)}`, product, check));
    (this.slaAlarms as Map<string, cloudwatch.Alarm[]>).set(contract.id, sla);
    for (const alarm of [errorChecks, ...sla]) alarm.addAlarmAction(this.notify);
    (this.dashboards as Map<string, ProductDashboard>).set(contract.id, new ProductDashboard(scope, `Dashboard${productId}`, { product, latencyChecks: checks, alarms: [errorChecks, ...sla] }));
  }

  /**
   * What the state machine's role needs to run a statement through Athena and wait for it: the
   * Athena calls on its workgroup and the data catalog, Glue reads of the products' tables (the
   * products' grantRead gives the rest), and the results location: Athena writes the results with
   * the caller's credentials, in multipart uploads, encrypted with the key.
   */
  private grantQueries(props: QualityServiceProps): void {
    const stack = Stack.of(this);
    const role = this.stateMachine.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunStatements',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroup.name })],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadDataCatalog', actions: ['athena:GetDataCatalog'], resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })] }),
    );
    const tables = tableArns(stack, props.database, props.products);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadPartitions',
        actions: ['glue:BatchGetPartition'],
        resources: [stack.formatArn({ service: 'glue', resource: 'catalog' }), stack.formatArn({ service: 'glue', resource: 'database', resourceName: props.database }), ...tables],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteResults',
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [this.resultsBucket.arnForObjects(`${RESULTS_PREFIX}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ResultsBucket', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [this.resultsBucket.bucketArn] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ResultsAndDataKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.key.keyArn] }),
    );
  }

  private handler(id: string, file: 'plan-handler' | 'evaluate-handler', props: QualityServiceProps, timeout: Duration, environment: Record<string, string> = {}): lambda.Function {
    return tesseraFunction(this, id, { handler: `quality/${file}`, timeout, key: props.key, service: 'tessera-quality', environment });
  }


  private buildStateMachine(planFn: lambda.IFunction, evaluateFn: lambda.IFunction, props: QualityServiceProps): sfn.StateMachine {
    const retryLambda = { errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 4 };
    const plan = new tasks.LambdaInvoke(this, 'PlanChecks', { lambdaFunction: planFn, payloadResponseOnly: true, resultPath: '$' });
    plan.addRetry(retryLambda);

    // The Athena .sync integration written out as a state of its own: CDK's
    // AthenaStartQueryExecution task grants s3:CreateBucket and s3:GetObject on every bucket and
    // Glue's create and delete actions on the whole database whatever its props say. The
    // statement's results go where the workgroup enforces (its ResultConfiguration wins over any in
    // the request), so the role is granted that location, the Glue reads of the products' tables and
    // the Athena calls of the integration (https://docs.aws.amazon.com/step-functions/latest/dg/athena-iam.html).
    const query = new sfn.CustomState(this, 'RunStatement', {
      stateJson: {
        Type: 'Task',
        Resource: `arn:${Stack.of(this).partition}:states:::athena:startQueryExecution.sync`,
        Parameters: {
          'QueryString.$': '$.sql',
          WorkGroup: this.workGroup.name,
          // Static: every product of the domain lives in its database.
          QueryExecutionContext: { Database: props.database },
        },
        ResultSelector: { 'queryExecutionId.$': '$.QueryExecution.QueryExecutionId' },
        ResultPath: '$.result',
      },
    });
    query.addRetry({ errors: ['Athena.TooManyRequestsException', 'Athena.InternalServerException', 'States.Timeout'], interval: Duration.seconds(10), backoffRate: 2, maxAttempts: 5 });
    query.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 2 });
    const succeeded = new sfn.Pass(this, 'StatementDone', { parameters: { 'id.$': '$.id', 'queryExecutionId.$': '$.result.queryExecutionId' } });
    const failed = new sfn.Pass(this, 'StatementFailed', { parameters: { 'id.$': '$.id', 'error.$': '$.error' } });
    query.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });

    const eachStatement = new sfn.Map(this, 'EachStatement', {
      itemsPath: '$.statements',
      maxConcurrency: 4,
      itemSelector: { 'id.$': '$$.Map.Item.Value.id', 'sql.$': '$$.Map.Item.Value.sql' },
      resultPath: '$.executions',
    });
    eachStatement.itemProcessor(query.next(succeeded));

    const evaluate = new tasks.LambdaInvoke(this, 'EvaluateChecks', {
      lambdaFunction: evaluateFn,
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({
        'product.$': '$.product',
        'contractBucket.$': '$.contractBucket',
        'contractKey.$': '$.contractKey',
        'database.$': '$.database',
        'now.$': '$.now',
        'runId.$': '$$.Execution.Name',
        'executions.$': '$.executions',
      }),
      resultPath: '$.summary',
    });
    evaluate.addRetry(retryLambda);
    const complete = new sfn.Choice(this, 'AllMeasured')
      .when(sfn.Condition.numberGreaterThan('$.summary.errors', 0), new sfn.Fail(this, 'RunIncomplete', { error: 'QualityRunIncomplete', cause: 'Some checks could not be measured; see the run in the runs table' }))
      .otherwise(new sfn.Succeed(this, 'RunComplete'));

    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: props.key, removalPolicy: dataRemovalPolicy(this) });
    return new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(eachStatement).next(evaluate).next(complete)),
      timeout: Duration.hours(6),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
  }

  private acknowledgeFindings(planFn: lambda.Function, evaluateFn: lambda.Function, props: QualityServiceProps): void {
    for (const fn of [planFn, evaluateFn]) {
      acknowledge(fn, 'Quality Lambdas talk only to AWS service endpoints (S3, Athena, DynamoDB, CloudWatch, EventBridge) and hold no network resources; VPC placement is a per-account network choice', 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
      acknowledge(fn, 'Step Functions invokes these Lambdas synchronously, retries them with backoff and fails the execution (alarmed) when they fail; an asynchronous DLQ would never receive anything', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
      acknowledge(fn, 'At most four runs per domain overlap and the state machine bounds them; reserved concurrency would take capacity from the account', 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency');
      acknowledge(fn, 'The basic execution policy is the AWS managed policy for writing the function’s own logs', 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]');
      acknowledge(fn.role!.node.findChild('DefaultPolicy'), `X-Ray trace segments and CloudWatch metrics have no resource-level permissions (metrics are limited to the ${QUALITY_METRIC_NAMESPACE} namespace by condition)`, 'AwsSolutions-IAM5[Resource::*]');
      for (const product of props.products) acknowledgeBucketGrant(fn, product.bucket, product.contractObjectKey);
    }
    acknowledgeBucketGrant(evaluateFn, this.resultsBucket, '');
    const smPolicy = this.stateMachine.role.node.findChild('DefaultPolicy');
    acknowledge(smPolicy, 'Step Functions may invoke any published version of its own two Lambdas (the :* suffix CDK grants), nothing else', `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(planFn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`, `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(evaluateFn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`);
    const stack = Stack.of(this);
    acknowledge(smPolicy, 'X-Ray trace segments and lakeformation:GetDataAccess have no resource-level permissions; Lake Formation grants decide what the vended credentials reach', 'AwsSolutions-IAM5[Resource::*]');
    acknowledge(
      smPolicy,
      'Athena writes each statement’s results as new objects under the workgroup’s results prefix, whose keys it chooses; nothing outside that prefix is writable',
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.resultsBucket.node.defaultChild as s3.CfnBucket)}.Arn>/${RESULTS_PREFIX}*]`,
    );
    const eventsRole = this.node.findAll().find((c) => c.node.path.endsWith('/EventsRole/DefaultPolicy'));
    if (eventsRole) acknowledge(eventsRole, 'The role EventBridge uses to start the state machine holds one statement for it, inline as CDK writes it', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
  }
}

/** Lets the quality Lambdas (or their stand-ins in a product group) read each product's stored contract. */
function grantContractReads(grantees: readonly iam.IGrantable[], products: readonly DataProduct[]): void {
  for (const product of products) for (const grantee of grantees) product.bucket.grantRead(grantee, product.contractObjectKey);
}

/** The Glue table ARNs of `products`' tables in `database`, in `stack`'s account and region. */
function tableArns(stack: Stack, database: string | undefined, products: readonly DataProduct[]): string[] {
  return products.flatMap((p) => [...p.tables.values()].map((t) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/${t.ref}` })));
}
