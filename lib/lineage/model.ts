/**
 * The lineage model shared by the mesh loader, the column-lineage derivation, the `tessera lineage`
 * command and the OpenLineage events. Names follow OpenLineage's column lineage facet (1-2-0):
 * a transformation is DIRECT (the value is derived from the input) or INDIRECT (the input only
 * decides which rows or groups there are), with the facet's subtypes.
 */

/** ODPS v1.1.0 input port: a contract a product consumes, by id and version. */
export interface ProductInputPort {
  readonly name: string;
  readonly contractId: string;
  readonly version: string;
}

export type DirectSubtype = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION';
export type IndirectSubtype = 'JOIN' | 'GROUP_BY' | 'FILTER' | 'SORT' | 'WINDOW' | 'CONDITIONAL';

export type ColumnTransformation =
  | { readonly type: 'DIRECT'; readonly subtype: DirectSubtype }
  | { readonly type: 'INDIRECT'; readonly subtype: IndirectSubtype };

/** A physical column of a product table (or view), as Glue names it. */
export interface ColumnRef {
  readonly database: string;
  readonly table: string;
  readonly column: string;
}

/** One input column an output column (or the whole view, for INDIRECT) depends on, and how. */
export interface ColumnInput extends ColumnRef {
  readonly transformations: readonly ColumnTransformation[];
}

/** The column lineage of one mesh view, derived from its SQL. */
export interface ViewColumnLineage {
  readonly database: string;
  readonly view: string;
  /** Output column name → the input columns it derives from (DIRECT, possibly also INDIRECT). */
  readonly columns: Readonly<Record<string, readonly ColumnInput[]>>;
  /** Inputs that shape every output row (join keys, filters, grouping): INDIRECT, dataset level. */
  readonly dataset: readonly ColumnInput[];
}
