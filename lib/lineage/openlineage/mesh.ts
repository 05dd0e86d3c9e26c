/**
 * The OpenLineage events of a mesh's structure, which the governance stack writes to the catalog at
 * deploy time: one per mesh view with its column lineage, one per product that has input ports.
 */
import { databaseNameFor } from '../../glue/names.js';
import type { MeshProduct } from '../../mesh/load.js';
import type { ViewColumnLineage } from '../model.js';
import type { DescribedView } from '../../views/describe.js';
import type { RunEvent } from './run-event.js';
import { productLineageEvent, viewEvent, type ProductTables } from './view.js';

export interface MeshLineageInput {
  readonly mesh: string;
  readonly region: string;
  /** The events' time: when this structure was deployed. */
  readonly at: string;
  readonly products: readonly Pick<MeshProduct, 'domain' | 'contract' | 'inputPorts'>[];
  /** Each view's column lineage (derived from its SQL), with the view's SQL and description when known. */
  readonly views: readonly { readonly lineage: ViewColumnLineage; readonly sql?: string; readonly description?: string }[];
}

/** Each view's column lineage with its SQL and description, as `MeshLineageInput.views` takes them. */
export function describedViewLineage(lineage: readonly ViewColumnLineage[], views: readonly DescribedView[]): MeshLineageInput['views'] {
  const described = new Map(views.map((v) => [v.view.name, v.view]));
  return lineage.map((l) => ({ lineage: l, sql: described.get(l.view)?.sql, description: described.get(l.view)?.description }));
}

export function meshLineageEvents(input: MeshLineageInput): RunEvent[] {
  const tablesOf = new Map<string, ProductTables>(
    input.products.map((p) => [p.contract.id, { product: p.contract.id, database: databaseNameFor(p.contract.domain ?? p.domain), tables: p.contract.tables.map((t) => t.physicalName) }]),
  );
  const products = input.products.flatMap((p) => {
    // A port naming a contract outside the mesh is `tessera validate`'s to report; it has no tables here.
    const inputs = (p.inputPorts ?? []).flatMap((port) => tablesOf.get(port.contractId) ?? []);
    return inputs.length > 0 ? [productLineageEvent({ mesh: input.mesh, region: input.region, consumer: tablesOf.get(p.contract.id)!, inputs, at: input.at })] : [];
  });
  const views = input.views.map((v) => viewEvent({ mesh: input.mesh, region: input.region, lineage: v.lineage, sql: v.sql, description: v.description, at: input.at }));
  return [...views, ...products];
}
