/**
 * The example mesh's deploy order and the foundation stack, as literal CloudFormation: what a
 * domain reaches while it deploys (the bus, its policy and key, the catalog inbox) must come from a
 * stack that deploys before it, and the governance stack finds the inbox by name.
 */
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MeshStacks } from '../../../constructs/mesh-app.js';
import { exampleMeshStacks } from './helpers.js';
import { joined, resourcesOf } from './template-json.js';

let stacks: MeshStacks;
let foundation: Template;
let governance: Template;

beforeAll(async () => {
  ({ stacks } = await exampleMeshStacks());
  foundation = Template.fromStack(stacks.foundation);
  governance = Template.fromStack(stacks.governance);
});

/** Every stack `stack` waits for, directly or through others. */
function deployedBefore(stack: Stack): Set<string> {
  const seen = new Set<string>();
  const visit = (s: Stack): void => {
    for (const d of s.dependencies) {
      if (seen.has(d.stackName)) continue;
      seen.add(d.stackName);
      visit(d);
    }
  };
  visit(stack);
  return seen;
}

const accountRoot = (account: string): unknown => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] });

describe('the example mesh deploy order', () => {
  it('is foundation, then every domain, then governance', () => {
    const direct = (s: Stack): string[] => s.dependencies.map((d) => d.stackName).sort();
    expect(stacks.foundation.stackName).toBe('tessera-ecommerce-foundation');
    expect(direct(stacks.foundation)).toEqual([]);
    for (const name of ['customer', 'orders', 'inventory', 'shipping']) {
      expect(direct(stacks.domains.get(name)!), name).toEqual(['tessera-ecommerce-foundation']);
    }
    expect(direct(stacks.governance)).toEqual(['tessera-ecommerce-customer', 'tessera-ecommerce-foundation', 'tessera-ecommerce-inventory', 'tessera-ecommerce-orders', 'tessera-ecommerce-shipping']);
  });

  it('publishes every contract to a bus that a stack deployed earlier creates', () => {
    for (const [name, domain] of stacks.domains) {
      const publications = Object.values(resourcesOf(Template.fromStack(domain))).filter((r) => r.Type === 'Custom::TesseraContractPublication');
      expect(publications.length, name).toBeGreaterThan(0);
      for (const publication of publications) {
        const call = JSON.parse(joined(publication.Properties.Create)) as { parameters: { Entries: { EventBusName: string }[] } };
        expect(call.parameters.Entries[0]!.EventBusName).toBe('arn:${AWS::Partition}:events:eu-west-1:111111111111:event-bus/tessera-ecommerce');
      }
      // The stack that creates that bus, found by its name in the templates, deploys before.
      const owners = [stacks.foundation, stacks.governance, ...stacks.domains.values()].filter((s) => Object.keys(Template.fromStack(s).findResources('AWS::Events::EventBus', { Properties: { Name: 'tessera-ecommerce' } })).length > 0);
      expect(owners.map((s) => s.stackName)).toEqual(['tessera-ecommerce-foundation']);
      expect(deployedBefore(domain).has('tessera-ecommerce-foundation'), name).toBe(true);
    }
  });

  it('passes nothing between stacks through exports (they cannot cross accounts): names only', () => {
    for (const stack of [stacks.foundation, ...stacks.domains.values(), stacks.governance]) {
      const template = JSON.stringify(Template.fromStack(stack).toJSON());
      expect(template, stack.stackName).not.toContain('Fn::ImportValue');
      expect(template, stack.stackName).not.toContain('"Export"');
    }
  });

  it('keeps the bus, its key and the Lake Formation settings of the governance account out of the governance stack', () => {
    for (const type of ['AWS::Events::EventBus', 'AWS::Events::EventBusPolicy', 'AWS::Events::Rule', 'AWS::LakeFormation::Tag', 'Custom::TesseraDataLakeSettings', 'AWS::LakeFormation::DataLakeSettings']) {
      governance.resourceCountIs(type, 0);
    }
    // The only queue here is the access-request schedules' dead-letter queue, which no domain stack names.
    expect(Object.values(governance.findResources('AWS::SQS::Queue')).map((q) => (q.Properties as { QueueName?: string }).QueueName)).toEqual(['tessera-ecommerce-access-expiry-dlq']);
  });
});

describe('FoundationStack', () => {
  it('creates the central bus, encrypted with the events key, which has a fixed alias', () => {
    foundation.hasResourceProperties('AWS::Events::EventBus', { Name: 'tessera-ecommerce', KmsKeyIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } });
    foundation.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/tessera-ecommerce-events', TargetKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } });
  });

  it('lets exactly the four domain accounts put tessera.* events on the bus', () => {
    foundation.resourceCountIs('AWS::Events::EventBusPolicy', 1);
    foundation.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      Statement: {
        Sid: 'cdk-DomainsPublishTesseraEvents',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: { AWS: ['222222222222', '333333333333', '444444444444', '555555555555'].map(accountRoot) },
        Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] },
        Condition: { StringLike: { 'events:source': ['tessera.*'] } },
      },
    });
  });

  it('holds publications in a KMS-encrypted inbox for 14 days, with a dead-letter queue', () => {
    foundation.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'tessera-ecommerce-catalog-inbox',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      MessageRetentionPeriod: 1_209_600,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogDeadLetters'), 'Arn'] }, maxReceiveCount: 5 },
    });
    foundation.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'tessera-ecommerce-catalog-inbox-dlq',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      MessageRetentionPeriod: 1_209_600,
    });
  });

  it('routes publications and quality results from the bus to the inbox', () => {
    foundation.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      EventPattern: { $or: [{ source: ['tessera.catalog'], 'detail-type': ['ContractPublished'] }, { source: ['tessera.quality'] }] },
      Targets: [
        {
          Id: 'Target0',
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogEvents'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogDeadLetters'), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 10 },
        },
      ],
    });
  });

  it('owns the governance account Lake Formation settings and LF-tags', () => {
    foundation.resourceCountIs('Custom::TesseraDataLakeSettings', 1);
    foundation.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'domain', TagValues: ['customer', 'orders', 'inventory', 'shipping'] });
    foundation.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'classification', TagValues: ['public', 'internal', 'confidential', 'restricted'] });
  });
});

describe('the governance stack reads the inbox by name', () => {
  it('consumes tessera-ecommerce-catalog-inbox and decrypts with the events key by alias', () => {
    const inboxArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:eu-west-1:111111111111:tessera-ecommerce-catalog-inbox']] };
    governance.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: inboxArn, BatchSize: 10 });
    governance.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:111111111111:key/*']] },
            Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/tessera-ecommerce-events' } },
          },
        ]),
      },
    });
    governance.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: 'tessera-ecommerce-catalog-inbox-dlq' }],
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
  });
});
