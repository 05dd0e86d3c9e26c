/**
 * `MeshQuery`: where analysts query the mesh. An Athena workgroup with its configuration enforced
 * (clients cannot override it), results encrypted with KMS in a bucket that expires them, a per-query
 * scan cutoff (at least Athena's 10 MB minimum), CloudWatch metrics, and an alarm when the workgroup
 * scans more than a daily budget. Query result reuse is a per-query setting in Athena: `tessera query`
 * asks for it (60 minutes by default), so a repeated query within the hour reads nothing.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmTopic } from './core/alarms.js';
import { athenaResultsBucket } from './core/buckets.js';
import { dataRemovalPolicy } from './core/removal.js';

/** Athena refuses a per-query cutoff below 10 MB. */
export const ATHENA_MIN_CUTOFF_BYTES = 10 * 1024 * 1024;

export interface MeshQueryProps {
  readonly workGroupName: string;
  readonly key: kms.IKey;
  readonly accessLogsBucket: s3.IBucket;
  /**
   * Per-query scan cutoff, in bytes (at least 10 MB).
   * @default 100 GB
   */
  readonly bytesScannedCutoffPerQuery?: number;
  /**
   * Alarm when the workgroup scans more than this many bytes in a day (Athena has no hard
   * workgroup-wide limit; the alarm is the guard).
   * @default 1 TB
   */
  readonly dailyBytesScannedAlarm?: number;
}

export class MeshQuery extends Construct {
  readonly workGroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;
  readonly dailyScanAlarm: cloudwatch.Alarm;
  readonly alarmTopic: sns.Topic;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: MeshQueryProps) {
    super(scope, id);
    this.key = props.key;
    const cutoff = props.bytesScannedCutoffPerQuery ?? 100 * 1024 ** 3;
    if (!Number.isInteger(cutoff) || cutoff < ATHENA_MIN_CUTOFF_BYTES) {
      throw new Error(`MeshQuery: bytesScannedCutoffPerQuery must be a whole number of at least ${ATHENA_MIN_CUTOFF_BYTES} bytes (Athena's minimum, 10 MB), got ${cutoff}`);
    }
    const daily = props.dailyBytesScannedAlarm ?? 1024 ** 4;
    if (daily < cutoff) throw new Error(`MeshQuery: dailyBytesScannedAlarm (${daily}) is below the per-query cutoff (${cutoff}); one query could breach it`);

    this.resultsBucket = athenaResultsBucket(this, 'Results', { key: props.key, accessLogsBucket: props.accessLogsBucket, accessLogsPrefix: 'analyst-results/', removalPolicy: dataRemovalPolicy(this) });
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description: 'Cross-product queries over the data mesh',
      recursiveDeleteOption: false,
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
        },
      },
    });

    this.alarmTopic = alarmTopic(this, 'Alarms', { displayName: `Athena spend: ${props.workGroupName}`, key: props.key });
    this.dailyScanAlarm = new cloudwatch.Alarm(this, 'DailyBytesScanned', {
      alarmDescription: `Workgroup ${props.workGroupName} scanned more than ${daily} bytes in a day`,
      metric: new cloudwatch.Metric({ namespace: 'AWS/Athena', metricName: 'ProcessedBytes', dimensionsMap: { WorkGroup: props.workGroupName }, statistic: 'Sum', period: Duration.days(1) }),
      threshold: daily,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.dailyScanAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
  }

  /**
   * Lets `grantee` (an analyst role) run queries in the workgroup and read their results: Athena's
   * query actions on this workgroup, the results location with its key, and the Glue catalog reads
   * Athena makes for the caller (https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html,
   * https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference-iam.html). What the
   * caller may read is Lake Formation's to decide: its grants, not this, open the tables.
   */
  grantQuery(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const athena = iam.Grant.addToPrincipal({
      grantee,
      actions: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetWorkGroup', 'athena:BatchGetQueryExecution', 'athena:ListQueryExecutions'],
      resourceArns: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroup.name })],
    });
    const catalog = iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'lakeformation:GetDataAccess'],
      // Every database and table of the catalog, including resource links: Lake Formation filters.
      resourceArns: ['*'],
    });
    return athena.combine(catalog).combine(this.resultsBucket.grantReadWrite(grantee, 'results/*')).combine(this.key.grantEncryptDecrypt(grantee));
  }
}
