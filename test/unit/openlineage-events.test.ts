import { describe, expect, it } from 'vitest';
import type { ProductPage } from '../../lib/catalog/api-schema.js';
import type { ViewColumnLineage } from '../../lib/lineage/model.js';
import { meshLineageEvents } from '../../lib/lineage/openlineage/mesh.js';
import { runIdFor } from '../../lib/lineage/openlineage/naming.js';
import { publicationEvent, publicationRunId } from '../../lib/lineage/openlineage/publication.js';
import { qualityRunEvent } from '../../lib/lineage/openlineage/quality.js';
import { openLineageErrors } from '../../lib/lineage/openlineage/validate.js';
import { productLineageEvent, viewEvent } from '../../lib/lineage/openlineage/view.js';

const PRODUCER = 'https://www.npmjs.com/package/tessera-mesh';
const FACETS = 'https://openlineage.io/spec/facets';
const ATHENA = 'awsathena://athena.eu-west-1.amazonaws.com';

const page: ProductPage = {
  id: 'orders',
  name: 'Orders',
  version: '1.2.0',
  status: 'active',
  domain: 'sales',
  database: 'sales',
  description: { purpose: 'Every order placed in the shop.' },
  tags: [],
  team: { name: 'sales-data' },
  owners: [{ username: 'ana', role: 'owner' }],
  support: [],
  slas: [],
  slaChecks: [],
  tables: [
    {
      name: 'orders',
      physicalName: 'orders',
      description: 'One row per order.',
      athenaTable: 'sales.orders',
      sampleQuery: 'SELECT 1',
      columns: [
        { name: 'order_id', physicalName: 'order_id', type: 'string', description: 'The order.', required: true, unique: true },
        { name: 'amount', physicalName: 'amount', type: 'decimal(10,2)', required: false, unique: false },
      ],
      primaryKey: ['order_id'],
      partitionKeys: [],
    },
  ],
};

const publication = () => publicationEvent({ mesh: 'shop', page, sha256: 'a'.repeat(64), account: '111111111111', region: 'eu-west-1', publishedAt: '2026-12-01T10:00:00.000Z', correlationId: '0b5c4a52-3f8e-4c1a-9d0e-5c1f2b3a4d5e' });

const quality = (failed = false) =>
  qualityRunEvent({
    mesh: 'shop',
    region: 'eu-west-1',
    product: 'orders',
    database: 'sales',
    runId: 'run-2026-12-01',
    at: '2026-12-01T11:00:00.000Z',
    failed,
    tables: [
      {
        table: 'orders',
        rowCount: 42,
        assertions: [
          { assertion: 'not_null', success: true, column: 'order_id', severity: 'error', name: 'orders.order_id.required' },
          { assertion: 'row_count', success: false, severity: 'warning', name: 'orders.*.row_count', expected: '>= 100', actual: '42' },
        ],
      },
    ],
  });

// Written by hand: stock_value = qty * price (DIRECT TRANSFORMATION), warehouse as is, a join on sku.
const stockCover: ViewColumnLineage = {
  database: 'shop_views',
  view: 'stock_cover',
  columns: {
    warehouse: [{ database: 'logistics', table: 'stock', column: 'warehouse', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }],
    stock_value: [
      { database: 'logistics', table: 'stock', column: 'qty', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }] },
      { database: 'catalog', table: 'products', column: 'price', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }] },
    ],
  },
  dataset: [
    { database: 'logistics', table: 'stock', column: 'sku', transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] },
    { database: 'catalog', table: 'products', column: 'sku', transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] },
  ],
};

const view = () => viewEvent({ mesh: 'shop', region: 'eu-west-1', lineage: stockCover, sql: 'SELECT s.warehouse, s.qty * p.price AS stock_value FROM logistics.stock s JOIN catalog.products p ON s.sku = p.sku', at: '2026-12-01T09:00:00.000Z' });

const product = () =>
  productLineageEvent({
    mesh: 'shop',
    region: 'eu-west-1',
    consumer: { product: 'stock-cover', database: 'planning', tables: ['cover'] },
    inputs: [
      { product: 'stock', database: 'logistics', tables: ['stock'] },
      { product: 'products', database: 'catalog', tables: ['products'] },
    ],
    at: '2026-12-01T09:00:00.000Z',
  });

