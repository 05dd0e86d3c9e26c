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

/**
 * A CloudWatch alarm's notification to an SNS topic encrypted with `key` is dropped unless
 * CloudWatch may use the key; SNS uses it on CloudWatch's behalf, so only through SNS.
 */
export function allowAlarmNotifications(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `sns.${stack.region}.amazonaws.com` } },
    }),
  );
}
