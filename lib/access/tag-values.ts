/**
 * Lake Formation's limits on LF-tag values, and how Tessera stays inside them. The LF-tag API takes
 * at most 50 values in one call (CreateLFTag, UpdateLFTag) and a tag holds at most 1,000 values
 * ("LFTag", Lake Formation API Reference, https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_LFTag.html:
 * "The maximum number of values that can be defined for a LF-Tag is 1000. A single API call supports
 * 50 values"; the 1,000 is a soft quota, "AWS Lake Formation endpoints and quotas",
 * https://docs.aws.amazon.com/general/latest/gr/lake-formation.html). A tag expression's condition
 * is an LFTag too, so it also takes at most 50 values.
 */

/** Values one LF-tag API call (and one expression condition) takes. */
export const LF_TAG_VALUES_PER_CALL = 50;
/** Values one LF-tag holds in all (the default quota). */
export const LF_TAG_VALUES_MAX = 1000;

/** `values` in consecutive batches of at most `size`, in order (an empty list gives no batch). */
export function batches<T>(values: readonly T[], size = LF_TAG_VALUES_PER_CALL): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batches: size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

export interface TagValueUpdate {
  /** UpdateLFTag calls, each with at most `size` TagValuesToAdd. */
  readonly add: string[][];
  /** UpdateLFTag calls, each with at most `size` TagValuesToDelete. */
  readonly remove: string[][];
}

/**
 * The UpdateLFTag batches that take a tag's extra values from `before` to `after`, given the values
 * the tag holds now (`current`, from GetLFTag): add what `after` wants and the tag lacks (so a value
 * lost meanwhile, say by an update of the tag resource owning the first batch, comes back), remove
 * what left the list and the tag still has. Nothing is sent twice, so running it again sends nothing.
 */
export function tagValueUpdate(current: readonly string[], before: readonly string[], after: readonly string[], size = LF_TAG_VALUES_PER_CALL): TagValueUpdate {
  const has = new Set(current);
  const wanted = new Set(after);
  const add = [...wanted].filter((v) => !has.has(v));
  const remove = [...new Set(before)].filter((v) => !wanted.has(v) && has.has(v));
  return { add: batches(add, size), remove: batches(remove, size) };
}
