/** The `tessera.quality` event a run publishes: bounded, and never missing what the catalog judges freshness and trust on. */
import { describe, expect, it } from 'vitest';
import { MAX_FAILING_IN_EVENT, qualityEventDetailOf, type CheckResult, type QualityReport } from '../../lib/quality/run.js';

const check = (id: string, overrides: Partial<CheckResult> = {}): CheckResult => ({
  id,
  name: id,
  table: 't',
  kind: 'aggregate',
  source: 'contract',
  dimension: 'completeness',
  severity: 'warning',
  status: 'fail',
  expected: '= 0',
  actual: '1',
  ...overrides,
});

function report(results: CheckResult[]): QualityReport {
  return { product: 'p', version: '1.0.0', engine: 'duckdb', now: '2026-11-25T08:00:00.000Z', results, statements: [], rowsScanned: 0, elapsedMs: 0, skipped: [], summary: { passed: results.filter((r) => r.status === 'pass').length, failed: results.filter((r) => r.status === 'fail').length, errors: 0, failedErrorSeverity: 0 } };
}

describe('qualityEventDetailOf', () => {
  it('carries at most 100 failing checks, SLA checks first, then errors, otherwise in run order', () => {
    const warnings = Array.from({ length: 150 }, (_, i) => check(`w${i}`));
    const results = [check('ok', { status: 'pass' }), ...warnings, check('e1', { severity: 'error' }), check('t.c.latency', { source: 'sla', kind: 'age', dimension: 'timeliness', severity: 'error' })];
    const detail = qualityEventDetailOf(report(results), 'run-1');
    expect(detail.failing).toHaveLength(MAX_FAILING_IN_EVENT);
    expect(detail.failing.slice(0, 3).map((f) => f.id)).toEqual(['t.c.latency', 'e1', 'w0']);
    expect(detail.failing.map((f) => f.id)).not.toContain('ok');
    expect(detail.failing.at(-1)!.id).toBe('w97');
    expect(detail).toMatchObject({ product: 'p', version: '1.0.0', runId: 'run-1', at: '2026-11-25T08:00:00.000Z', summary: { failed: 152 } });
  });
});
