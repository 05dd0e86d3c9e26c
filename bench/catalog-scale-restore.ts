/**
 * The fresh process of the catalog-scale bench: restores the persisted search snapshot in the file
 * given as argument the way a cold Lambda does (SearchCache on an empty store: read, gunzip, parse,
 * load), then runs the warm query mix, and prints one JSON line of figures.
 * `tsx bench/catalog-scale-restore.ts <snapshot.gz>`
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MemoryCatalogStore } from '../lambdas/catalog/local.js';
import { SearchCache } from '../lambdas/catalog/search-cache.js';
import { percentile, queries } from './catalog-search.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: catalog-scale-restore.ts <snapshot.gz>');
  process.exit(2);
}
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
const rssBefore = process.memoryUsage().rss;
const body = readFileSync(file);
const search = new SearchCache(new MemoryCatalogStore(), { snapshots: { read: () => Promise.resolve(body), write: () => Promise.resolve() } });
const t = performance.now();
const { index } = await search.get();
const restoreMs = performance.now() - t;
if (search.lastLoad?.kind !== 'snapshot') throw new Error(`the snapshot in ${file} was not used (load kind ${String(search.lastLoad?.kind)})`);
const rssAfter = process.memoryUsage().rss;
// resourceUsage().maxRSS is in kilobytes: the peak, which is what a Lambda's memory limit meets.
const restorePeak = process.resourceUsage().maxRSS;
const qs = queries(2000);
for (const q of qs.slice(0, 100)) index.search(q.text, q.filters);
const times = qs.map((q) => {
  const s = performance.now();
  index.search(q.text, q.filters);
  return performance.now() - s;
});
times.sort((a, b) => a - b);
console.log(JSON.stringify({ products: index.size, restoreMs, rssBeforeMb: mb(rssBefore), rssAfterMb: mb(rssAfter), restorePeakRssMb: Math.round(restorePeak / 1024), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), p50: percentile(times, 50), p95: percentile(times, 95) }));
