/**
 * The example mesh on Trino, as it deploys: every product table created from its Glue table input
 * over the sample data, in catalog `awsdatacatalog` with partitions registered and in catalog
 * `projected` with Athena partition projection; every mesh view written into the metastore in the
 * exact form Glue stores it (a VIRTUAL_VIEW whose ViewOriginalText is the template's Presto view
 * definition), so that Trino reads it, and judges it stale or not, as Athena does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { glueTableInput, type GlueTableInput } from '../../lib/glue/table-input.js';
import { databaseNameFor } from '../../lib/glue/names.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { viewTableInput, type ViewTableInput } from '../../lib/views/athena-view.js';
import { viewsDatabaseName } from '../../lib/views/check.js';
import type { TrinoClient } from './trino.js';
import { createTableSql, syncPartitionsSql } from './trino-tables.js';

export interface TrinoMeshTable {
  readonly database: string;
  readonly input: GlueTableInput;
  readonly projected: boolean;
}

/** The Glue table inputs of every product table, located under `dataRoot/<domain>/<table>/`. */
export function meshTableInputs(mesh: Mesh, dataRoot: string): TrinoMeshTable[] {
  return mesh.products.flatMap((product) =>
    product.contract.tables.map((table) => {
      const { input, projection } = glueTableInput(product.contract, table, { locationRoot: `local://${join(dataRoot, product.domain)}/`, classifications: mesh.config.classifications });
      return { database: databaseNameFor(product.domain), input, projected: projection.enabled };
    }),
  );
}

export async function createMeshTables(client: TrinoClient, tables: readonly TrinoMeshTable[], catalogs: { registered: string; projected: string }): Promise<void> {
  for (const database of new Set(tables.map((t) => t.database))) {
    for (const catalog of Object.values(catalogs)) await client.query(`CREATE SCHEMA IF NOT EXISTS "${catalog}"."${database}"`);
  }
  for (const { database, input, projected } of tables) {
    const registered = { catalog: catalogs.registered, schema: database };
    await client.query(createTableSql(input, registered));
    if (input.partitionKeys.length > 0) await client.query(syncPartitionsSql(input, registered));
    // A table Athena cannot project keeps registered partitions in the projected catalog too.
    const other = { catalog: catalogs.projected, schema: database, projection: projected };
    await client.query(createTableSql(input, other));
    if (input.partitionKeys.length > 0 && !projected) await client.query(syncPartitionsSql(input, other));
  }
}

/** The Glue table inputs of the mesh's views, as the MeshViews construct declares them. */
export function meshViewInputs(mesh: Mesh): { database: string; input: ViewTableInput }[] {
  const database = viewsDatabaseName(mesh.config.name);
  return mesh.views.map((view) => ({ database, input: viewTableInput(view, database, mesh.config.name) }));
}

/**
 * Writes a view's Glue table into Trino's file metastore (`<dir>/<schema>/<table>/.trinoSchema`,
 * the file metastore's JSON form of a Hive table), with the view text exactly as Glue holds it.
 */
export async function writeGlueView(client: TrinoClient, metastoreDir: string, catalog: string, database: string, input: ViewTableInput): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS "${catalog}"."${database}"`);
  const dir = join(metastoreDir, database, input.name);
  mkdirSync(dir, { recursive: true });
  const table = {
    writerVersion: '476',
    owner: 'tessera',
    tableType: input.tableType,
    dataColumns: input.storageDescriptor.columns.map((c) => ({ name: c.name, type: c.type, properties: {} })),
    partitionColumns: [],
    parameters: input.parameters,
    originalStorageFormat: {},
    serdeParameters: {},
    viewOriginalText: input.viewOriginalText,
    viewExpandedText: input.viewExpandedText,
    columnStatistics: {},
  };
  writeFileSync(join(dir, '.trinoSchema'), JSON.stringify(table, null, 2));
}
