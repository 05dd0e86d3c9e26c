/**
 * The OpenLineage events the governance stack writes for the example mesh, from the real derivation
 * (the views' SQL, shipments' ODPS input port): each validates against the official 2-0-2 schemas,
 * and the facets say what mesh/mesh.yaml's SQL says, written out here by hand.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { meshViewLineage } from '../../lib/lineage/columns.js';
import { meshLineageEvents } from '../../lib/lineage/openlineage/mesh.js';
import type { RunEvent } from '../../lib/lineage/openlineage/run-event.js';
import { openLineageErrors } from '../../lib/lineage/openlineage/validate.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { root } from './constructs/helpers.js';

const ATHENA = 'awsathena://athena.eu-west-1.amazonaws.com';
let events: RunEvent[];

beforeAll(async () => {
  const mesh = (await loadMeshFile(join(root, 'mesh', 'mesh.yaml'))).mesh!;
  events = meshLineageEvents({ mesh: mesh.config.name, region: mesh.config.region, at: '2026-12-02T00:00:00.000Z', products: mesh.products, views: meshViewLineage(mesh).map((lineage) => ({ lineage })) });
});

describe("the example mesh's structural OpenLineage events", () => {
  it('are one per view and one for shipments, which consumes orders through its input port', () => {
    expect(events.map((e) => [e.job.name, e.inputs.map((i) => i.name), e.outputs.map((o) => o.name)])).toEqual([
      ['ecommerce_views.warehouse_daily_shipments', ['AwsDataCatalog.shipping.shipments', 'AwsDataCatalog.orders.order_lines'], ['AwsDataCatalog.ecommerce_views.warehouse_daily_shipments']],
      ['ecommerce_views.stock_cover', ['AwsDataCatalog.inventory.stock_levels', 'AwsDataCatalog.orders.order_lines'], ['AwsDataCatalog.ecommerce_views.stock_cover']],
      ['shipments.consume', ['AwsDataCatalog.orders.orders'], ['AwsDataCatalog.shipping.shipments']],
    ]);
  });

  it('validate against the official schemas', () => {
    for (const event of events) expect(openLineageErrors(event)).toEqual([]);
  });

  it("carry stock_cover.stock_value's column lineage: CAST(st.on_hand * st.unit_cost AS decimal(20,2))", () => {
    const facet = events[1]!.outputs[0]!.facets!.columnLineage as { fields: Record<string, { inputFields: unknown[] }> };
    const transformation = [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }];
    expect(facet.fields.stock_value!.inputFields).toEqual([
      { namespace: ATHENA, name: 'AwsDataCatalog.inventory.stock_levels', field: 'on_hand', transformations: transformation },
      { namespace: ATHENA, name: 'AwsDataCatalog.inventory.stock_levels', field: 'unit_cost', transformations: transformation },
    ]);
  });
});
