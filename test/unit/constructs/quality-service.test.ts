import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Mesh } from '../../../lib/mesh/load.js';
import { exampleMeshStacks } from './helpers.js';

let template: Template;
let mesh: Mesh;

beforeAll(async () => {
  let stacks;
  ({ mesh, stacks } = await exampleMeshStacks());
  template = Template.fromStack(stacks.domains.get('orders')!);
});

describe('QualityService in a domain stack', () => {
  it('runs plan → Athena (.sync, per statement, retried) → evaluate in Step Functions', () => {
    const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain(':states:::athena:startQueryExecution.sync');
    expect(definition).toContain('Athena.TooManyRequestsException');
    expect(definition).toContain('\\"Type\\":\\"Map\\"');
    expect(definition).toContain('QualityRunIncomplete');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  it('keeps runs in an encrypted DynamoDB table with point-in-time recovery, retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      }),
    });
  });

  it('runs on an Athena workgroup with enforced, KMS-encrypted results and a scan cutoff', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'tessera-quality-orders',
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: Match.anyValue(),
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }) }),
      }),
    });
  });

  it('schedules every product from its rules, or daily, with the product and contract as input', () => {
    const rules = template.findResources('AWS::Events::Rule');
    const orders = mesh.products.filter((p) => p.domain === 'orders');
    expect(Object.keys(rules)).toHaveLength(orders.length);
    for (const product of orders) {
      const rule = Object.values(rules).find((r) => JSON.stringify(r).includes(`\\"product\\":\\"${product.contract.id}\\"`));
      expect(rule, product.contract.id).toBeDefined();
      expect(JSON.stringify(rule)).toContain('_tessera/contract/1.0.0.odcs.yaml');
    }
  });

  it('alarms on error-severity failures per product, notifying an encrypted topic', () => {
    for (const product of mesh.products.filter((p) => p.domain === 'orders')) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'FailedErrorChecks',
        Namespace: 'Tessera/Quality',
        Dimensions: [{ Name: 'Product', Value: product.contract.id }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [Match.anyValue()],
      });
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('publishes to the central bus of the governance account, and nowhere else', () => {
    const busArn = `:events:${mesh.config.region}:${mesh.config.governance.account}:event-bus/tessera-${mesh.config.name}`;
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents', Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(busArn.replaceAll('.', '\\.'))])] } })]) },
    });
  });

  it('uses a current Node runtime on ARM for its handlers', () => {
    // Plan and evaluate, plus the stack's Lake Formation lockdown function (lake-formation.ts).
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Architectures: ['arm64'] }, 3);
  });
});
