/**
 * Quality thresholds as sets of accepted metric values (unions of intervals), so that any two
 * thresholds of a metric compare: the new one accepts a subset (tighter), a superset (looser),
 * the same values, or neither.
 */
import type { QualityRule, QualityThreshold } from '../model.js';

/** An interval of accepted metric values; a threshold is a union of disjoint ones. */
interface Interval {
  readonly lo: number;
  readonly loIn: boolean;
  readonly hi: number;
  readonly hiIn: boolean;
}

const INF = Number.POSITIVE_INFINITY;

function thresholdSet(t: QualityThreshold): Interval[] {
  const all = (lo: number, loIn: boolean, hi: number, hiIn: boolean): Interval => ({ lo, loIn, hi, hiIn });
  switch (t.operator) {
    case 'mustBe':
      return [all(t.value, true, t.value, true)];
    case 'mustNotBe':
      return [all(-INF, false, t.value, false), all(t.value, false, INF, false)];
    case 'mustBeGreaterThan':
      return [all(t.value, false, INF, false)];
    case 'mustBeGreaterOrEqualTo':
      return [all(t.value, true, INF, false)];
    case 'mustBeLessThan':
      return [all(-INF, false, t.value, false)];
    case 'mustBeLessOrEqualTo':
      return [all(-INF, false, t.value, true)];
    // Bounds excluded, as the standard says ("equivalent to > and <") and lib/quality evaluates.
    case 'mustBeBetween':
      return [all(t.range[0], false, t.range[1], false)];
    case 'mustNotBeBetween':
      return [all(-INF, false, t.range[0], true), all(t.range[1], true, INF, false)];
  }
}

/**
 * Restricts a threshold to the values its metric can take: whole row counts from 0, or a
 * percentage in 0..100, so `mustBe: 0` and `mustBeLessThan: 1` on rows compare as equal.
 */
function normalize(set: Interval[], unit: QualityRule['unit']): Interval[] {
  const out: Interval[] = [];
  for (const i of set) {
    let { lo, loIn, hi, hiIn } = i;
    if (unit === 'rows') {
      lo = loIn ? Math.ceil(lo) : Math.floor(lo) + 1;
      hi = hiIn ? Math.floor(hi) : Math.ceil(hi) - 1;
      loIn = true;
      hiIn = true;
      if (lo < 0) lo = 0;
      if (hi === INF) hiIn = false;
    } else {
      if (lo < 0) {
        lo = 0;
        loIn = true;
      }
      if (hi > 100) {
        hi = 100;
        hiIn = true;
      }
    }
    if (lo < hi || (lo === hi && loIn && hiIn)) out.push({ lo, loIn, hi, hiIn });
  }
  return out;
}

function within(inner: Interval, outer: Interval): boolean {
  const loOk = outer.lo < inner.lo || (outer.lo === inner.lo && (outer.loIn || !inner.loIn));
  const hiOk = outer.hi > inner.hi || (outer.hi === inner.hi && (outer.hiIn || !inner.hiIn));
  return loOk && hiOk;
}

function subset(a: Interval[], b: Interval[]): boolean {
  return a.every((i) => b.some((j) => within(i, j)));
}

export function compareThresholds(b: QualityThreshold | undefined, a: QualityThreshold | undefined, unit: QualityRule['unit']): 'same' | 'tighter' | 'looser' | 'unknown' {
  if (!b && !a) return 'same';
  if (!b || !a) return 'unknown';
  const sb = normalize(thresholdSet(b), unit);
  const sa = normalize(thresholdSet(a), unit);
  const aInB = subset(sa, sb);
  const bInA = subset(sb, sa);
  if (aInB && bInA) return 'same';
  if (aInB) return 'tighter';
  if (bInA) return 'looser';
  return 'unknown';
}

export function thresholdText(t: QualityThreshold | undefined): string {
  if (!t) return '(none)';
  return 'range' in t ? `${t.operator} [${t.range[0]}, ${t.range[1]}]` : `${t.operator} ${t.value}`;
}
