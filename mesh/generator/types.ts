/** The public shapes of the sample-data generator: its options and the manifest it returns. */

export interface SampleDataOptions {
  /** The folder holding mesh.yaml. */
  readonly meshDir: string;
  /** Where the Parquet files and manifest.json go; each table's folder is replaced. */
  readonly outDir: string;
  /** The day the data is "as of", `YYYY-MM-DD`; data covers the `days` complete days before it. */
  readonly asOf: string;
  /** @default 42 */
  readonly seed?: number;
  /** Multiplies row counts (customers, orders, SKUs). @default 1 */
  readonly scale?: number;
  /** Number of days of orders, stock snapshots and shipments. @default 30 */
  readonly days?: number;
}

export type DefectKind = 'nulls' | 'duplicates' | 'out-of-range' | 'stale-partition' | 'invalid-value';

/** A deliberate flaw in the sample data, which a quality rule or SLA of the contract should catch. */
export interface Defect {
  /** The contract `id` of the product. */
  readonly product: string;
  readonly table: string;
  readonly column?: string;
  readonly kind: DefectKind;
  /**
   * How many: rows with the bad value (nulls, out-of-range, invalid-value), extra rows with an
   * already-used key (duplicates), or missing newest daily partitions (stale-partition).
   */
  readonly count: number;
  readonly description: string;
}

export interface ManifestTable {
  readonly product: string;
  readonly domain: string;
  readonly table: string;
  /** The contract file, relative to the mesh directory. */
  readonly contract: string;
  readonly rows: number;
  readonly partitionKeys: readonly string[];
  /** Parquet files, relative to outDir, sorted. */
  readonly files: readonly string[];
}

export interface SampleDataManifest {
  readonly generator: 'tessera-sample-data';
  readonly mesh: string;
  /** The options that produced the data, defaults resolved (paths left out: they do not change the bytes). */
  readonly options: { readonly asOf: string; readonly seed: number; readonly scale: number; readonly days: number };
  /** First and last day of data, `YYYY-MM-DD`. */
  readonly window: { readonly from: string; readonly to: string };
  readonly tables: readonly ManifestTable[];
  readonly defects: readonly Defect[];
}
