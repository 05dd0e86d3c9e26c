/** The classification ontology is ordered, least to most sensitive. */

/** The most sensitive of `values` by the ontology's order (unknown or missing values are ignored). */
export function mostSensitive(values: readonly (string | undefined)[], ontology: readonly string[]): string | undefined {
  let best = -1;
  for (const value of values) {
    const rank = value === undefined ? -1 : ontology.indexOf(value);
    if (rank > best) best = rank;
  }
  return best >= 0 ? ontology[best] : undefined;
}

/** Columns grouped by classification, in ontology order; for one LF-tag association per value. */
export function groupByClassification<T extends { readonly classification?: string }>(items: readonly T[], ontology: readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of ontology) {
    const members = items.filter((i) => i.classification === value);
    if (members.length > 0) groups.set(value, members);
  }
  return groups;
}
