/**
 * Values from two engines made comparable by the type Trino gives the column: decimals as strings
 * at their scale, integers as decimal strings, doubles to 12 significant digits, dates as
 * YYYY-MM-DD and timestamps as YYYY-MM-DD HH:MM:SS.fff. Rows are compared as multisets: neither
 * engine promises an order without ORDER BY.
 */
export function normalizeValue(value: unknown, trinoType: string): string | null {
  if (value === null || value === undefined) return null;
  const type = trinoType.toLowerCase();
  const decimal = /^decimal\(\d+,\s*(\d+)\)$/.exec(type);
  if (decimal) {
    const scale = Number(decimal[1]);
    return typeof value === 'number' ? value.toFixed(scale) : fixScale(String(value), scale);
  }
  if (/^(tinyint|smallint|integer|bigint)$/.test(type)) return BigInt(String(value)).toString();
  if (type === 'double' || type === 'real') return Number(value).toPrecision(12);
  if (type === 'date') return String(value).slice(0, 10);
  if (type.startsWith('timestamp')) {
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(String(value));
    if (!m) return String(value);
    return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
  }
  if (type === 'boolean') return String(value === true || value === 'true');
  return String(value);
}

function fixScale(text: string, scale: number): string {
  const [whole, fraction = ''] = text.split('.');
  return scale === 0 ? whole! : `${whole}.${fraction.padEnd(scale, '0')}`;
}

export function normalizeRows(rows: readonly (readonly unknown[])[], types: readonly string[]): string[] {
  return rows.map((row) => JSON.stringify(row.map((v, i) => normalizeValue(v, types[i] ?? 'varchar')))).sort();
}
