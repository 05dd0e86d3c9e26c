/**
 * Running a synthesized Step Functions definition locally: the template's `DefinitionString` and
 * EventBridge inputs with their CloudFormation intrinsics resolved to local names, and the local
 * ASL executor (aws-local-stepfunctions) made to run on Node 20.
 */
import type { TemplateResource } from '../unit/constructs/template-json.js';

export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_REGION = 'eu-west-1';

/**
 * aws-local-stepfunctions 3.0.0, the only release the registry serves, declares Node >= 22: its
 * task timeout uses `Promise.withResolvers` (ES2024), which Node 20 lacks. This is the standard
 * definition of that one function, installed only where it is missing.
 */
export function ensurePromiseWithResolvers(): void {
  const promise = Promise as unknown as { withResolvers?: unknown };
  if (typeof promise.withResolvers === 'function') return;
  promise.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const p = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: p, resolve, reject };
  };
}

/**
 * The definition as aws-local-stepfunctions 3.0.0 reads it. That release writes a result under a
 * key named `$` for `"ResultPath": "$"` instead of replacing the state's input with it; `$` and an
 * absent ResultPath mean the same (the result becomes the output:
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html), so exactly
 * `$` is dropped and every other path runs as written.
 */
export function forLocalExecutor(definition: Record<string, unknown>): Record<string, unknown> {
  const states = Object.fromEntries(
    Object.entries(definition.States as Record<string, Record<string, unknown>>).map(([name, state]) => {
      const { ResultPath, ...rest } = state;
      const copy = ResultPath === '$' ? rest : state;
      return [name, copy.ItemProcessor ? { ...copy, ItemProcessor: forLocalExecutor(copy.ItemProcessor as Record<string, unknown>) } : copy];
    }),
  );
  return { ...definition, States: states };
}

/**
 * The name a resource has once deployed, as `Ref` returns it: its explicit name where the template
 * sets one, else its logical id in lower case (a valid bucket, table or bus name locally).
 */
export function localNameOf(logicalId: string, resources: Record<string, TemplateResource>): string {
  const resource = resources[logicalId];
  if (!resource) throw new Error(`Ref to ${logicalId}, which the template does not define`);
  const p = resource.Properties;
  const explicit = p.Name ?? p.TableName ?? p.BucketName ?? (p.DatabaseInput as { Name?: unknown } | undefined)?.Name;
  if (explicit !== undefined && typeof explicit !== 'string') throw new Error(`${logicalId}'s name is not a literal: ${JSON.stringify(explicit)}`);
  return explicit ?? logicalId.toLowerCase();
}

/** A Lambda function's ARN as `Fn::GetAtt [Id, Arn]` gives it, with the logical id as function name. */
export function localLambdaArn(logicalId: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
}

const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': LOCAL_REGION, 'AWS::AccountId': LOCAL_ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };

/** Renders a template value (a string, or `Fn::Join` over strings, `Ref` and `Fn::GetAtt ... Arn`) as deployed locally. */
export function resolveIntrinsics(value: unknown, resources: Record<string, TemplateResource>): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if ('Fn::Join' in intrinsic) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => resolveIntrinsics(p, resources)).join(separator);
  }
  if ('Ref' in intrinsic) {
    const ref = String(intrinsic.Ref);
    return PSEUDO[ref] ?? localNameOf(ref, resources);
  }
  if ('Fn::GetAtt' in intrinsic) {
    const [id, attribute] = intrinsic['Fn::GetAtt'] as [string, string];
    if (attribute === 'Arn' && resources[id]?.Type === 'AWS::Lambda::Function') return localLambdaArn(id);
    throw new Error(`resolveIntrinsics: no local value for Fn::GetAtt ${id}.${attribute}`);
  }
  throw new Error(`resolveIntrinsics: cannot render ${JSON.stringify(value)}`);
}

/** The one state machine of a template: its logical id and its ASL definition, parsed. */
export function stateMachineOf(resources: Record<string, TemplateResource>): { logicalId: string; definition: Record<string, unknown> } {
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine in the template, found ${machines.length}`);
  const [logicalId, machine] = machines[0]!;
  return { logicalId, definition: JSON.parse(resolveIntrinsics(machine.Properties.DefinitionString, resources)) as Record<string, unknown> };
}

/**
 * The execution input each EventBridge rule sends to the state machine at `time`: the target's
 * InputTransformer, with `<time>` replaced by the event's `time` field. Unquoted placeholders are
 * inserted as JSON, so a string arrives quoted:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
export function scheduledInputs(resources: Record<string, TemplateResource>, stateMachineId: string, time: string): unknown[] {
  const inputs: unknown[] = [];
  for (const rule of Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule')) {
    for (const target of (rule.Properties.Targets ?? []) as { Arn: unknown; InputTransformer?: { InputPathsMap: Record<string, string>; InputTemplate: unknown } }[]) {
      if ((target.Arn as { Ref?: string }).Ref !== stateMachineId || !target.InputTransformer) continue;
      const { InputPathsMap: paths, InputTemplate: template } = target.InputTransformer;
      if (JSON.stringify(paths) !== JSON.stringify({ time: '$.time' })) throw new Error(`scheduledInputs: only the event's time is rendered, the rule maps ${JSON.stringify(paths)}`);
      inputs.push(JSON.parse(resolveIntrinsics(template, resources).replaceAll('<time>', JSON.stringify(time))));
    }
  }
  return inputs;
}
