/**
 * Events the catalog rule cannot deliver are dead-lettered, and EventBridge may deliver to both of
 * its KMS-encrypted queues (defect 9): literal CloudFormation, written from the EventBridge guide's
 * DLQ permissions (queue policy for events.amazonaws.com on this rule, key policy for the service).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleMeshStacks } from './helpers.js';
import { resourcesOf, type TemplateResource } from './template-json.js';

let governance: Record<string, TemplateResource>;

beforeAll(async () => {
  // The bus, the catalog inbox and their key are the foundation stack's (it deploys first).
  governance = resourcesOf(Template.fromStack((await exampleMeshStacks()).stacks.foundation));
}, 300_000);

const idOf = (type: string, prefix: string): string => {
  const ids = Object.keys(governance).filter((id) => governance[id]!.Type === type && id.startsWith(prefix));
  expect(ids, prefix).toHaveLength(1);
  return ids[0]!;
};

describe('the catalog rule and its dead-letter queue', () => {
  it('dead-letters what it cannot deliver to the events queue after ten retries or a day', () => {
    const rule = governance[idOf('AWS::Events::Rule', 'CatalogRoutingRule')]!;
    expect(rule.Properties.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [idOf('AWS::SQS::Queue', 'CatalogEvents'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf('AWS::SQS::Queue', 'CatalogDeadLetters'), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 10 },
      },
    ]);
  });

  it('lets EventBridge send to the encrypted dead-letter queue for this rule only', () => {
    const deadLetters = idOf('AWS::SQS::Queue', 'CatalogDeadLetters');
    const policy = governance[idOf('AWS::SQS::QueuePolicy', 'CatalogDeadLettersPolicy')]!;
    const allows = (policy.Properties.PolicyDocument as { Statement: { Effect: string; Sid?: string }[] }).Statement.filter((s) => s.Effect === 'Allow').map(({ Sid: _sid, ...rest }) => rest);
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [deadLetters, 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [idOf('AWS::Events::Rule', 'CatalogRoutingRule'), 'Arn'] } } },
      },
    ]);
    expect(governance[deadLetters]!.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [idOf('AWS::KMS::Key', 'Key'), 'Arn'] });
  });

  it("lets EventBridge use the queues' key, for this account only", () => {
    const key = governance[idOf('AWS::KMS::Key', 'Key')]!;
    expect((key.Properties.KeyPolicy as { Statement: unknown[] }).Statement).toContainEqual({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
  });
});
