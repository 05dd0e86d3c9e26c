/**
 * Construct ids derived from names users choose (contract ids, table names), never from list
 * positions or tokens: a resource's logical id then survives reordering and unrelated edits.
 */

/** `order-lines` → `OrderLines`. */
export function constructIdFor(name: string): string {
  const id = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  if (id === '') throw new Error(`cannot derive a construct id from '${name}'`);
  return id;
}
