/**
 * The trust signal the catalog shows next to every product: one number a consumer can compare
 * across products, with a label and an explanation, computed from the product's recent quality runs.
 *
 * Formula, over the newest `TRUST_WINDOW` runs (runs without any check are ignored):
 *
 *   passRate      Q = mean over runs of  passed / (passed + failed + errors)
 *                     (a check that could not be measured counts as not passed)
 *   slaAttainment S = share of runs in which none of the product's SLA checks (latency, retention)
 *                     failed or errored; undefined when the product has no SLA check
 *   score           = round(100 × (0.7 × Q + 0.3 × S)), or round(100 × Q) without SLA checks
 *
 * Labels: `high` ≥ 90, `medium` ≥ 70, else `low`; `unknown` (score null) without any run. A newest
 * run with a failed error-severity check caps the score at 89: a product that is broken right now
 * is never labelled `high`, however good its history.
 */
import type { Trust } from './api-schema.js';

export const TRUST_WINDOW = 10;
const QUALITY_WEIGHT = 0.7;
const SLA_WEIGHT = 0.3;
const HIGH = 90;
const MEDIUM = 70;

export interface TrustRun {
  readonly at: string;
  readonly summary: { readonly passed: number; readonly failed: number; readonly errors: number; readonly failedErrorSeverity: number };
  /** The checks that did not pass (failed or error), by id. */
  readonly failing: readonly { readonly id: string }[];
}

/** Whether a run met every SLA check; null when there is no SLA check to meet. */
export function slaMet(run: Pick<TrustRun, 'failing'>, slaCheckIds: readonly string[]): boolean | null {
  if (slaCheckIds.length === 0) return null;
  const sla = new Set(slaCheckIds);
  return !run.failing.some((f) => sla.has(f.id));
}

export function computeTrust(runs: readonly TrustRun[], slaCheckIds: readonly string[]): Trust {
  const recent = [...runs]
    .filter((r) => r.summary.passed + r.summary.failed + r.summary.errors > 0)
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, TRUST_WINDOW);
  if (recent.length === 0) {
    return { score: null, label: 'unknown', runs: 0, passRate: null, slaAttainment: null, explanation: 'no quality run has been reported yet' };
  }
  const passRate = mean(recent.map((r) => r.summary.passed / (r.summary.passed + r.summary.failed + r.summary.errors)));
  const met = recent.map((r) => slaMet(r, slaCheckIds));
  const slaAttainment = slaCheckIds.length === 0 ? null : met.filter((m) => m === true).length / recent.length;
  let score = Math.round(100 * (slaAttainment === null ? passRate : QUALITY_WEIGHT * passRate + SLA_WEIGHT * slaAttainment));
  const brokenNow = recent[0]!.summary.failedErrorSeverity > 0;
  if (brokenNow) score = Math.min(score, HIGH - 1);
  const label = score >= HIGH ? 'high' : score >= MEDIUM ? 'medium' : 'low';
  const parts = [
    `${pct(passRate)} of checks passed on average over the last ${recent.length} run${recent.length === 1 ? '' : 's'}`,
    slaAttainment === null ? 'no SLA is measured' : `SLAs met in ${pct(slaAttainment)} of them`,
  ];
  if (brokenNow) parts.push(`the latest run (${recent[0]!.at}) has ${recent[0]!.summary.failedErrorSeverity} failed error-severity check(s)`);
  return { score, label, runs: recent.length, passRate: round3(passRate), slaAttainment: slaAttainment === null ? null : round3(slaAttainment), explanation: parts.join('; ') };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
