/** Pairing the elements of two versions of a list (tables, columns, SLAs, rules). */

/**
 * Pairs elements of two lists: by the first key function, then the next on what is left, and so
 * on. A key function returning undefined does not match that element. With `uniqueKeys[i]`, key i
 * only pairs elements whose key is unique on both sides (so two rules on the same column with the
 * same metric are never paired by guess). Each pair carries the index of the key that matched.
 */
export function matchBy<T>(
  before: readonly T[],
  after: readonly T[],
  keys: readonly ((item: T) => string | undefined)[],
  options: { uniqueKeys?: readonly boolean[] } = {},
): { pairs: [T, T, number][]; removed: T[]; added: T[] } {
  const pairs: [T, T, number][] = [];
  let restBefore = [...before];
  let restAfter = [...after];
  for (const [k, key] of keys.entries()) {
    const unique = options.uniqueKeys?.[k] ?? false;
    const count = (list: readonly T[]): Map<string, number> => {
      const m = new Map<string, number>();
      for (const item of list) {
        const value = key(item);
        if (value !== undefined) m.set(value, (m.get(value) ?? 0) + 1);
      }
      return m;
    };
    const countBefore = count(restBefore);
    const countAfter = count(restAfter);
    const available = new Map<string, T[]>();
    for (const item of restAfter) {
      const value = key(item);
      if (value === undefined) continue;
      available.set(value, [...(available.get(value) ?? []), item]);
    }
    const matchedAfter = new Set<T>();
    const nextBefore: T[] = [];
    for (const item of restBefore) {
      const value = key(item);
      const candidates = value === undefined ? undefined : available.get(value);
      const ambiguous = unique && value !== undefined && ((countBefore.get(value) ?? 0) > 1 || (countAfter.get(value) ?? 0) > 1);
      const match = !ambiguous ? candidates?.shift() : undefined;
      if (match === undefined) {
        nextBefore.push(item);
      } else {
        pairs.push([item, match, k]);
        matchedAfter.add(match);
      }
    }
    restBefore = nextBefore;
    restAfter = restAfter.filter((item) => !matchedAfter.has(item));
  }
  return { pairs, removed: restBefore, added: restAfter };
}
