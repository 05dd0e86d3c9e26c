/**
 * Every alarm of the example mesh can reach its topic (defect 6): the topic policy lets CloudWatch
 * publish for this account's alarms, and the topic's key lets CloudWatch use it, as the SNS guide's
 * statement for AWS event sources says. Literal CloudFormation, written from the documentation.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleMeshStacks } from './helpers.js';
import { resourcesOf, type TemplateResource } from './template-json.js';

const stacks = new Map<string, { account: string; resources: Record<string, TemplateResource> }>();

beforeAll(async () => {
  const built = await exampleMeshStacks();
  stacks.set('governance', { account: '111111111111', resources: resourcesOf(Template.fromStack(built.stacks.governance)) });
  for (const [name, stack] of built.stacks.domains) stacks.set(name, { account: stack.account, resources: resourcesOf(Template.fromStack(stack)) });
}, 300_000);

const publishStatement = (account: string, topicId: string) => ({
  Sid: 'CloudWatchAlarmsPublish',
  Effect: 'Allow',
  Principal: { Service: 'cloudwatch.amazonaws.com' },
  Action: 'sns:Publish',
  Resource: { Ref: topicId },
  Condition: {
    StringEquals: { 'aws:SourceAccount': account },
    ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:eu-west-1:${account}:alarm:*`]] } },
  },
});

const keyStatement = {
  Sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
  Effect: 'Allow',
  Principal: { Service: 'cloudwatch.amazonaws.com' },
  Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  Resource: '*',
};

describe('alarm notifications', () => {
  it('every alarm notifies a topic, in every stack', () => {
    for (const [name, { resources }] of stacks) {
      const alarms = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
      expect(alarms.length, name).toBeGreaterThan(0);
      for (const [id, alarm] of alarms) {
        const actions = alarm.Properties.AlarmActions as { Ref: string }[];
        expect(actions, `${name} ${id}`).toHaveLength(1);
        expect(resources[actions[0]!.Ref]?.Type, `${name} ${id}`).toBe('AWS::SNS::Topic');
      }
    }
  });

  it("every alarm's topic lets CloudWatch publish for this account's alarms", () => {
    for (const [name, { account, resources }] of stacks) {
      const topics = new Set(Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((a) => (a.Properties.AlarmActions as { Ref: string }[])[0]!.Ref));
      for (const topicId of topics) {
        const policies = Object.values(resources).filter((r) => r.Type === 'AWS::SNS::TopicPolicy' && JSON.stringify(r.Properties.Topics) === JSON.stringify([{ Ref: topicId }]));
        expect(policies, `${name} ${topicId}`).toHaveLength(1);
        expect((policies[0]!.Properties.PolicyDocument as { Statement: unknown[] }).Statement, `${name} ${topicId}`).toContainEqual(publishStatement(account, topicId));
      }
    }
  });

  it("every alarm topic's key lets CloudWatch generate and decrypt data keys, with no kms:ViaService condition", () => {
    for (const [name, { resources }] of stacks) {
      const topics = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SNS::Topic');
      expect(topics.length, name).toBeGreaterThan(0);
      for (const [topicId, topic] of topics) {
        const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const key = resources[keyId]!;
        expect(key.Type, `${name} ${topicId}`).toBe('AWS::KMS::Key');
        const statements = (key.Properties.KeyPolicy as { Statement: { Principal?: unknown }[] }).Statement;
        expect(statements, `${name} ${topicId}`).toContainEqual(keyStatement);
        // One statement for CloudWatch per key, however many topics it encrypts.
        expect(statements.filter((s) => JSON.stringify(s.Principal) === '{"Service":"cloudwatch.amazonaws.com"}'), name).toHaveLength(1);
      }
    }
  });
});
