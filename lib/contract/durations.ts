/**
 * Durations in SLA properties (`value` + `unit`). ODCS says units "use the ISO standard" and its
 * examples write `d` and `y`; tools disagree on `m` (minutes for freshness, months for retention in
 * datacontract-cli), so we refuse `m` and ask for `min` or `mo`.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: HOUR,
  hr: HOUR,
  hour: HOUR,
  hours: HOUR,
  d: DAY,
  day: DAY,
  days: DAY,
  w: 7 * DAY,
  week: 7 * DAY,
  weeks: 7 * DAY,
  mo: 30 * DAY,
  month: 30 * DAY,
  months: 30 * DAY,
  y: 365 * DAY,
  yr: 365 * DAY,
  year: 365 * DAY,
  years: 365 * DAY,
};

export const DURATION_UNITS = 'min, h, d, w, mo, y (or their long forms: minutes, hours, days, weeks, months, years)';

/** SLA properties whose value is a duration. `freshness` is the common synonym of ODCS `latency`. */
export const TIME_SLA_PROPERTIES = new Set([
  'latency',
  'freshness',
  'retention',
  'frequency',
  'timetodetect',
  'timetonotify',
  'timetorepair',
]);

export type DurationResult = { ok: true; ms: number } | { ok: false; problem: string; fix: string };

export function parseDuration(value: unknown, unit: string | undefined): DurationResult {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return { ok: false, problem: `the value ${JSON.stringify(value)} is not a non-negative number`, fix: 'write the amount as a number, e.g. `value: 4` with `unit: h`' };
  }
  if (unit === undefined) {
    return { ok: false, problem: 'a duration needs a unit', fix: `add \`unit:\` with one of ${DURATION_UNITS}` };
  }
  const normalized = unit.trim().toLowerCase();
  if (normalized === 'm') {
    return { ok: false, problem: "the unit 'm' is ambiguous (minutes or months)", fix: "write 'min' for minutes or 'mo' for months" };
  }
  const factor = UNITS[normalized];
  if (factor === undefined) {
    return { ok: false, problem: `'${unit}' is not a time unit`, fix: `use one of ${DURATION_UNITS}` };
  }
  return { ok: true, ms: value * factor };
}
