/**
 * The OpenLineage events of the mesh's structure, written when the governance stack deploys:
 *
 * - per mesh view, a run of the job `<views database>.<view>` reading the product tables it selects
 *   from and writing the view, with the view's column lineage (`ViewColumnLineage`, derived from its
 *   SQL) as the output's columnLineage facet and the SQL as the job's sql facet;
 * - per product with input ports, a run of the job `<product>.consume` reading the tables of the
 *   products it consumes and writing its own: lineage at product level, no columns.
 */
import type { ColumnInput, ViewColumnLineage } from '../model.js';
import { columnLineageFacet, documentationFacet, sqlFacet, type InputField } from './facets.js';
import { athenaDataset, runIdFor, type DatasetId } from './naming.js';
import { runEvent, type RunEvent } from './run-event.js';

export interface ViewLineage {
  readonly mesh: string;
  readonly region: string;
  readonly lineage: ViewColumnLineage;
  readonly sql?: string;
  readonly description?: string;
  /** When the view was deployed. */
  readonly at: string;
}

export function viewEvent(v: ViewLineage): RunEvent {
  const field = (input: ColumnInput): InputField => ({
    ...athenaDataset(v.region, input.database, input.table),
    field: input.column,
    transformations: input.transformations.map((t) => ({ type: t.type, subtype: t.subtype })),
  });
  const all = [...Object.values(v.lineage.columns).flat(), ...v.lineage.dataset];
  const inputs = unique(all.map((i) => athenaDataset(v.region, i.database, i.table)));
  const fields = Object.fromEntries(Object.entries(v.lineage.columns).map(([column, sources]) => [column, sources.map(field)]));
  const output = athenaDataset(v.region, v.lineage.database, v.lineage.view);
  return runEvent({
    mesh: v.mesh,
    job: `${v.lineage.database}.${v.lineage.view}`,
    jobType: 'VIEW',
    jobFacets: v.sql ? { sql: sqlFacet(v.sql) } : {},
    runId: runIdFor(`view/${v.mesh}/${v.lineage.database}.${v.lineage.view}/${JSON.stringify(v.lineage)}/${v.sql ?? ''}`),
    eventTime: v.at,
    inputs,
    outputs: [
      {
        ...output,
        facets: { columnLineage: columnLineageFacet(fields, v.lineage.dataset.map(field)), ...(v.description ? { documentation: documentationFacet(v.description) } : {}) },
      },
    ],
  });
}

/** A product's tables, resolved from the mesh (database and physical table names). */
export interface ProductTables {
  readonly product: string;
  readonly database: string;
  readonly tables: readonly string[];
}

export interface ProductLineage {
  readonly mesh: string;
  readonly region: string;
  readonly consumer: ProductTables;
  /** The products its input ports name (`MeshProduct.inputPorts`), resolved to their tables. */
  readonly inputs: readonly ProductTables[];
  readonly at: string;
}

export function productLineageEvent(p: ProductLineage): RunEvent {
  const datasets = (t: ProductTables) => t.tables.map((table) => athenaDataset(p.region, t.database, table));
  return runEvent({
    mesh: p.mesh,
    job: `${p.consumer.product}.consume`,
    jobType: 'PRODUCT',
    runId: runIdFor(`product/${p.mesh}/${p.consumer.product}/${JSON.stringify(p.inputs)}`),
    eventTime: p.at,
    inputs: unique(p.inputs.flatMap(datasets)),
    outputs: datasets(p.consumer),
  });
}

function unique(datasets: readonly DatasetId[]): DatasetId[] {
  const seen = new Map<string, DatasetId>();
  for (const d of datasets) seen.set(`${d.namespace}\n${d.name}`, { namespace: d.namespace, name: d.name });
  return [...seen.values()];
}
