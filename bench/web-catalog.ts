/**
 * The web catalog's first meaningful paint on the local catalog (`tessera catalog serve --local`:
 * moto plus the real handlers), in Debian's Chromium: from navigation to the first frame painted
 * after the page's main content exists (the mesh overview's product rows; a product page's trust
 * facts). Each load is cold: a new page with the HTTP cache disabled. Figures are printed, nothing is
 * asserted. `npm run bench -- web`
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startCatalogServer } from '../bin/cli/catalog-serve.js';
import { openLocalCatalog } from '../bin/local/catalog.js';
import { loadMeshFile } from '../lib/mesh/load.js';
import { launchChromium } from '../test/support/browser.js';
import { buildPages } from '../test/support/web-catalog.js';

const RUNS = Number(process.env.TESSERA_BENCH_RUNS ?? 15);

interface PaintTimes {
  readonly fcp: number;
  readonly meaningful: number;
}

/**
 * In-page code (as text: the project's TypeScript has no DOM types): records when the first frame
 * after `selector` appears is painted, as milliseconds after navigation start.
 */
const meaningfulPaintProbe = (selector: string): string => `
new MutationObserver((_, observer) => {
  if (document.querySelector(${JSON.stringify(selector)})) {
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => (window.__meaningful = performance.now())));
  }
}).observe(document, { childList: true, subtree: true });`;

/** Loads the page cold; times are milliseconds after navigation start, measured in the page. */
async function loadOnce(page: Page, url: string, selector: string): Promise<PaintTimes> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.addInitScript({ content: meaningfulPaintProbe(selector) });
  await page.goto(url);
  await page.waitForFunction('window.__meaningful !== undefined', undefined, { timeout: 60_000 });
  return page.evaluate<PaintTimes>(`({ fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN, meaningful: window.__meaningful })`);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function benchWebCatalog(): Promise<void> {
  const mesh = (await loadMeshFile(join(import.meta.dirname, '..', 'mesh', 'mesh.yaml'))).mesh!;
  const run = await openLocalCatalog(mesh, { qualityReports: [] });
  const pages = await buildPages();
  const server = await startCatalogServer(run.catalog, { root: pages });
  const browser = await launchChromium();
  try {
    console.log(`\nweb catalog, first meaningful paint (Chromium headless, local catalog on moto, cold loads, n=${RUNS}, 2 warm-up loads)`);
    for (const [name, hash, selector] of [
      ['mesh overview', '#/', 'table.products tbody tr'],
      ['product page (stock-levels)', '#/products/stock-levels', 'section[aria-labelledby="trust"] dd'],
    ] as const) {
      const times: PaintTimes[] = [];
      for (let i = 0; i < RUNS + 2; i++) {
        const page = await browser.context.newPage();
        const t = await loadOnce(page, `${server.url}${hash}`, selector);
        await page.close();
        if (i >= 2) times.push(t);
      }
      const meaningful = times.map((t) => t.meaningful);
      console.log(
        `  ${name.padEnd(30)} meaningful paint median ${median(meaningful).toFixed(0).padStart(5)} ms [min ${Math.min(...meaningful).toFixed(0)}, max ${Math.max(...meaningful).toFixed(0)}]` +
          `  first contentful paint median ${median(times.map((t) => t.fcp)).toFixed(0)} ms`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
    await run.close();
    rmSync(pages, { recursive: true, force: true });
  }
}
