/**
 * An acknowledgment records no stack trace when the app's context turns metadata stack traces off
 * (`aws:cdk:disable-stack-trace`), as CDK's own metadata does; aws-cdk-lib records one whatever the
 * context says. Without that context the trace is CDK's, naming the code that acknowledged.
 */
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { acknowledge } from '../../../constructs/core/compliance.js';

const REASON = 'A reason long enough for the acknowledgment helper';

/** The traces of the acknowledgment metadata on a construct acknowledged under `context`. */
function acknowledgmentTraces(context: Record<string, unknown>): string[][] {
  const stack = new Stack(new App({ context }), 'S');
  acknowledge(stack, REASON, 'AwsSolutions-IAM5', 'AwsSolutions-L1');
  return stack.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.trace ?? []);
}

describe('acknowledgments and stack traces', () => {
  it('records one per rule without a trace of the code when the context turns stack traces off, and leaves the limit as it was', () => {
    const limit = Error.stackTraceLimit;
    const traces = acknowledgmentTraces({ 'aws:cdk:disable-stack-trace': true });
    expect(traces).toHaveLength(2);
    for (const trace of traces) expect(trace.join('\n')).not.toContain('acknowledge-trace.test.ts');
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('keeps CDK’s trace, which names this file, when the context does not', () => {
    const traces = acknowledgmentTraces({});
    expect(traces).toHaveLength(2);
    for (const trace of traces) expect(trace.join('\n')).toContain('acknowledge-trace.test.ts');
  });
});
