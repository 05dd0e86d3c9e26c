/**
 * Values from two engines made comparable by the type Trino gives the column: decimals as strings
 * at their scale, integers as decimal strings, doubles to 12 significant digits, dates as
 * YYYY-MM-DD and timestamps as YYYY-MM-DD HH:MM:SS.fff. Rows are compared as multisets: neither
 * engine promises an order without ORDER BY.
 */
import type { QualityReport } from '../../lib/quality/run.js';

export function normalizeValue(value: unknown, trinoType: string): string | null {
  if (value === null || value === undefined) return null;
  const type = trinoType.toLowerCase();
  const array = /^array\((.+)\)$/.exec(type);
  if (array) {
    // Trino sends arrays as JSON arrays; the DuckDB engine's cells carry them as JSON text.
    const items = (typeof value === 'string' ? JSON.parse(value) : value) as unknown[];
    return JSON.stringify(items.map((v) => normalizeValue(v, array[1]!)));
  }
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : JSON.stringify(value);
  const decimal = /^decimal\(\d+,\s*(\d+)\)$/.exec(type);
  if (decimal) {
    const scale = Number(decimal[1]);
    return typeof value === 'number' ? value.toFixed(scale) : fixScale(text, scale);
  }
  if (/^(tinyint|smallint|integer|bigint)$/.test(type)) return BigInt(text).toString();
  if (type === 'double' || type === 'real') return Number(text).toPrecision(12);
  if (type === 'date') return text.slice(0, 10);
  if (type.startsWith('timestamp')) {
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(text);
    return m ? `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}` : text;
  }
  if (type === 'boolean') return String(value === true || value === 'true');
  return text;
}

function fixScale(text: string, scale: number): string {
  const [whole, fraction = ''] = text.split('.');
  return scale === 0 ? whole! : `${whole}.${fraction.padEnd(scale, '0')}`;
}

/** Timestamps in report text as Trino prints them (always milliseconds); DuckDB drops a zero fraction. */
export function normalizeTimestampsInText(text: string): string {
  return text.replace(/(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?/g, (_, base: string, fraction?: string) => `${base}.${(fraction ?? '').padEnd(3, '0').slice(0, 3)}`);
}

/** Rows in their order, each value normalized by its column's Trino type. */
export function normalizeRowsInOrder(rows: readonly (readonly unknown[])[], types: readonly string[]): string[] {
  return rows.map((row) => JSON.stringify(row.map((v, i) => normalizeValue(v, types[i] ?? 'varchar'))));
}

export function normalizeRows(rows: readonly (readonly unknown[])[], types: readonly string[]): string[] {
  return normalizeRowsInOrder(rows, types).sort();
}

/**
 * What two engines' quality reports must agree on: every check's verdict and measured value, as
 * the report states them (timestamps in the text at millisecond precision: Trino prints `.000`,
 * DuckDB drops it).
 */
export function verdicts(report: QualityReport): { id: string; status: string; value?: number; actual: string }[] {
  return report.results.map((r) => ({ id: r.id, status: r.status, value: r.value, actual: normalizeTimestampsInText(r.actual) }));
}
