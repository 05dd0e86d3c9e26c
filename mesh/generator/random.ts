/**
 * Seeded randomness. Each table (and the defect injector) draws from its own Faker instance, seeded
 * from the run's seed and a stream name, so changing how one table is generated does not shift the
 * values of every other table.
 */
import { Faker, base, en } from '@faker-js/faker';

export type Random = Faker;

/** A Faker instance for one named stream of a seeded run. */
export function createRandom(seed: number, stream: string): Random {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(streamSeed(seed, stream));
  return faker;
}

/** FNV-1a over `seed:stream`: a stable 32-bit seed per stream. */
function streamSeed(seed: number, stream: string): number {
  let hash = 0x811c9dc5;
  for (const ch of `${seed}:${stream}`) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** True with probability `p`. */
export function chance(random: Random, p: number): boolean {
  return random.number.float({ min: 0, max: 1 }) < p;
}

/** An element drawn with the given relative weights. */
export function weighted<T>(random: Random, choices: readonly (readonly [T, number])[]): T {
  return random.helpers.weightedArrayElement(choices.map(([value, weight]) => ({ value, weight })));
}

/** `count` distinct indexes in [0, size), in ascending order. */
export function sampleIndexes(random: Random, size: number, count: number): number[] {
  if (count > size) throw new Error(`cannot pick ${count} distinct rows out of ${size}`);
  const all = Array.from({ length: size }, (_, i) => i);
  return random.helpers.arrayElements(all, count).sort((a, b) => a - b);
}

/** Rounds to `digits` decimals (for doubles; decimals are kept in integer cents). */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
