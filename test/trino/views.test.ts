/**
 * Every mesh view on Trino, from the exact Glue table the MeshViews construct declares (the Presto
 * view definition base64-encoded in ViewOriginalText, columns and types as stored): Trino reads it
 * as Athena does, refusing it if it is stale, and its rows equal DuckDB's for the same view. The
 * stored column types must be the types Trino itself derives for the view's SQL.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DuckDbEngine } from '../../lib/engines/duckdb.js';
import { openLocalMesh } from '../../lib/engines/mesh-data.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { normalizeRows } from '../support/compare.js';
import { TrinoClient } from '../support/trino.js';
import { trinoReady } from './ready.js';
import { meshViewInputs } from '../support/trino-mesh.js';
import { root } from '../unit/constructs/helpers.js';

const tier = inject('trino');

/** Our own reading of Athena's view text: `/* Presto View: <base64 JSON> *\/`. */
interface PrestoDefinition {
  readonly originalSql: string;
  readonly catalog: string;
  readonly schema: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}
function prestoDefinition(text: string): PrestoDefinition {
  const m = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(text);
  if (!m) throw new Error(`not an Athena view text: ${text.slice(0, 40)}`);
  return JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as PrestoDefinition;
}

describe.skipIf(tier.skip !== undefined)('mesh views on Trino', async () => {
  const { mesh } = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
  const views = meshViewInputs(mesh!);
  const trino = new TrinoClient(tier.endpoint ?? '');
  let duck: DuckDbEngine;
  beforeAll(() => trinoReady(tier), 900_000);
  beforeAll(async () => {
    duck = (await openLocalMesh(mesh!, tier.dataRoot!)).engine;
    await trino.query('CREATE SCHEMA IF NOT EXISTS awsdatacatalog.tessera_derived');
  });
  afterAll(() => duck?.close());

  it('the mesh has views to check', () => {
    expect(views.map((v) => v.input.name)).toEqual(['warehouse_daily_shipments', 'stock_cover']);
  });

  describe.each(views.map((v) => [v.input.name, v] as const))('%s', (name, { database, input }) => {
    const definition = prestoDefinition(input.viewOriginalText);

    it('stores the column types Trino derives for its SQL', async () => {
      // Trino types the SQL itself when it creates a view from it, and stores that in its own definition.
      await trino.withSession({ catalog: definition.catalog, schema: definition.schema }).query(`CREATE OR REPLACE VIEW awsdatacatalog.tessera_derived."${name}" AS ${definition.originalSql}`);
      const derived = await trino.query(`SELECT column_name, data_type FROM awsdatacatalog.information_schema.columns WHERE table_schema = 'tessera_derived' AND table_name = '${name}' ORDER BY ordinal_position`);
      expect(definition.columns.map((c) => [c.name, c.type])).toEqual(derived.rows);
      expect(input.storageDescriptor.columns.map((c) => c.name)).toEqual(derived.rows.map((r) => r[0]));
    });

    it('is read from its Glue form and returns the rows DuckDB returns', async () => {
      const onTrino = await trino.query(`SELECT * FROM awsdatacatalog."${database}"."${name}"`);
      expect(onTrino.columns.map((c) => c.name)).toEqual(definition.columns.map((c) => c.name));
      expect(onTrino.rows.length).toBeGreaterThan(0);
      const local = await duck.run(`SELECT * FROM "${database}"."${name}"`);
      expect(local.columns).toEqual(onTrino.columns.map((c) => c.name));
      const types = onTrino.columns.map((c) => c.type);
      expect(normalizeRows(local.rows, types)).toEqual(normalizeRows(onTrino.rows, types));
    });
  });

  it('a view stored with other types than its SQL gives is refused as stale, as Athena refuses it', async () => {
    const { database, input } = views.find((v) => v.input.name === 'stock_cover')!;
    const definition = prestoDefinition(input.viewOriginalText);
    const narrowed = { ...definition, columns: definition.columns.map((c) => (c.name === 'stock_value' ? { ...c, type: 'decimal(18,2)' } : c)) };
    const stale = { ...input, name: 'stock_cover_stale', viewOriginalText: `/* Presto View: ${Buffer.from(JSON.stringify(narrowed)).toString('base64')} */` };
    const { writeGlueView } = await import('../support/trino-mesh.js');
    await writeGlueView(trino, join(tier.workDir!, 'metastore', 'awsdatacatalog'), 'awsdatacatalog', database, stale);
    await expect(trino.query(`SELECT * FROM awsdatacatalog."${database}".stock_cover_stale`)).rejects.toThrow(/stale/i);
  });
});
