/**
 * The mesh as the generator sees it: which products exist, in which domain, and their tables as the
 * contract core models them (lib/contract). Loading goes through `loadMeshFile`, so the generator
 * writes data only for a mesh that validates, with the same column types the CDK constructs use.
 */
import path from 'node:path';
import type { Table } from '../../lib/contract/model.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile } from '../../lib/mesh/load.js';

export interface ProductSpec {
  /** The contract's `id`. */
  readonly id: string;
  readonly domain: string;
  /** The contract file, relative to the mesh directory, with `/` separators. */
  readonly contractFile: string;
  readonly tables: readonly Table[];
}

export interface MeshSpec {
  readonly name: string;
  readonly products: readonly ProductSpec[];
}

/** Loads `mesh.yaml` in `meshDir` and every contract it lists; throws with the diagnostics on errors. */
export async function readMesh(meshDir: string): Promise<MeshSpec> {
  const meshFile = path.join(meshDir, 'mesh.yaml');
  const result = await loadMeshFile(meshFile);
  if (!result.mesh) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    throw new Error(`the mesh at ${meshFile} does not validate:\n${errors.join('\n')}`);
  }
  return {
    name: result.mesh.config.name,
    products: result.mesh.products.map((product) => ({
      id: product.contract.id,
      domain: product.domain,
      contractFile: path.relative(meshDir, product.file).split(path.sep).join('/'),
      tables: product.contract.tables,
    })),
  };
}
