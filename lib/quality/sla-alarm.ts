/**
 * How a latency (freshness) SLA becomes a CloudWatch alarm on the `DataAge` metric, as plain
 * numbers: the threshold is the SLA itself, and the window is chosen so that "no quality run
 * reported within the SLA" is a breach too (missing data counts as breaching).
 *
 * Why these numbers:
 *  - A `DataAge` data point exists only when a run measured the column. If the alarm's evaluation
 *    window covered less than the SLA, the gap between two healthy runs could look like a breach;
 *    if it covered more, a product could go silent for longer than its SLA before anyone is told.
 *    So the window is the SLA: N periods of P seconds with N × P = the SLA (rounded up to whole
 *    minutes), and the alarm fires only when all N periods breach (datapointsToAlarm = N), i.e.
 *    every period of the SLA either reported an age over the SLA or reported nothing.
 *  - PutMetricAlarm takes periods of any multiple of 60 seconds, and Period × EvaluationPeriods may
 *    not exceed 7 days, nor 1 day when the period is under an hour
 *    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
 *    One period per started day of SLA (the SLA split evenly, in whole minutes) keeps a long SLA
 *    within those limits; an SLA of at most a day is one period of its own length.
 *  - An SLA longer than 7 days cannot be one alarm window; the window is capped at 7 days (the
 *    alarm then fires earlier than the SLA for a silent product) and `capped` says so.
 */

import type { DataContract } from '../contract/model.js';
import { planQuality } from './plan.js';
import type { AgeCheck } from './plan-types.js';

const MINUTE_S = 60;
const DAY_S = 86_400;
const MAX_WINDOW_S = 7 * DAY_S;

export interface FreshnessAlarmWindow {
  /** The SLA in seconds: the alarm fires when the newest value is older than this. */
  readonly thresholdSeconds: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** The SLA was longer than CloudWatch's 7-day evaluation limit and the window was shortened. */
  readonly capped: boolean;
}

export function freshnessAlarmWindow(slaMs: number): FreshnessAlarmWindow {
  if (!Number.isFinite(slaMs) || slaMs <= 0) throw new Error(`freshnessAlarmWindow: the latency SLA must be a positive duration, got ${slaMs} ms`);
  const thresholdSeconds = slaMs / 1000;
  const window = Math.min(Math.ceil(thresholdSeconds / MINUTE_S) * MINUTE_S, MAX_WINDOW_S);
  const evaluationPeriods = Math.ceil(window / DAY_S);
  const periodSeconds = Math.ceil(window / evaluationPeriods / MINUTE_S) * MINUTE_S;
  return { thresholdSeconds, periodSeconds, evaluationPeriods, datapointsToAlarm: evaluationPeriods, capped: thresholdSeconds > MAX_WINDOW_S };
}

/** The contract's latency (freshness) SLA checks, as the quality plan names them, in table order. */
export function latencyChecks(contract: DataContract): AgeCheck[] {
  return planQuality(contract).tables.flatMap((t) => t.checks).filter((c): c is AgeCheck => c.kind === 'age' && c.measure.op === 'max');
}
