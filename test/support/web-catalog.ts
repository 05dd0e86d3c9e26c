/**
 * The web catalog over a catalog with a history: the example mesh published through the real ingest
 * handler (an in-memory store), a second, breaking version of stock-levels, and four quality runs
 * of it with figures written here by hand, so the pages have a trend and a diff to show. The pages
 * are built from the current sources into a temporary folder and served by `startCatalogServer`,
 * the server `tessera catalog serve --local` runs.
 */
// First: quiets the handlers' logs before their logger is created.
import '../../bin/local/handler-logs.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { startCatalogServer } from '../../bin/cli/catalog-serve.js';
import { LocalCatalog, MemoryCatalogStore } from '../../lambdas/catalog/local.js';
import type { ProductDetail } from '../../lib/catalog/api-schema.js';
import { loadMeshFile } from '../../lib/mesh/load.js';

const root = join(import.meta.dirname, '..', '..');

/** The four runs of stock-levels 2.0.0, oldest first: passed and failed checks out of 12. */
export const STOCK_RUNS = [
  { at: '2026-11-27T06:00:00Z', passed: 10, failed: 2 },
  { at: '2026-11-28T06:00:00Z', passed: 11, failed: 1 },
  { at: '2026-11-29T06:00:00Z', passed: 12, failed: 0 },
  { at: '2026-11-30T06:00:00Z', passed: 9, failed: 3 },
] as const;

export interface WebCatalog {
  readonly url: string;
  readonly catalog: LocalCatalog;
  close(): Promise<void>;
}

/** Vite's production build of web/ into a fresh folder. */
export async function buildPages(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'tessera-web-'));
  const { build } = await import('vite');
  await build({ configFile: join(root, 'web', 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'error' });
  return outDir;
}

export async function startWebCatalog(): Promise<WebCatalog> {
  const mesh = (await loadMeshFile(join(root, 'mesh', 'mesh.yaml'))).mesh!;
  const catalog = new LocalCatalog({ store: new MemoryCatalogStore(), mesh: mesh.config.name, searchMaxAgeMs: 0 });
  await catalog.seedMeshConfig(mesh.config);
  await catalog.publish(mesh.products.map((p) => ({ text: p.contract.source.text, domain: p.domain })));

  // 2.0.0 drops the column reorder_point: a breaking change, announced by the major version.
  const stock = mesh.products.find((p) => p.contract.id === 'stock-levels')!.contract.source.text;
  const next = parseDocument(stock);
  next.set('version', '2.0.0');
  const columns = next.getIn(['schema', 0, 'properties']) as { items: { get(k: string): unknown }[] };
  columns.items = columns.items.filter((c) => c.get('name') !== 'reorder_point');
  const published = await catalog.publish([{ text: next.toString(), domain: 'inventory' }]);
  if (published.batchItemFailures.length > 0) throw new Error('stock-levels 2.0.0 was refused');

  // The latest run misses the latency SLA: the page must say the product is stale.
  const detail = (await catalog.get<ProductDetail>('/products/stock-levels')).body;
  const latency = detail.slaChecks.find((c) => c.kind === 'latency')!;
  for (const [i, run] of STOCK_RUNS.entries()) {
    const last = i === STOCK_RUNS.length - 1;
    const failing = last ? [{ id: latency.id, name: latency.name, status: 'fail', severity: 'error', actual: '3 d', expected: '<= 2 d' }] : [];
    const result = await catalog.publishQuality({
      product: 'stock-levels',
      version: '2.0.0',
      runId: `run-${i}`,
      at: run.at,
      summary: { passed: run.passed, failed: run.failed, errors: 0, failedErrorSeverity: run.failed },
      failing,
    });
    if (result.batchItemFailures.length > 0) throw new Error(`quality run ${i} was refused`);
  }

  const pages = await buildPages();
  const server = await startCatalogServer(catalog, { root: pages });
  return {
    url: server.url,
    catalog,
    close: async () => {
      await server.close();
      rmSync(pages, { recursive: true, force: true });
    },
  };
}
