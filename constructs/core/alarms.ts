/**
 * The SNS topic every Tessera alarm notifies: KMS-encrypted, TLS only, and publishable by the
 * CloudWatch alarms of this account and region. A topic policy holding only the TLS-only deny lets
 * no service publish, so every alarm action would fail ("... is not authorized to perform:
 * SNS:Publish", https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
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