describe('OpenLineage events validate against the official 2-0-2 schemas', () => {
  it.each([
    ['publication', publication],
    ['quality run', () => quality(false)],
    ['failed quality run', () => quality(true)],
    ['view', view],
    ['product', product],
  ])('%s', (_, make) => {
    expect(openLineageErrors(make())).toEqual([]);
  });

  it('fails when a required field of the event is dropped', () => {
    const { producer: _, ...event } = publication();
    expect(openLineageErrors(event).map((e) => e.message).join('\n')).toContain('producer');
  });

  it("fails when a facet misses a field its own schema requires (the core schema alone would not see it)", () => {
    const event = structuredClone(quality()) as unknown as { inputs: { inputFacets: { dataQualityAssertions: { assertions: { success?: boolean }[] } } }[] };
    delete event.inputs[0]!.inputFacets.dataQualityAssertions.assertions[0]!.success;
    expect(openLineageErrors(event)).toEqual([expect.objectContaining({ path: '/inputs/0/inputFacets/dataQualityAssertions/assertions/0', message: expect.stringContaining('success') as unknown })]);
  });

  it('fails on a run id that is not a UUID and an unknown event type', () => {
    const event = { ...publication(), eventType: 'DONE', run: { runId: 'run-1' } };
    const paths = openLineageErrors(event).map((e) => e.path);
    expect(paths).toContain('/run/runId');
    expect(paths).toContain('/eventType');
  });
});

describe('run ids', () => {
  it('are RFC 9562 version 5 UUIDs (values from Python uuid.uuid5 with the same namespace)', () => {
    expect(runIdFor('quality/shop/orders/run-2026-12-01')).toBe('f48d0559-a26e-5eeb-9073-7c981f1a9ecf');
    expect(publicationRunId('shop', 'orders', '1.2.0', 'a'.repeat(64))).toBe('7f3f84e8-142e-544c-8a41-8c8352eb1f14');
  });
});

