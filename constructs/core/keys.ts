/**
 * Key policy statements that services need before they can use a customer-managed key on the
 * account's behalf, and that CDK does not add by itself. Each names the service principal and holds
 * it to this account's resources.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * CloudWatch Logs refuses to create a log group with a key whose policy does not let the regional
 * logs service use it. Held to this account's log groups by encryption context (the log groups
 * refer to the key, so the key policy cannot name them: that would be a circular dependency).
 */
export function allowLogGroupEncryption(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryptLogGroups',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
    }),
  );
}

/** Keys whose policy already lets CloudWatch alarms use them (one statement per key). */
const alarmKeys = new WeakSet<kms.IKey>();

/**
 * A CloudWatch alarm's notification to an SNS topic encrypted with `key` is dropped unless the key
 * policy lets the CloudWatch service principal use it. The statement is the one the SNS guide gives
 * for AWS event sources publishing to encrypted topics: kms:GenerateDataKey* and kms:Decrypt for
 * cloudwatch.amazonaws.com, with no condition
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services;
 * also https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns). A kms:ViaService
 * condition is not part of it and is not documented to hold for this call path, so it could only
 * drop notifications. What keeps other accounts' alarms out is the topic policy (`alarmTopic`),
 * which SNS evaluates before it calls KMS: sns:Publish by CloudWatch only for alarms of this account
 * and region (aws:SourceAccount, aws:SourceArn).
 */
export function allowAlarmNotifications(key: kms.IKey): void {
  if (alarmKeys.has(key)) return;
  alarmKeys.add(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
}
