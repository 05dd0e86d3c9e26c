/**
 * Judging measured values against thresholds, with the ODCS operators' written semantics:
 * mustBe (=), mustNotBe (≠), mustBeGreaterThan (>), mustBeGreaterOrEqualTo (≥), mustBeLessThan (<),
 * mustBeLessOrEqualTo (≤), mustBeBetween [a, b] (a < v < b, bounds excluded as the standard says:
 * "equivalent to > and <"), mustNotBeBetween [a, b] (v ≤ a or v ≥ b). With `unit: percent` the
 * value is the share of rows in scope, 0..100. SLAs compare an age with the contract's duration.
 */
import type { QualityThreshold } from '../contract/model.js';
import { formatDuration } from './plan.js';

export function meetsThreshold(value: number, threshold: QualityThreshold): boolean {
  switch (threshold.operator) {
    case 'mustBe':
      return value === threshold.value;
    case 'mustNotBe':
      return value !== threshold.value;
    case 'mustBeGreaterThan':
      return value > threshold.value;
    case 'mustBeGreaterOrEqualTo':
      return value >= threshold.value;
    case 'mustBeLessThan':
      return value < threshold.value;
    case 'mustBeLessOrEqualTo':
      return value <= threshold.value;
    case 'mustBeBetween':
      return value > threshold.range[0] && value < threshold.range[1];
    case 'mustNotBeBetween':
      return value <= threshold.range[0] || value >= threshold.range[1];
  }
}

export function describeThreshold(threshold: QualityThreshold, unit: 'rows' | 'percent' = 'rows'): string {
  const u = unit === 'percent' ? '%' : '';
  switch (threshold.operator) {
    case 'mustBe':
      return `= ${threshold.value}${u}`;
    case 'mustNotBe':
      return `≠ ${threshold.value}${u}`;
    case 'mustBeGreaterThan':
      return `> ${threshold.value}${u}`;
    case 'mustBeGreaterOrEqualTo':
      return `≥ ${threshold.value}${u}`;
    case 'mustBeLessThan':
      return `< ${threshold.value}${u}`;
    case 'mustBeLessOrEqualTo':
      return `≤ ${threshold.value}${u}`;
    case 'mustBeBetween':
      return `between ${threshold.range[0]}${u} and ${threshold.range[1]}${u} (exclusive)`;
    case 'mustNotBeBetween':
      return `not between ${threshold.range[0]}${u} and ${threshold.range[1]}${u}`;
  }
}

/** Milliseconds since epoch of the moment a date or timestamp value is complete. */
export function instantOf(value: string, type: 'date' | 'timestamp'): number {
  if (type === 'date') {
    const t = Date.parse(`${value.slice(0, 10)}T00:00:00Z`);
    // A day's data is complete at the end of that day.
    return t + 86_400_000;
  }
  const normalized = value.includes('T') ? value : value.replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(normalized) ? normalized : `${normalized}Z`);
}

export function formatAge(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 2 * 86_400_000) return `${(ms / 86_400_000).toFixed(1)} d`;
  if (abs >= 2 * 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${Math.round(ms / 60_000)} min`;
}

export { formatDuration };
