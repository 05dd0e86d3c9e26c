/** "Did you mean": the candidate nearest to a misspelt name, when it is near enough to be meant. */
import { closest, distance } from 'fastest-levenshtein';

/** The candidate equal to `value` but for case, else the nearest within a third of its length (at least 2 edits). */
export function suggest(value: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0 || value === '') return undefined;
  const lowerMatch = candidates.find((c) => c.toLowerCase() === value.toLowerCase());
  if (lowerMatch) return lowerMatch;
  const best = closest(value, [...candidates]);
  return distance(value.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(value.length / 3)) ? best : undefined;
}
