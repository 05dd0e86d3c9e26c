/**
 * Glue table → contract skeleton: every Glue type shape maps to the ODCS fields written here by
 * hand, and the round trip holds: the imported contract, deployed again through glueTableInput,
 * describes the same Glue columns and partition keys it was imported from.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { odcsTypeOf, odcsTypeOfText } from '../../lib/contract/glue-columns.js';
import { parseGlueType } from '../../lib/contract/glue-types.js';
import { glueContractSkeleton, type GlueApiTable } from '../../lib/contract/glue-skeleton.js';
import { loadContract } from '../../lib/contract/load.js';
import { DEFAULT_CLASSIFICATIONS } from '../../lib/contract/rules.js';
import { hasErrors } from '../../lib/diagnostics.js';
import { glueTableInput } from '../../lib/glue/table-input.js';

const ORDERS: GlueApiTable = {
  Name: 'orders',
  DatabaseName: 'sales',
  CatalogId: '123456789012',
  Description: 'One row per order.',
  TableType: 'EXTERNAL_TABLE',
  Parameters: { classification: 'parquet', EXTERNAL: 'TRUE' },
  PartitionKeys: [
    { Name: 'day', Type: 'date', Comment: 'Order day (UTC)' },
    { Name: 'region', Type: 'string' },
  ],
  StorageDescriptor: {
    Location: 's3://sales-data/orders/',
    InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    Columns: [
      { Name: 'order_id', Type: 'bigint', Comment: 'The order' },
      { Name: 'amount', Type: 'decimal(12,2)' },
      { Name: 'currency', Type: 'char(3)' },
      { Name: 'customer', Type: 'varchar(40)' },
      { Name: 'tags', Type: 'array<string>' },
      { Name: 'lines', Type: 'array<struct<sku:string,qty:int>>' },
      { Name: 'attributes', Type: 'map<string,double>' },
      { Name: 'placed_at', Type: 'timestamp' },
      { Name: 'paid', Type: 'boolean' },
      { Name: 'payload', Type: 'binary' },
      { Name: 'ratio', Type: 'float' },
    ],
  },
};

const EXPECTED_PROPERTIES = [
  { name: 'order_id', logicalType: 'integer', physicalType: 'bigint', description: 'The order' },
  { name: 'amount', logicalType: 'number', physicalType: 'decimal(12,2)' },
  { name: 'currency', logicalType: 'string', physicalType: 'char(3)', logicalTypeOptions: { maxLength: 3 } },
  { name: 'customer', logicalType: 'string', physicalType: 'varchar(40)', logicalTypeOptions: { maxLength: 40 } },
  { name: 'tags', logicalType: 'array', physicalType: 'array<string>', items: { logicalType: 'string', physicalType: 'string' } },
  {
    name: 'lines',
    logicalType: 'array',
    physicalType: 'array<struct<sku:string,qty:int>>',
    items: {
      logicalType: 'object',
      physicalType: 'struct<sku:string,qty:int>',
      properties: [
        { name: 'sku', logicalType: 'string', physicalType: 'string' },
        { name: 'qty', logicalType: 'integer', physicalType: 'int' },
      ],
    },
  },
  { name: 'attributes', logicalType: 'object', physicalType: 'map<string,double>' },
  { name: 'placed_at', logicalType: 'timestamp', physicalType: 'timestamp' },
  { name: 'paid', logicalType: 'boolean', physicalType: 'boolean' },
  { name: 'payload', logicalType: 'string', physicalType: 'binary' },
  { name: 'ratio', logicalType: 'number', physicalType: 'float' },
  { name: 'day', logicalType: 'date', physicalType: 'date', description: 'Order day (UTC)', partitioned: true, partitionKeyPosition: 1 },
  { name: 'region', logicalType: 'string', physicalType: 'string', partitioned: true, partitionKeyPosition: 2 },
];

describe('Glue types to ODCS', () => {
  it.each([
    ['tinyint', { logicalType: 'integer', physicalType: 'tinyint' }],
    ['smallint', { logicalType: 'integer', physicalType: 'smallint' }],
    ['int', { logicalType: 'integer', physicalType: 'int' }],
    ['double', { logicalType: 'number', physicalType: 'double' }],
    ['decimal(38,0)', { logicalType: 'number', physicalType: 'decimal(38,0)' }],
    ['date', { logicalType: 'date', physicalType: 'date' }],
    ['struct<a:map<string,int>,b:array<date>>', {
      logicalType: 'object',
      physicalType: 'struct<a:map<string,int>,b:array<date>>',
      properties: [
        { name: 'a', logicalType: 'object', physicalType: 'map<string,int>' },
        { name: 'b', logicalType: 'array', physicalType: 'array<date>', items: { logicalType: 'date', physicalType: 'date' } },
      ],
    }],
  ])('%s', (glue, expected) => {
    expect(odcsTypeOf(parseGlueType(glue))).toEqual(expected);
  });

  it('keeps a type Glue cannot parse as written, with the reason', () => {
    const { fields, problem } = odcsTypeOfText('uniontype<int,string>');
    expect(fields).toEqual({ physicalType: 'uniontype<int,string>' });
    expect(problem).toBe("cannot map type 'uniontype<int,string>': 'uniontype' is not a type Glue or Athena can store");
  });
});

describe('glueContractSkeleton', () => {
  const skeleton = glueContractSkeleton({ database: 'sales', table: ORDERS });
  const document = parse(skeleton.text) as Record<string, unknown>;

  it('writes the columns, partition keys, comments, location and parameters', () => {
    expect(skeleton).toMatchObject({ columns: 11, partitionKeys: 2, unmapped: [] });
    expect(document).toEqual({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'orders',
      name: 'orders',
      version: '0.1.0',
      status: 'draft',
      description: { purpose: 'Imported by tessera import from Glue table sales.orders; review every field.' },
      servers: [{ server: 'glue', type: 'glue', account: '123456789012', database: 'sales', location: 's3://sales-data/orders/', format: 'parquet' }],
      schema: [
        {
          name: 'orders',
          physicalName: 'orders',
          physicalType: 'table',
          description: 'One row per order.',
          properties: EXPECTED_PROPERTIES,
          customProperties: [{ property: 'glueParameters', value: { classification: 'parquet', EXTERNAL: 'TRUE' } }],
        },
      ],
    });
  });

  it('marks what a person must still decide', () => {
    for (const todo of ['domain', 'team', 'support', 'classification', 'slaProperties', 'quality']) expect(skeleton.text).toMatch(new RegExp(`^# TODO ${todo}:`, 'm'));
  });

  it('is valid ODCS whose findings are only about readiness', () => {
    const result = loadContract(skeleton.text, 'orders.odcs.yaml', { profile: 'odcs' });
    expect(hasErrors(result.diagnostics)).toBe(false);
    const codes = new Set(loadContract(skeleton.text, 'orders.odcs.yaml').diagnostics.filter((d) => d.severity === 'error').map((d) => d.code));
    expect([...codes].sort()).toEqual(['missing-classification', 'missing-domain', 'missing-owner', 'missing-support']);
  });

  it('deploys back to the Glue columns and partition keys it came from', () => {
    const { contract } = loadContract(skeleton.text, 'orders.odcs.yaml', { profile: 'odcs' });
    const { input } = glueTableInput(contract!, contract!.tables[0]!, { locationRoot: 's3://sales-data/', classifications: ['internal'] });
    expect(input.storageDescriptor.location).toBe('s3://sales-data/orders/');
    expect(input.description).toBe('One row per order.');
    expect(input.partitionKeys).toEqual([
      { name: 'day', type: 'date', comment: 'Order day (UTC)' },
      { name: 'region', type: 'string' },
    ]);
    expect(input.storageDescriptor.columns).toEqual([
      { name: 'order_id', type: 'bigint', comment: 'The order' },
      { name: 'amount', type: 'decimal(12,2)' },
      { name: 'currency', type: 'char(3)' },
      { name: 'customer', type: 'varchar(40)' },
      { name: 'tags', type: 'array<string>' },
      { name: 'lines', type: 'array<struct<sku:string,qty:int>>' },
      { name: 'attributes', type: 'map<string,double>' },
      { name: 'placed_at', type: 'timestamp' },
      { name: 'paid', type: 'boolean' },
      { name: 'payload', type: 'binary' },
      { name: 'ratio', type: 'float' },
    ]);
  });

  it("brings back the classification and primary key of a table Tessera deployed", () => {
    const deployed: GlueApiTable = {
      Name: 'customers',
      Parameters: { 'tessera.product': 'customers', 'tessera.primary_key': 'customer_id' },
      StorageDescriptor: { Columns: [{ Name: 'customer_id', Type: 'string', Comment: 'The customer [internal]' }, { Name: 'email', Type: 'string', Comment: '[restricted]' }] },
    };
    const properties = (parse(glueContractSkeleton({ database: 'crm', table: deployed }).text) as { schema: { properties: unknown[] }[] }).schema[0]!.properties;
    expect(properties).toEqual([
      { name: 'customer_id', logicalType: 'string', physicalType: 'string', primaryKey: true, primaryKeyPosition: 1, description: 'The customer', classification: 'internal' },
      { name: 'email', logicalType: 'string', physicalType: 'string', classification: 'restricted' },
    ]);
  });

  it('keeps brackets in the comment of a table Tessera did not deploy', () => {
    const plain: GlueApiTable = { Name: 't', StorageDescriptor: { Columns: [{ Name: 'c', Type: 'int', Comment: 'Count [approx]' }] } };
    const text = glueContractSkeleton({ database: 'd', table: plain }).text;
    expect(text).toContain('description: Count [approx]');
    expect(text).not.toContain('servers:');
  });

  it('falls back to an s3 server without the account, and lists an unmappable column as a TODO', () => {
    const table: GlueApiTable = {
      Name: 'events',
      TableType: 'VIRTUAL_VIEW',
      StorageDescriptor: { Location: 's3://raw/events/', SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' }, Columns: [{ Name: 'u', Type: 'uniontype<int,string>' }] },
    };
    const result = glueContractSkeleton({ database: 'raw', table, id: 'raw-events' });
    const doc = parse(result.text) as { id: string; servers: unknown[]; schema: { physicalType: string; properties: unknown[] }[] };
    expect(doc.id).toBe('raw-events');
    expect(doc.servers).toEqual([{ server: 's3', type: 's3', location: 's3://raw/events/', format: 'json' }]);
    expect(doc.schema[0]!.physicalType).toBe('view');
    expect(doc.schema[0]!.properties).toEqual([{ name: 'u', physicalType: 'uniontype<int,string>' }]);
    expect(result.unmapped).toEqual(["column 'u': cannot map type 'uniontype<int,string>': 'uniontype' is not a type Glue or Athena can store"]);
    expect(result.text).toContain("# TODO column 'u': cannot map type");
  });
});

describe('a product Tessera deployed, imported back', () => {
  const file = new URL('../../mesh/customer/customer-profiles.odcs.yaml', import.meta.url).pathname;
  const original = loadContract(readFileSync(file, 'utf8'), file).contract!;
  const table = original.tables[0]!;
  const { input } = glueTableInput(original, table, { locationRoot: 's3://lake/customer/', classifications: DEFAULT_CLASSIFICATIONS });
  // The table as GetTable answers it: the same fields, in the Glue API's casing.
  const api = (c: { name: string; type: string; comment?: string }) => ({ Name: c.name, Type: c.type, Comment: c.comment });
  const described: GlueApiTable = {
    Name: input.name,
    CatalogId: '111122223333',
    Description: input.description,
    TableType: input.tableType,
    Parameters: input.parameters,
    PartitionKeys: input.partitionKeys.map(api),
    StorageDescriptor: { Columns: input.storageDescriptor.columns.map(api), Location: input.storageDescriptor.location, InputFormat: input.storageDescriptor.inputFormat },
  };
  const imported = loadContract(glueContractSkeleton({ database: 'customer', table: described }).text, 'imported.odcs.yaml', { profile: 'odcs' }).contract!;
  const back = imported.tables[0]!;

  it('has every column with the same Glue type, classification and description', () => {
    const view = (c: (typeof table.columns)[number]) => ({ name: c.physicalName, glueType: c.glueType, classification: c.classification, description: c.description });
    expect(back.columns.map(view)).toEqual(table.columns.map(view));
  });

  it('has the same primary key and the table description', () => {
    expect(back.primaryKey.map((c) => c.name)).toEqual(['customer_id']);
    expect(back.description).toBe('Current profile of every registered customer.');
  });
});
