/** One-line texts of values for a change's before and after, and key-order-free comparison. */

export function relationshipsText(list: readonly { type: string; from: readonly string[]; to: readonly string[] }[]): string {
  return list
    .map((r) => `${r.type}: ${r.from.join('+')} -> ${r.to.join('+')}`)
    .sort()
    .join('; ');
}

/** One-line text of a value for before/after. */
export function display(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return stableJson(value);
}

/** Long descriptions shortened for a one-line report. */
export function short(text: string | undefined): string {
  if (text === undefined || text === '') return '(none)';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

/** JSON with sorted keys, so equal data compares equal regardless of key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
