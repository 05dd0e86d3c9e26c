/**
 * Calendar arithmetic on UTC days. The generator never reads the clock: every date and timestamp
 * derives from the `asOf` option, so the same options always produce the same data.
 */

export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;

/** A calendar day as `YYYY-MM-DD`. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a `YYYY-MM-DD` string, or undefined if it is not a real date. */
export function tryParseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches that.
  if (formatIsoDate(ms / MS_PER_DAY) !== text) return undefined;
  return ms / MS_PER_DAY;
}

export function parseIsoDate(text: string): number {
  const day = tryParseIsoDate(text);
  if (day === undefined) throw new Error(`invalid date '${text}': expected a real calendar date as YYYY-MM-DD`);
  return day;
}

/** `YYYY-MM-DD` for a day number (days since 1970-01-01). */
export function formatIsoDate(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Midnight UTC of a day number, as a Date. */
export function startOfDay(day: number): Date {
  return new Date(day * MS_PER_DAY);
}

/** The UTC day a timestamp falls on. */
export function dayOf(ts: Date): number {
  return Math.floor(ts.getTime() / MS_PER_DAY);
}

export function addMs(ts: Date, ms: number): Date {
  return new Date(ts.getTime() + ms);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: number): number {
  return startOfDay(day).getUTCDay();
}
