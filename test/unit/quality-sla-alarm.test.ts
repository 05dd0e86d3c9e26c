import { describe, expect, it } from 'vitest';
import { freshnessAlarmWindow } from '../../lib/quality/sla-alarm.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('freshnessAlarmWindow: the SLA alarm window from a latency SLA', () => {
  it('an SLA of 2 d (the example contracts): two one-day periods that must both breach, threshold 172800 s', () => {
    expect(freshnessAlarmWindow(2 * DAY)).toEqual({ thresholdSeconds: 172_800, periodSeconds: 86_400, evaluationPeriods: 2, datapointsToAlarm: 2, capped: false });
  });

  it('an SLA of at most a day is one period of its own length', () => {
    expect(freshnessAlarmWindow(30 * MINUTE)).toEqual({ thresholdSeconds: 1800, periodSeconds: 1800, evaluationPeriods: 1, datapointsToAlarm: 1, capped: false });
    expect(freshnessAlarmWindow(DAY)).toEqual({ thresholdSeconds: 86_400, periodSeconds: 86_400, evaluationPeriods: 1, datapointsToAlarm: 1, capped: false });
    // 90 s: CloudWatch periods are whole minutes, so the window rounds up to 120 s; the threshold stays 90 s.
    expect(freshnessAlarmWindow(90_000)).toEqual({ thresholdSeconds: 90, periodSeconds: 120, evaluationPeriods: 1, datapointsToAlarm: 1, capped: false });
  });

  it('an SLA of 36 h is split evenly into two periods of 18 h (64800 s), not rounded up to two days', () => {
    expect(freshnessAlarmWindow(36 * HOUR)).toEqual({ thresholdSeconds: 129_600, periodSeconds: 64_800, evaluationPeriods: 2, datapointsToAlarm: 2, capped: false });
  });

  it('an SLA over 7 days is capped at seven one-day periods (604800 s, the PutMetricAlarm limit)', () => {
    expect(freshnessAlarmWindow(10 * DAY)).toEqual({ thresholdSeconds: 864_000, periodSeconds: 86_400, evaluationPeriods: 7, datapointsToAlarm: 7, capped: true });
    expect(freshnessAlarmWindow(7 * DAY)).toEqual({ thresholdSeconds: 604_800, periodSeconds: 86_400, evaluationPeriods: 7, datapointsToAlarm: 7, capped: false });
  });

  it('refuses a duration that is not positive', () => {
    expect(() => freshnessAlarmWindow(0)).toThrow(/positive duration, got 0 ms/);
    expect(() => freshnessAlarmWindow(Number.NaN)).toThrow(/positive duration/);
  });
});
