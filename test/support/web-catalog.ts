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
import { startCatalogServer, withAccessRoutes } from '../../bin/cli/catalog-serve.js';
import { LocalAccess } from '../../lambdas/access/local.js';
import { LocalCatalog, MemoryCatalogStore } from '../../lambdas/catalog/local.js';
import type { ProductDetail } from '../../lib/catalog/api-schema.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { startMoto, TEST_CREDENTIALS } from './moto.js';

const root = join(import.meta.dirname, '..', '..');

/** The four runs of stock-levels 2.0.0, oldest first: passed and failed checks out of 12. */
export const STOCK_RUNS = [
  { at: '2026-11-27T06:00:00Z', passed: 10, failed: 2 },
  { at: '2026-11-28T06:00:00Z', passed: 11, failed: 1 },
  { at: '2026-11-29T06:00:00Z', passed: 12, failed: 0 },
  { at: '2026-11-30T06:00:00Z', passed: 9, failed: 3 },
] as const;

/** When the access requests of `startWebCatalog` were made and decided. */
export const REQUESTS_AT = '2026-11-30T08:00:00Z';
/** The identities API Gateway would report: two consumers and an owner of shipments (its team's member). */
export const ACTORS = {
  analyst: 'arn:aws:sts::111111111111:assumed-role/TesseraAnalyst/bob',
  supplyChain: 'arn:aws:sts::111111111111:assumed-role/TesseraSupplyChain/ines',
  owner: 'arn:aws:sts::555555555555:assumed-role/AWSReservedSSO_DataOwner_0123456789abcdef/kwame.mensah',
} as const;

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

  // Two requests on shipments, on moto: one waiting for its owner, one approved and granted.
  const moto = await startMoto();
  const access = await LocalAccess.open({ endpoint: moto.endpoint, region: mesh.config.region, credentials: TEST_CREDENTIALS, mesh: mesh.config.name, account: mesh.config.governance.account, catalog: catalog.store, now: () => new Date(REQUESTS_AT) });
  const ask = async (as: string, body: object): Promise<{ id: string; revision: number }> => {
    const asked = await access.call<{ id: string; revision: number }>('POST', '/access-requests', { as, body: { product: 'shipments', ...body } });
    if (asked.status !== 201) throw new Error(`the access request was refused: ${JSON.stringify(asked.body)}`);
    return asked.body;
  };
  await ask(ACTORS.analyst, { columns: ['shipment_id', 'carrier'], reason: 'carrier performance review', duration: '14d' });
  const granted = await ask(ACTORS.supplyChain, { classification: 'internal', reason: 'parcels per warehouse for the winter plan', duration: '7d' });
  const approved = await access.call<{ state: string }>('POST', `/access-requests/${granted.id}/approve`, { as: ACTORS.owner, body: { revision: granted.revision } });
  if (approved.body.state !== 'active') throw new Error(`the approval did not grant: ${JSON.stringify(approved.body)}`);

  const pages = await buildPages();
  const server = await startCatalogServer(withAccessRoutes(catalog, access), { root: pages });
  return {
    url: server.url,
    catalog,
    close: async () => {
      await server.close();
      await moto.stop();
      rmSync(pages, { recursive: true, force: true });
    },
  };
}
