/**
 * Value bounds of logicalTypeOptions: the effective bound of an inclusive and an exclusive option,
 * and whether a new bound is tighter or looser than the old (numbers, and dates written as text).
 */

export interface Bound {
  readonly value: number | string;
  readonly exclusive: boolean;
}

/** The effective bound from an inclusive and an exclusive option (the tighter one wins). */
export function bound(options: Readonly<Record<string, unknown>>, inclusiveKey: string, exclusiveKey: string, side: 'lower' | 'upper'): Bound | undefined {
  const candidates: Bound[] = [];
  for (const [key, exclusive] of [
    [inclusiveKey, false],
    [exclusiveKey, true],
  ] as const) {
    const value = options[key];
    if (typeof value === 'number' || typeof value === 'string') candidates.push({ value, exclusive });
  }
  if (candidates.length < 2) return candidates[0];
  const [x, y] = candidates as [Bound, Bound];
  const order = compareValues(x.value, y.value);
  if (order === undefined) return x;
  if (order === 0) return y; // the exclusive one
  return (order > 0) === (side === 'lower') ? x : y;
}

/** -1/0/1, or undefined when the two values cannot be ordered (e.g. a number and a text). */
function compareValues(x: number | string, y: number | string): number | undefined {
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  if (typeof x === 'string' && typeof y === 'string') {
    const tx = Date.parse(x);
    const ty = Date.parse(y);
    if (!Number.isNaN(tx) && !Number.isNaN(ty)) return Math.sign(tx - ty);
    return x === y ? 0 : undefined;
  }
  return undefined;
}

export function compareBounds(b: Bound | undefined, a: Bound | undefined, side: 'lower' | 'upper'): 'same' | 'tighter' | 'looser' | 'unknown' {
  if (!b && !a) return 'same';
  if (!b) return 'tighter';
  if (!a) return 'looser';
  const order = compareValues(a.value, b.value);
  if (order === undefined) return 'unknown';
  if (order === 0) return a.exclusive === b.exclusive ? 'same' : a.exclusive ? 'tighter' : 'looser';
  return (order > 0) === (side === 'lower') ? 'tighter' : 'looser';
}

export function isMultiple(x: number, of: number): boolean {
  if (of === 0) return false;
  const ratio = x / of;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}
