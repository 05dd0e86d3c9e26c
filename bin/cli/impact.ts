/**
 * The impact lines of `tessera diff` and of the synth gate: which mesh a contract belongs to, the
 * mesh as it was before the change, and for each removed or changed column who reads it.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Change, ContractDiff } from '../../lib/contract/diff.js';
import type { DataContract } from '../../lib/contract/model.js';
import { meshViewLineage } from '../../lib/lineage/columns.js';
import { changeImpact, type ColumnImpact } from '../../lib/lineage/impact.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { transformationsText } from './lineage-render.js';

/** The nearest mesh.yaml at or above the contract's folder that lists it, if any. */
export async function meshListing(contractFile: string): Promise<string | undefined> {
  const target = resolve(contractFile);
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    const candidate = join(dir, 'mesh.yaml');
    if (await stat(candidate).catch(() => undefined)) {
      const products = await listedProducts(candidate);
      if (products.some((p) => resolve(dir, p) === target)) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

async function listedProducts(meshFile: string): Promise<string[]> {
  try {
    const config = parse(await readFile(meshFile, 'utf8')) as { domains?: { products?: unknown[] }[] } | null;
    return (config?.domains ?? []).flatMap((d) => (Array.isArray(d.products) ? d.products : [])).filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

export type DiffImpact = { readonly mesh: string; readonly columns: readonly ColumnImpact[] } | { readonly mesh: string; readonly problem: string };

/**
 * The impact of `diff` on the mesh in `meshFile`, read with the changed contract as it was before
 * (`oldText` in place of `newFile`, when the mesh lists that file).
 */
export async function diffImpact(meshFile: string, shownMesh: string, newFile: string, oldText: string, before: DataContract, diff: ContractDiff): Promise<DiffImpact> {
  const loaded = await loadMeshFile(meshFile, { contractTexts: new Map([[resolve(newFile), oldText]]) });
  if (!loaded.mesh) return { mesh: shownMesh, problem: `the mesh ${shownMesh} does not load (run tessera validate ${shownMesh}), so who reads the changed columns cannot be told` };
  if (!loaded.mesh.products.some((p) => p.contract.id === before.id)) return { mesh: shownMesh, problem: `product '${before.id}' is not a product of the mesh ${shownMesh}` };
  return { mesh: shownMesh, columns: impactOnMesh(loaded.mesh, before, diff) };
}

/** The impact on `mesh` (views as they are), with `before` standing for its product. */
export function impactOnMesh(mesh: Mesh, before: DataContract, diff: ContractDiff): ColumnImpact[] {
  const products = mesh.products.map((p) => (p.contract.id === before.id ? { ...p, contract: before } : p));
  return changeImpact({ config: mesh.config, products, views: meshViewLineage(mesh) }, before, diff);
}

/** The lines printed under one change: who reads each column it touches. */
export function impactLines(impacts: readonly ColumnImpact[], change: Change, indent: string): string[] {
  const lines: string[] = [];
  for (const impact of impacts.filter((i) => i.subject === change.subject && i.rule === change.rule)) {
    const name = `${impact.column.database}.${impact.column.table}.${impact.column.column}`;
    const readers = [
      ...impact.viewColumns.map((v) => `view column ${v.view}.${v.column} [${transformationsText(v.transformations)}]`),
      ...impact.views.map((v) => `view ${v.view}, every row [${transformationsText(v.transformations)}]`),
      ...impact.products.map((p) => `product ${p.product} through input port ${p.port} (version ${p.version})`),
      ...impact.grants.map((g) => `consumer ${g.consumer} (grant ${g.grants.join(', ')})`),
    ];
    if (readers.length === 0) lines.push(`${indent}impact: ${name} is read by no view, product or consumer of the mesh`);
    else lines.push(`${indent}impact: ${name} is read by:`, ...readers.map((r) => `${indent}  ${r}`));
  }
  return lines;
}
