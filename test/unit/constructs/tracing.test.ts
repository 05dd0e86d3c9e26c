/**
 * Every Tessera Lambda of the example mesh (`tesseraFunction`: the ones with POWERTOOLS_SERVICE_NAME)
 * runs with active X-Ray tracing, which Powertools Tracer needs to record anything, and its role may
 * write trace segments: the statement CDK adds for `Tracing.ACTIVE`, written out here by hand.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleMeshStacks } from './helpers.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
const functions: { stack: string; id: string; fn: Resource; resources: Record<string, Resource> }[] = [];

beforeAll(async () => {
  const { stacks } = await exampleMeshStacks();
  for (const stack of [stacks.foundation, ...stacks.domains.values(), stacks.governance]) {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
    for (const [id, fn] of Object.entries(resources)) {
      const env = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
      if (fn.Type === 'AWS::Lambda::Function' && env?.POWERTOOLS_SERVICE_NAME !== undefined) functions.push({ stack: stack.stackName, id, fn, resources });
    }
  }
}, 300_000);

/** The statements of every policy attached to the function's role in its stack. */
function roleStatements(resources: Record<string, Resource>, fn: Resource): unknown[] {
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: role }]))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: unknown[] }).Statement);
}

describe('tracing of the Tessera Lambdas', () => {
  it('finds the handlers of the catalog, the quality service and the Lake Formation lockdown', () => {
    const services = [...new Set(functions.map((f) => ((f.fn.Properties.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_SERVICE_NAME)))].sort();
    expect(services).toEqual(expect.arrayContaining(['tessera-catalog', 'tessera-quality']));
    expect(functions.length).toBeGreaterThanOrEqual(5);
  });

  it('traces every one actively and lets its role write trace segments', () => {
    for (const { stack, id, fn, resources } of functions) {
      expect(fn.Properties.TracingConfig, `${stack}/${id}`).toEqual({ Mode: 'Active' });
      // minimizePolicies sorts and may merge statements: some unconditioned Allow on "*" holds both actions.
      const xray = roleStatements(resources, fn).filter((st) => {
        const { Action, Effect, Resource, Condition } = st as { Action: string | string[]; Effect: string; Resource: unknown; Condition?: unknown };
        const actions = [Action].flat();
        return Effect === 'Allow' && Resource === '*' && Condition === undefined && actions.includes('xray:PutTraceSegments') && actions.includes('xray:PutTelemetryRecords');
      });
      expect(xray, `${stack}/${id}`).toHaveLength(1);
    }
  });
});
