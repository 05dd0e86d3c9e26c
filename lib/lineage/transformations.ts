/**
 * How column transformations combine, following OpenLineage. The subtypes are those of the column
 * lineage facet 1-2-0 (spec/facets/ColumnLineageDatasetFacet.json, and its page "Column Level Lineage
 * Dataset Facet", section "Transformation Type": website/docs/spec/facets/dataset-facets/
 * column_lineage_facet.md of OpenLineage/OpenLineage, read at commit 8f02abfb). Chaining two steps
 * (a → b, then b → c) follows OpenLineage's own `TransformationInfo.merge`
 * (client/java/src/main/java/io/openlineage/client/utils/TransformationInfo.java): an INDIRECT step stays
 * INDIRECT, and of two DIRECT steps the stronger wins, AGGREGATION over TRANSFORMATION over IDENTITY:
 * `coalesce(sum(x), 0)` is still an aggregation of x.
 */
import type { ColumnInput, ColumnRef, ColumnTransformation, DirectSubtype, IndirectSubtype } from './model.js';

/** One input column and one way an output depends on it. */
export interface Dependency {
  readonly ref: ColumnRef;
  readonly transformation: ColumnTransformation;
}

export const IDENTITY: ColumnTransformation = { type: 'DIRECT', subtype: 'IDENTITY' };
export const TRANSFORMATION: ColumnTransformation = { type: 'DIRECT', subtype: 'TRANSFORMATION' };
export const AGGREGATION: ColumnTransformation = { type: 'DIRECT', subtype: 'AGGREGATION' };

export function indirect(subtype: IndirectSubtype): ColumnTransformation {
  return { type: 'INDIRECT', subtype };
}

const DIRECT_STRENGTH: Readonly<Record<DirectSubtype, number>> = { AGGREGATION: 0, TRANSFORMATION: 1, IDENTITY: 2 };

/** The transformation of a → c, given a → b (`inner`) and b → c (`outer`). */
export function chain(inner: ColumnTransformation, outer: ColumnTransformation): ColumnTransformation {
  if (inner.type === 'INDIRECT') return inner;
  if (outer.type === 'INDIRECT') return outer;
  return DIRECT_STRENGTH[outer.subtype] < DIRECT_STRENGTH[inner.subtype] ? outer : inner;
}

/** Every dependency seen through one more step `outer`. */
export function through(deps: readonly Dependency[], outer: ColumnTransformation): Dependency[] {
  return deps.map((d) => ({ ref: d.ref, transformation: chain(d.transformation, outer) }));
}

/** The same columns, now in a clause that decides rows (join, filter, grouping, order, window). */
export function asIndirect(deps: readonly Dependency[], subtype: IndirectSubtype): Dependency[] {
  return deps.map((d) => ({ ref: d.ref, transformation: indirect(subtype) }));
}

const ORDER: readonly string[] = ['DIRECT/IDENTITY', 'DIRECT/TRANSFORMATION', 'DIRECT/AGGREGATION', 'INDIRECT/JOIN', 'INDIRECT/GROUP_BY', 'INDIRECT/FILTER', 'INDIRECT/SORT', 'INDIRECT/WINDOW', 'INDIRECT/CONDITIONAL'];

export function refKey(ref: ColumnRef): string {
  return `${ref.database}.${ref.table}.${ref.column}`;
}

/** Dependencies grouped by input column (sorted), each with its distinct transformations (DIRECT first). */
export function groupInputs(deps: readonly Dependency[]): ColumnInput[] {
  const byRef = new Map<string, { ref: ColumnRef; kinds: Map<string, ColumnTransformation> }>();
  for (const d of deps) {
    const key = refKey(d.ref);
    const entry = byRef.get(key) ?? { ref: d.ref, kinds: new Map<string, ColumnTransformation>() };
    entry.kinds.set(`${d.transformation.type}/${d.transformation.subtype}`, d.transformation);
    byRef.set(key, entry);
  }
  return [...byRef.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { ref, kinds }]) => ({
      database: ref.database,
      table: ref.table,
      column: ref.column,
      transformations: [...kinds.entries()].sort(([a], [b]) => ORDER.indexOf(a) - ORDER.indexOf(b)).map(([, t]) => t),
    }));
}
