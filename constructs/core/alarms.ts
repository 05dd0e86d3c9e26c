/**
 * Tessera's alarms: the SLA alarm built from a contract's latency SLA, and the SNS topic every
 * alarm notifies.
 *
 * The topic: KMS-encrypted, TLS only, and publishable by the
 * CloudWatch alarms of this account and region. A topic policy holding only the TLS-only deny lets
 * no service publish, so every alarm action would fail ("... is not authorized to perform:
 * SNS:Publish", https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
 */
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { formatDuration } from '../../lib/quality/plan.js';
import { freshnessAlarmWindow } from '../../lib/quality/sla-alarm.js';
import type { AgeCheck } from '../../lib/quality/plan-types.js';
import type { IDataProduct } from '../data-product-base.js';
import { allowAlarmNotifications } from './keys.js';

export function alarmTopic(scope: Construct, id: string, props: { readonly displayName: string; readonly key: kms.IKey }): sns.Topic {
  const stack = Stack.of(scope);
  const topic = new sns.Topic(scope, id, { displayName: props.displayName, masterKey: props.key, enforceSSL: true });
  // The confused-deputy guard of the SNS access-control examples: the service principal may publish
  // only on behalf of alarms of this account and region
  // (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
      },
    }),
  );
  allowAlarmNotifications(props.key);
  return topic;
}

/**
 * The SLA alarm of one latency check: fires when the newest value of the check's column is older
 * than the contract's SLA, and when no quality run reported an age for as long as the SLA (missing
 * data is breaching: a product nobody measures has no evidence of meeting its SLA). The window is
 * `freshnessAlarmWindow`'s, which explains the period and evaluation it chooses.
 */
export function freshnessAlarm(scope: Construct, id: string, product: IDataProduct, check: AgeCheck): cloudwatch.Alarm {
  const window = freshnessAlarmWindow(check.maxAgeMs);
  if (window.capped) {
    Annotations.of(scope).addWarningV2('@tessera/alarms:sla-window-capped', `the latency SLA of ${product.productId} (${check.id}, ${formatDuration(check.maxAgeMs)}) is longer than CloudWatch's 7-day alarm window; a product that reports nothing alarms after 7 days`);
  }
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: `Latency SLA of ${product.productId}: the newest ${check.table}.${check.measure.column} is older than ${formatDuration(check.maxAgeMs)}, or no quality run measured it within that time`,
    metric: product.metricDataAge(check.id, { statistic: 'Maximum', period: Duration.seconds(window.periodSeconds) }),
    threshold: window.thresholdSeconds,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: window.evaluationPeriods,
    datapointsToAlarm: window.datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
}
