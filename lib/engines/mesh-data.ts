/**
 * The whole example mesh on DuckDB: every product's tables registered under the names Athena uses
 * in the governance account (`<domain database>.<table>`), so the same cross-product SQL runs
 * locally and in the analysts' workgroup. The mesh's views are created too, in `<mesh>_views`.
 */
import type { Mesh } from '../mesh/load.js';
import { viewsDatabaseName } from '../views/check.js';
import { DuckDbEngine } from './duckdb.js';
import { registerContractData, type RegisteredTable } from './local-data.js';

export async function openLocalMesh(mesh: Mesh, dataRoot: string): Promise<{ engine: DuckDbEngine; tables: (RegisteredTable & { database: string })[] }> {
  const engine = await DuckDbEngine.create();
  try {
    const tables: (RegisteredTable & { database: string })[] = [];
    for (const product of mesh.products) {
      const { database, tables: registered } = await registerContractData(engine, product.contract, dataRoot);
      tables.push(...registered.map((t) => ({ ...t, database })));
    }
    await createMeshViews(engine, mesh);
    return { engine, tables };
  } catch (e) {
    engine.close();
    throw e;
  }
}

/** The mesh's views as DuckDB views over the registered tables (their SQL as `loadMeshFile` bound it). */
export async function createMeshViews(engine: DuckDbEngine, mesh: Mesh): Promise<void> {
  if (mesh.views.length === 0) return;
  const schema = `"${viewsDatabaseName(mesh.config.name)}"`;
  await engine.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  for (const { view, duckdbSql } of mesh.views) await engine.run(`CREATE OR REPLACE VIEW ${schema}."${view.name}" AS ${duckdbSql}`);
}
