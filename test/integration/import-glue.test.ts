/**
 * `tessera import --glue` against a real Glue API (moto): tables created with CreateTable, read
 * back by the CLI through GetTable, written as a contract whose fields are checked against the
 * literal YAML below, and which `tessera validate` calls valid ODCS with readiness findings only.
 * Bad input (unknown database or table, a closed endpoint, a malformed name) is a plain error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runTessera } from '../support/cli.js';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';

const work = mkdtempSync(join(tmpdir(), 'tessera-import-glue-'));
const saved = { ...process.env };
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  // Credentials from the environment, as a user's shell has them; the endpoint only through --endpoint-url.
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_PROFILE;
  const glue = new GlueClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
  await glue.send(
    new CreateTableCommand({
      DatabaseName: 'sales',
      TableInput: {
        Name: 'order_lines',
        Description: 'One row per order line.',
        TableType: 'EXTERNAL_TABLE',
        Parameters: { classification: 'parquet', 'parquet.compression': 'SNAPPY' },
        PartitionKeys: [
          { Name: 'day', Type: 'date', Comment: 'Order day, UTC' },
          { Name: 'country', Type: 'varchar(2)' },
        ],
        StorageDescriptor: {
          Location: 's3://sales-lake/order_lines/',
          InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          Columns: [
            { Name: 'line_id', Type: 'bigint', Comment: 'Unique per line' },
            { Name: 'price', Type: 'decimal(10,2)', Comment: 'Unit price in EUR' },
            { Name: 'sku', Type: 'varchar(32)' },
            { Name: 'discounts', Type: 'array<decimal(5,2)>' },
            { Name: 'shipping', Type: 'struct<carrier:string,weight_kg:double>' },
            { Name: 'labels', Type: 'map<string,string>' },
            { Name: 'placed_at', Type: 'timestamp' },
          ],
        },
      },
    }),
  );
  glue.destroy();
}, 180_000);

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

const glueArgs = (): string[] => ['--region', TEST_REGION, '--endpoint-url', moto.endpoint];

const EXPECTED = `
apiVersion: v3.1.0
kind: DataContract
id: order-lines
name: order-lines
version: 0.1.0
status: draft
description:
  purpose: Imported by tessera import from Glue table sales.order_lines; review every field.
servers:
  - server: glue
    type: glue
    account: "123456789012"
    database: sales
    location: s3://sales-lake/order_lines/
    format: parquet
schema:
  - name: order_lines
    physicalName: order_lines
    physicalType: table
    description: One row per order line.
    properties:
      - { name: line_id, logicalType: integer, physicalType: bigint, description: Unique per line }
      - { name: price, logicalType: number, physicalType: 'decimal(10,2)', description: Unit price in EUR }
      - { name: sku, logicalType: string, physicalType: varchar(32), logicalTypeOptions: { maxLength: 32 } }
      - name: discounts
        logicalType: array
        physicalType: array<decimal(5,2)>
        items: { logicalType: number, physicalType: 'decimal(5,2)' }
      - name: shipping
        logicalType: object
        physicalType: struct<carrier:string,weight_kg:double>
        properties:
          - { name: carrier, logicalType: string, physicalType: string }
          - { name: weight_kg, logicalType: number, physicalType: double }
      - { name: labels, logicalType: object, physicalType: 'map<string,string>' }
      - { name: placed_at, logicalType: timestamp, physicalType: timestamp }
      - { name: day, logicalType: date, physicalType: date, description: 'Order day, UTC', partitioned: true, partitionKeyPosition: 1 }
      - { name: country, logicalType: string, physicalType: varchar(2), logicalTypeOptions: { maxLength: 2 }, partitioned: true, partitionKeyPosition: 2 }
    customProperties:
      - property: glueParameters
        value: { classification: parquet, parquet.compression: SNAPPY }
`;

describe('tessera import --glue on moto', () => {
  const out = join(work, 'order-lines.odcs.yaml');

  it('writes the table as a contract: types, partition keys, comments, location, parameters', async () => {
    const { code, out: printed, err } = await runTessera(work, 'import', '--glue', 'sales.order_lines', ...glueArgs(), '-o', out);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(printed).toContain('wrote order-lines.odcs.yaml: 7 columns, 2 partition keys, from Glue table sales.order_lines');
    const text = readFileSync(out, 'utf8');
    expect(parse(text)).toEqual(parse(EXPECTED));
    for (const todo of ['domain', 'team', 'support', 'classification', 'slaProperties', 'quality']) expect(text).toMatch(new RegExp(`^# TODO ${todo}:`, 'm'));
  });

  it('writes a contract tessera validate calls valid ODCS, with what is left to decide apart', async () => {
    const { code, out: printed } = await runTessera(work, 'validate', 'order-lines.odcs.yaml');
    expect(printed).toContain('valid ODCS v3.1.0');
    expect(printed).toMatch(/not deployable as a data product yet: 12 findings/);
    for (const finding of ['missing-domain', 'missing-owner', 'missing-support', 'missing-classification']) expect(printed).toContain(`[${finding}]`);
    expect(code).toBe(0);
  });

  it('prints the contract without -o', async () => {
    const { code, out: printed } = await runTessera(work, 'import', '--glue', 'sales.order_lines', ...glueArgs(), '--id', 'lines');
    expect(code).toBe(0);
    expect(parse(printed)).toMatchObject({ id: 'lines', name: 'lines' });
  });

  it.each([
    ['nosuch.order_lines', 'error: no Glue table nosuch.order_lines at ENDPOINT: Database nosuch not found.\n'],
    ['sales.nosuch', 'error: no Glue table sales.nosuch at ENDPOINT: Table nosuch not found.\n'],
  ])('says which part of %s Glue does not have (exit 1)', async (name, expected) => {
    const { code, out: printed, err } = await runTessera(work, 'import', '--glue', name, ...glueArgs());
    expect(err).toBe(expected.replace('ENDPOINT', moto.endpoint));
    expect(printed).toBe('');
    expect(code).toBe(1);
  });

  it('says the endpoint cannot be reached (exit 1), without a stack trace', async () => {
    const { code, err } = await runTessera(work, 'import', '--glue', 'sales.order_lines', '--region', TEST_REGION, '--endpoint-url', 'http://127.0.0.1:9');
    expect(err).toBe('error: cannot reach the Glue API at http://127.0.0.1:9 to read sales.order_lines: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9\n');
    expect(code).toBe(1);
  });

  it('asks for a region when neither --region nor AWS_REGION is set (exit 2)', async () => {
    const { code, err } = await withEnvironment({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: join(work, 'none') }, () =>
      runTessera(work, 'import', '--glue', 'sales.order_lines', '--endpoint-url', moto.endpoint),
    );
    expect(err).toBe('error: --region is needed: neither it nor AWS_REGION is set\n(run with --help for usage)\n');
    expect(code).toBe(2);
  });

  it('says there are no credentials (exit 1)', async () => {
    const none = join(work, 'none');
    const { code, err } = await withEnvironment(
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SHARED_CREDENTIALS_FILE: none, AWS_CONFIG_FILE: none, AWS_EC2_METADATA_DISABLED: 'true' },
      () => runTessera(work, 'import', '--glue', 'sales.order_lines', ...glueArgs()),
    );
    expect(err).toMatch(/^error: no AWS credentials to read Glue table sales\.order_lines: /);
    expect(code).toBe(1);
  });

  it.each([
    [['--glue', 'order_lines'], "error: --glue takes <database>.<table>, e.g. --glue sales.orders; got 'order_lines'"],
    [['--glue', 'a.b.c'], "error: --glue takes <database>.<table>, e.g. --glue sales.orders; got 'a.b.c'"],
    [['data', '--glue', 'sales.order_lines'], "error: give either <data> or --glue, not both (got 'data' and --glue sales.order_lines)"],
    [['--glue', 'sales.order_lines', '--region', 'eu-wets-1'], "error: 'eu-wets-1' is not an AWS region, such as eu-west-1"],
    [[], 'error: give a folder or file of Parquet data, or --glue <database>.<table>'],
    [['data', '--region', 'eu-west-1'], 'error: --region and --endpoint-url apply only to --glue'],
  ])('refuses %j as a usage error (exit 2)', async (args, message) => {
    const { code, err } = await runTessera(work, 'import', ...args);
    expect(err).toBe(`${message}\n(run with --help for usage)\n`);
    expect(code).toBe(2);
  });
});

/** Runs `body` with some environment variables set or removed, and puts them back after. */
async function withEnvironment<T>(changes: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(changes).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(changes);
  try {
    return await body();
  } finally {
    apply(previous);
  }
}