describe('event contents', () => {
  it('a publication: the tables with schema, ownership, documentation and a symlink to the Glue table', () => {
    expect(publication()).toEqual({
      eventType: 'COMPLETE',
      eventTime: '2026-12-01T10:00:00.000Z',
      producer: PRODUCER,
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '0b5c4a52-3f8e-4c1a-9d0e-5c1f2b3a4d5e' },
      job: {
        namespace: 'tessera://shop',
        name: 'orders.publish',
        facets: { jobType: { _producer: PRODUCER, _schemaURL: `${FACETS}/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet`, processingType: 'BATCH', integration: 'TESSERA', jobType: 'PUBLICATION' } },
      },
      inputs: [],
      outputs: [
        {
          namespace: ATHENA,
          name: 'AwsDataCatalog.sales.orders',
          facets: {
            schema: {
              _producer: PRODUCER,
              _schemaURL: `${FACETS}/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet`,
              fields: [
                { name: 'order_id', type: 'string', description: 'The order.', ordinal_position: 1 },
                { name: 'amount', type: 'decimal(10,2)', ordinal_position: 2 },
              ],
            },
            ownership: { _producer: PRODUCER, _schemaURL: `${FACETS}/1-0-1/OwnershipDatasetFacet.json#/$defs/OwnershipDatasetFacet`, owners: [{ name: 'team:sales-data', type: 'TEAM' }, { name: 'user:ana', type: 'owner' }] },
            documentation: { _producer: PRODUCER, _schemaURL: `${FACETS}/1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet`, description: 'One row per order.' },
            symlinks: { _producer: PRODUCER, _schemaURL: `${FACETS}/1-0-1/SymlinksDatasetFacet.json#/$defs/SymlinksDatasetFacet`, identifiers: [{ namespace: 'arn:aws:glue:eu-west-1:111111111111', name: 'table/sales/orders', type: 'TABLE' }] },
          },
        },
      ],
    });
  });

  it('a quality run: each table an input with its assertions and metrics; FAIL when the run failed', () => {
    const event = quality(false);
    expect(event.eventType).toBe('COMPLETE');
    expect(quality(true).eventType).toBe('FAIL');
    expect(event.run).toEqual({ runId: 'f48d0559-a26e-5eeb-9073-7c981f1a9ecf' });
    expect(event.job.name).toBe('orders.quality');
    expect(event.outputs).toEqual([]);
    expect(event.inputs).toEqual([
      {
        namespace: ATHENA,
        name: 'AwsDataCatalog.sales.orders',
        inputFacets: {
          dataQualityAssertions: {
            _producer: PRODUCER,
            _schemaURL: `${FACETS}/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet`,
            assertions: [
              { assertion: 'not_null', success: true, column: 'order_id', severity: 'error', name: 'orders.order_id.required' },
              { assertion: 'row_count', success: false, severity: 'warning', name: 'orders.*.row_count', expected: '>= 100', actual: '42' },
            ],
          },
          dataQualityMetrics: { _producer: PRODUCER, _schemaURL: `${FACETS}/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet`, rowCount: 42, columnMetrics: {} },
        },
      },
    ]);
  });

  it("a view: the product tables in, the view out with its column lineage", () => {
    const event = view();
    expect(event.job.name).toBe('shop_views.stock_cover');
    expect(event.job.facets.sql).toEqual({ _producer: PRODUCER, _schemaURL: `${FACETS}/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet`, query: expect.stringContaining('JOIN catalog.products') as unknown, dialect: 'athena' });
    expect(event.inputs).toEqual([
      { namespace: ATHENA, name: 'AwsDataCatalog.logistics.stock' },
      { namespace: ATHENA, name: 'AwsDataCatalog.catalog.products' },
    ]);
    expect(event.outputs).toEqual([
      {
        namespace: ATHENA,
        name: 'AwsDataCatalog.shop_views.stock_cover',
        facets: {
          columnLineage: {
            _producer: PRODUCER,
            _schemaURL: `${FACETS}/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet`,
            fields: {
              warehouse: { inputFields: [{ namespace: ATHENA, name: 'AwsDataCatalog.logistics.stock', field: 'warehouse', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }] },
              stock_value: {
                inputFields: [
                  { namespace: ATHENA, name: 'AwsDataCatalog.logistics.stock', field: 'qty', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }] },
                  { namespace: ATHENA, name: 'AwsDataCatalog.catalog.products', field: 'price', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }] },
                ],
              },
            },
            dataset: [
              { namespace: ATHENA, name: 'AwsDataCatalog.logistics.stock', field: 'sku', transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] },
              { namespace: ATHENA, name: 'AwsDataCatalog.catalog.products', field: 'sku', transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] },
            ],
          },
        },
      },
    ]);
  });

  it("a product's input ports: the consumed products' tables in, its own out", () => {
    const event = product();
    expect(event.job).toMatchObject({ namespace: 'tessera://shop', name: 'stock-cover.consume' });
    expect(event.inputs).toEqual([
      { namespace: ATHENA, name: 'AwsDataCatalog.logistics.stock' },
      { namespace: ATHENA, name: 'AwsDataCatalog.catalog.products' },
    ]);
    expect(event.outputs).toEqual([{ namespace: ATHENA, name: 'AwsDataCatalog.planning.cover' }]);
  });
});

describe('meshLineageEvents', () => {
  const product = (id: string, domain: string, tables: string[], inputPorts?: { name: string; contractId: string; version: string }[]) =>
    ({ domain, contract: { id, domain, tables: tables.map((physicalName) => ({ physicalName })) }, inputPorts }) as unknown as Parameters<typeof meshLineageEvents>[0]['products'][number];

  it('makes one event per view and per product whose input ports name products of the mesh', () => {
    const events = meshLineageEvents({
      mesh: 'shop',
      region: 'eu-west-1',
      at: '2026-12-01T00:00:00.000Z',
      products: [
        product('stock', 'logistics', ['stock']),
        product('cover', 'planning', ['cover'], [
          { name: 'stock-in', contractId: 'stock', version: '1.0.0' },
          { name: 'elsewhere', contractId: 'not-in-the-mesh', version: '1.0.0' },
        ]),
        product('lonely', 'planning', ['lonely'], [{ name: 'nowhere', contractId: 'not-in-the-mesh', version: '1.0.0' }]),
      ],
      views: [{ lineage: stockCover }],
    });
    expect(events.map((e) => [e.job.name, e.inputs.map((i) => i.name), e.outputs.map((o) => o.name)])).toEqual([
      ['shop_views.stock_cover', ['AwsDataCatalog.logistics.stock', 'AwsDataCatalog.catalog.products'], ['AwsDataCatalog.shop_views.stock_cover']],
      ['cover.consume', ['AwsDataCatalog.logistics.stock'], ['AwsDataCatalog.planning.cover']],
    ]);
    for (const event of events) expect(openLineageErrors(event)).toEqual([]);
  });
});
