/**
 * The whole example mesh on DuckDB: every product's tables registered under the names Athena uses
 * in the governance account (`<domain database>.<table>`), so the same cross-product SQL runs
 * locally and in the analysts' workgroup.
 */
import type { Mesh } from '../mesh/load.js';
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
    return { engine, tables };
  } catch (e) {
    engine.close();
    throw e;
  }
}
