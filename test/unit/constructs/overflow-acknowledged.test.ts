/**
 * A role whose statements pass IAM's inline size gets OverflowPolicy1, 2, ... from CDK; the
 * acknowledgements written on its default policy must cover them too, or cdk-nag fails synth (the
 * cliff at 49 domains for the catalog ingest role, at 12 products for the quality state machine).
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { acknowledge, addComplianceChecks } from '../../../constructs/core/compliance.js';
import { cdkContext } from './helpers.js';

const ACCOUNTS = Array.from({ length: 300 }, (_, i) => String(200000000000 + i));
const REASON = 'Keys of the domain accounts are unknown here; decrypt is held to S3 in those accounts';

function app(ack: (policy: iam.Policy) => void): { synth: () => void; stack: Stack } {
  const a = new App({ context: cdkContext() });
  addComplianceChecks(a);
  const stack = new Stack(a, 'Overflow', { env: { account: '100000000000', region: 'eu-west-1' } });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  // One statement per account (as CDK writes distinct resources), about 60 characters each: 300 pass 10,000.
  for (const account of ACCOUNTS) role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: `Decrypt${account}`, actions: ['kms:Decrypt'], resources: [`arn:aws:kms:eu-west-1:${account}:key/*`] }));
  const policy = role.node.findChild('DefaultPolicy') as iam.Policy;
  ack(policy);
  acknowledge(policy, 'Statements written for this one role, inline beside it', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
  return { synth: () => a.synth(), stack };
}

const ids = ACCOUNTS.map((account) => `AwsSolutions-IAM5[Resource::arn:aws:kms:eu-west-1:${account}:key/*]`);

describe('acknowledging a role policy that overflows', () => {
  it('covers the overflow policies CDK splits off the default policy', () => {
    const { synth, stack } = app((policy) => acknowledge(policy, REASON, ...ids));
    expect(synth).not.toThrow();
    const overflow = stack.node.findAll().filter((c) => c.node.id.startsWith('OverflowPolicy'));
    expect(overflow.length).toBeGreaterThan(0);
  }, 120_000);

  it('fails synth when the acknowledgement stays on the default policy (the cliff this prevents)', () => {
    const { synth } = app((policy) => {
      for (const id of ids) Validations.of(policy).acknowledge({ id, reason: REASON });
    });
    expect(synth).toThrow(/OverflowPolicy/);
  }, 120_000);
});
