/**
 * Which way an SLA moved: stronger or weaker by the property's direction (latency better lower,
 * retention better higher ...), on durations, percentages, dates and times of day.
 */
import { TIME_SLA_PROPERTIES } from '../durations.js';
import type { SlaProperty } from '../model.js';
import { display, stableJson } from './text.js';

/** Properties where more is better; everything timed is better lower, except retention. */
const HIGHER_IS_BETTER = new Set(['retention', 'availability', 'throughput', 'endofsupport', 'endoflife']);
const LOWER_IS_BETTER = new Set(['latency', 'freshness', 'frequency', 'timetodetect', 'timetonotify', 'timetorepair', 'errorrate', 'timeofavailability']);

export function compareSla(b: SlaProperty, a: SlaProperty): 'same' | 'stronger' | 'weaker' | 'unknown' {
  const name = a.property.toLowerCase();
  const sameText = stableJson([b.value, b.unit ?? null, b.valueExt ?? null]) === stableJson([a.value, a.unit ?? null, a.valueExt ?? null]);
  if (sameText) return 'same';
  let vb = slaMagnitude(b);
  let va = slaMagnitude(a);
  if (TIME_SLA_PROPERTIES.has(name)) {
    // A duration whose unit we cannot read compares only with the same unit.
    const sameUnit = (b.unit ?? '').toLowerCase() === (a.unit ?? '').toLowerCase();
    vb = b.durationMs ?? (sameUnit && typeof b.value === 'number' ? b.value : undefined);
    va = a.durationMs ?? (sameUnit && typeof a.value === 'number' ? a.value : undefined);
    if ((b.durationMs === undefined) !== (a.durationMs === undefined)) return 'unknown';
  }
  if (vb === undefined || va === undefined) return 'unknown';
  if (vb === va) return 'same';
  if (HIGHER_IS_BETTER.has(name)) return va > vb ? 'stronger' : 'weaker';
  if (LOWER_IS_BETTER.has(name)) return va < vb ? 'stronger' : 'weaker';
  return 'unknown';
}

/** A comparable number for an SLA value: a duration, a percentage, a date, a time of day. */
function slaMagnitude(s: SlaProperty): number | undefined {
  if (s.durationMs !== undefined) return s.durationMs;
  const name = s.property.toLowerCase();
  const { value } = s;
  if (name === 'timeofavailability' && typeof value === 'string') {
    const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(value);
    return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : undefined;
  }
  if ((name === 'endofsupport' || name === 'endoflife') && typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
    return m ? Number(m[1]) : undefined;
  }
  return undefined;
}

export function slaText(s: SlaProperty): string {
  return `${display(s.value)}${s.unit ? ` ${s.unit}` : ''}`;
}
