/**
 * The web catalog in a real Chromium (Debian's package, driven by playwright-core) over the real
 * catalog handlers: search with a typo, a product's freshness and trust, its quality trend, a
 * version's breaking-change report, copying a query, and axe-core on every main page. Screenshots of
 * the main pages are written to reports/web-catalog/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductDetail } from '../../lib/catalog/api-schema.js';
import { axeViolations, launchChromium, type Browser } from '../support/browser.js';
import { startWebCatalog, type WebCatalog } from '../support/web-catalog.js';

const SHOTS = join(import.meta.dirname, '..', '..', 'reports', 'web-catalog');

let web: WebCatalog;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  web = await startWebCatalog();
  browser = await launchChromium({ permissions: ['clipboard-read', 'clipboard-write'] });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

const open = async (hash: string, ready: string): Promise<void> => {
  await page.goto(`${web.url}${hash}`);
  await page.getByRole('heading', { level: 1, name: ready }).waitFor();
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count()).toBe(0);
};
const fact = (term: string) => page.locator('.facts div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd');
const shoot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('the web catalog in Chromium', () => {
  it('finds a product by a misspelt word and opens it', async () => {
    await open('#/search', 'Search the catalog');
    await page.getByLabel('Words').fill('shipmnts');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.url()).toContain('#/search?q=shipmnts');
    const first = page.locator('ol.results > li').first();
    await expect.poll(() => first.locator('h2 a').textContent()).toBe('Shipments');
    await shoot('search');
    await first.locator('h2 a').click();
    await page.getByRole('heading', { level: 1, name: 'Shipments' }).waitFor();
    expect(page.url()).toMatch(/#\/products\/shipments$/);
  });

  it('filters by domain: only the orders domain is listed', async () => {
    await open('#/search?domain=orders', 'Search the catalog');
    await expect.poll(() => page.locator('ol.results > li h2 a').allTextContents()).toEqual(['Order lines', 'Orders']);
    expect(await page.getByLabel('domain').inputValue()).toBe('orders');
  });

  it("shows a product's freshness, trust with its reasons and the quality trend of its stored runs", async () => {
    await open('#/products/stock-levels', 'Stock levels');
    // The last run failed the latency SLA (3 d against 2 d): stale, with the check's figures.
    expect(await page.locator('.badge.fresh-missed').textContent()).toBe('stale');
    expect(await fact('Freshness').textContent()).toBe('missed (latency SLA 2 d)');
    expect(await fact('Freshness detail').textContent()).toContain('3 d (expected <= 2 d)');
    // Trust as the API computed it, with its explanation: 4 runs, SLAs met in 3 of them.
    const detail = (await web.catalog.get<ProductDetail>('/products/stock-levels')).body;
    expect(await fact('Trust').textContent()).toBe(`${detail.trust.label} (score ${detail.trust.score} of 100)`);
    expect(await fact('Why').textContent()).toBe(detail.trust.explanation);
    expect(await fact('SLA attainment').textContent()).toBe('75 %');
    // Mean of 10/12, 11/12, 12/12 and 9/12 passed checks.
    expect(await fact('Checks passed').textContent()).toBe('88 % over 4 run(s)');
    // The chart is drawn by uPlot on a canvas; its figures, newest first, in the table beside it.
    const canvas = page.locator('.chart canvas');
    expect(await canvas.count()).toBe(1);
    expect((await canvas.boundingBox())!.height).toBeGreaterThan(100);
    await page.getByText('The runs as a table').click();
    const percents = await page.locator('.chart details tbody tr td:last-child').allTextContents();
    expect(percents).toEqual(['75', '100', '91.7', '83.3']);
    await shoot('product');
  });

  it('shows the schema with keys and classifications, who reads which columns, and how to ask for access', async () => {
    await open('#/products/stock-levels', 'Stock levels');
    const schema = page.locator('section[aria-labelledby="schema"] table').first();
    const row = (column: string) => schema.locator('tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${column}$`) }) });
    expect(await row('sku').locator('td').allTextContents()).toEqual(['string', 'public', 'primary key 1', 'yes', 'Stock-keeping unit.']);
    expect(await row('reorder_point').count()).toBe(0);
    // mesh.yaml: analysts read public and internal columns of every domain (unit_cost is
    // confidential), supply-chain everything of inventory, customer-service nothing of it.
    const access = page.locator('section[aria-labelledby="access"]');
    const readers = (consumer: string) => access.locator('table').filter({ has: page.locator('caption', { hasText: new RegExp(`^${consumer} `) }) }).locator('tbody td');
    expect(await readers('analysts').allTextContents()).toEqual(['inventory.stock_levels', '6 of 7: sku, warehouse_id, on_hand, reserved, counted_at, snapshot_date']);
    expect(await readers('supply-chain').allTextContents()).toEqual(['inventory.stock_levels', 'all 7']);
    expect(await access.locator('p', { hasText: 'customer-service' }).textContent()).toBe('customer-service (arn:aws:iam::111111111111:role/TesseraCustomerService) reads none of its columns.');
    expect(await access.locator('pre code').textContent()).toBe('tessera access request stock-levels --reason <text> --duration 30d');
  });

  it("lists a product's open access requests and the grants requests hold", async () => {
    await open('#/products/shipments', 'Shipments');
    const access = page.locator('section[aria-labelledby="access"]');
    const rows = (caption: string) => access.locator('table').filter({ has: page.locator('caption', { hasText: caption }) }).locator('tbody tr');
    // startWebCatalog asked twice at 2026-11-30T08:00Z: a pending request decides by then + 14 days,
    // the approved one (7 days) ends at then + 7 days.
    const open1 = await rows('Open requests').first().locator('td').allTextContents();
    expect(open1[0]).toMatch(/^ar-[0-9a-f]{16}$/);
    expect(open1.slice(1)).toEqual(['TesseraAnalyst (bob)', 'shipment_id, carrier', '14 d', 'carrier performance review', '0 of 1 (an owner)', '2026-12-14T08:00:00.000Z']);
    expect(await rows('Open requests').count()).toBe(1);
    const granted = await rows('Granted through requests').first().locator('td').allTextContents();
    expect(granted.slice(1)).toEqual(['TesseraSupplyChain', 'columns up to internal', '2026-12-07T08:00:00.000Z']);
    expect(await rows('Granted through requests').count()).toBe(1);
  });

  it('says so on a product nobody asked for', async () => {
    await open('#/products/stock-levels', 'Stock levels');
    expect(await page.locator('section[aria-labelledby="access"] p', { hasText: 'No request' }).textContent()).toBe('No request is waiting for a decision.');
  });

  it('follows a version to its breaking-change report', async () => {
    await open('#/products/stock-levels', 'Stock levels');
    const versions = page.locator('section[aria-labelledby="versions"] tbody tr');
    expect(await versions.locator('td:last-child').allTextContents()).toEqual(['1 change(s) since 1.0.0, breaking', 'first version']);
    await versions.first().getByRole('link', { name: '2.0.0' }).click();
    await page.getByRole('heading', { level: 2, name: 'Changes from 1.0.0 to 2.0.0' }).waitFor();
    expect(await page.locator('section[aria-labelledby="diff"] [role="status"]').textContent()).toBe('Breaking for consumers; the version bump is major.');
    expect(await page.locator('section[aria-labelledby="diff"] tbody td').allTextContents()).toEqual([
      'breaking',
      'stock_levels.reorder_point',
      "column 'stock_levels.reorder_point' was removed: queries and readers that use it fail",
      'int',
      '',
    ]);
    await shoot('version');
  });

  it('copies an example query to the clipboard', async () => {
    await open('#/products/order-lines', 'Order lines');
    const block = page.locator('section[aria-labelledby="queries"] .query').first();
    const shown = await block.locator('code').textContent();
    expect(shown).toMatch(/^SELECT /);
    await block.getByRole('button', { name: /^Copy the query on / }).click();
    await block.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(shown);
  });

  it("lists a domain's products and the mesh's health", async () => {
    await open('#/domains/orders', 'Domain orders');
    expect(await page.locator('table.products tbody th a').allTextContents()).toEqual(['Order lines', 'Orders']);
    await shoot('domain');
    await open('#/', 'Mesh overview');
    expect(await page.locator('table.products tbody tr').count()).toBe(5);
    expect(await page.locator('.tiles li').first().textContent()).toBe('5 products');
    const stock = page.locator('table.products tbody tr').filter({ hasText: 'Stock levels' });
    expect(await stock.locator('td').allTextContents()).toEqual(['inventory', '2.0.0', expect.stringMatching(/^trust medium \(\d+\)$/), expect.stringMatching(/^9 passed, 3 failed/), 'missed']);
    await shoot('mesh');
  });

  it.each([
    ['#/', 'Mesh overview'],
    ['#/search?q=orders', 'Search the catalog'],
    ['#/products/stock-levels', 'Stock levels'],
    ['#/products/shipments', 'Shipments'],
    ['#/products/stock-levels/versions/2.0.0', 'stock-levels 2.0.0'],
    ['#/domains/inventory', 'Domain inventory'],
  ])('has no serious or critical accessibility violation on %s', async (hash, heading) => {
    await open(hash, heading);
    const violations = await axeViolations(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });
});
