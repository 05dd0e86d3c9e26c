/**
 * Helpers for the catalog tests: the example mesh, new versions of its contracts made by small
 * textual edits, and quality events shaped like the quality service's.
 */
import { join } from 'node:path';
import type { QualityEventDetail } from '../../lib/catalog/publication.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { root } from '../unit/constructs/helpers.js';

export async function exampleMesh(): Promise<Mesh> {
  const { mesh, diagnostics } = await loadMeshFile(join(root, 'mesh/mesh.yaml'));
  if (!mesh) throw new Error(`the example mesh does not load: ${diagnostics.map((d) => d.message).join('; ')}`);
  return mesh;
}

export function contractText(mesh: Mesh, product: string): string {
  const found = mesh.products.find((p) => p.contract.id === product);
  if (!found) throw new Error(`no product ${product} in the example mesh`);
  return found.contract.source.text;
}

/** The contract text with another version number. */
export function withVersion(text: string, version: string): string {
  const out = text.replace(/^version: .*$/m, `version: ${version}`);
  if (out === text) throw new Error('no version line to replace');
  return out;
}

/** Replaces the first occurrence of `from` (which must exist) by `to`. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the contract does not contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/**
 * order-lines versions for out-of-order tests: 1.1.0 rewords the purpose (compatible), 2.0.0 also
 * lowers line_amount's classification from internal to public (breaking).
 */
export function orderLinesVersions(base: string): Record<'1.0.0' | '1.1.0' | '2.0.0', string> {
  const v110 = edit(withVersion(base, '1.1.0'), 'One row per product line of an order', 'One row per line of an order');
  const v200 = edit(
    withVersion(v110, '2.0.0'),
    'description: quantity x unit_price x (1 - discount_pct / 100), rounded to the cent.\n        classification: internal',
    'description: quantity x unit_price x (1 - discount_pct / 100), rounded to the cent.\n        classification: public',
  );
  return { '1.0.0': base, '1.1.0': v110, '2.0.0': v200 };
}

export function qualityDetail(product: string, overrides: Partial<QualityEventDetail> = {}): QualityEventDetail {
  return {
    product,
    version: '1.0.0',
    runId: 'run-1',
    at: '2026-11-25T08:00:00.000Z',
    summary: { passed: 10, failed: 0, errors: 0, failedErrorSeverity: 0 },
    failing: [],
    ...overrides,
  };
}
