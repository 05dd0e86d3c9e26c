/**
 * Catalog search at 10,000 products without a cluster: build time, snapshot size, cold start (parse
 * the JSON snapshot and rebuild the in-memory index, as a Lambda does on its first call) and warm
 * search latency (p50/p95 over 2,000 queries: exact words, typos, prefixes and filters). Figures are
 * printed, nothing is asserted. `npm run bench -- search`
 */
import { performance } from 'node:perf_hooks';
import { SearchIndex, type CatalogDocument, type SearchFilters } from '../lib/catalog/search.js';
import { measure, printTable } from './stats.js';

const PRODUCTS = Number(process.env.TESSERA_BENCH_PRODUCTS ?? 10_000);

// A deterministic vocabulary of business words; products are combinations of them.
const NOUNS = ['order', 'customer', 'invoice', 'payment', 'shipment', 'parcel', 'stock', 'warehouse', 'supplier', 'product', 'price', 'discount', 'return', 'refund', 'campaign', 'click', 'session', 'visit', 'basket', 'checkout', 'ledger', 'account', 'contract', 'claim', 'policy', 'driver', 'route', 'vehicle', 'ticket', 'agent', 'review', 'rating', 'forecast', 'budget', 'employee', 'payroll', 'store', 'region', 'market', 'channel'];
const QUALIFIERS = ['daily', 'hourly', 'monthly', 'line', 'event', 'snapshot', 'summary', 'history', 'status', 'profile', 'level', 'detail', 'fact', 'dim', 'log', 'score', 'plan', 'quality', 'margin', 'volume'];
const DOMAINS = Array.from({ length: 50 }, (_, i) => `domain-${String(i).padStart(2, '0')}`);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function corpus(n: number): CatalogDocument[] {
  const r = rng(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const noun = pick(NOUNS);
    const qualifier = pick(QUALIFIERS);
    const id = `${noun}-${qualifier}-${i}`;
    const columns = Array.from({ length: 8 + Math.floor(r() * 25) }, (_, c) => ({
      name: `${pick(NOUNS)}_${pick(QUALIFIERS)}_${c}`,
      description: `The ${pick(NOUNS)} ${pick(QUALIFIERS)} of each ${noun}`,
      classification: pick(['public', 'internal', 'confidential', 'restricted']),
    }));
    return {
      id,
      name: `${noun} ${qualifier} ${i}`,
      domain: pick(DOMAINS),
      description: `${qualifier} ${noun} data: one row per ${noun} ${pick(QUALIFIERS)}, used for ${pick(NOUNS)} ${pick(QUALIFIERS)} reporting.`,
      tags: [pick(NOUNS), pick(QUALIFIERS)],
      owners: [`${pick(NOUNS)}-team`],
      tables: [{ name: `${noun}_${qualifier}`, description: `${noun} ${qualifier}`, columns }],
    };
  });
}

export function queries(n: number): { text: string; filters: SearchFilters }[] {
  const r = rng(11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const typo = (w: string): string => {
    const i = 1 + Math.floor(r() * (w.length - 2));
    return w.slice(0, i) + w.slice(i + 1);
  };
  return Array.from({ length: n }, (_, i) => {
    switch (i % 5) {
      case 0:
        return { text: `${pick(NOUNS)} ${pick(QUALIFIERS)}`, filters: {} };
      case 1:
        return { text: typo(pick(NOUNS.filter((w) => w.length >= 6))), filters: {} };
      case 2:
        return { text: `${pick(NOUNS)} ${pick(QUALIFIERS).slice(0, 3)}`, filters: {} };
      case 3:
        return { text: pick(NOUNS), filters: { domain: pick(DOMAINS) } };
      default:
        return { text: `${pick(NOUNS)} ${pick(NOUNS)}`, filters: { classification: 'restricted' } };
    }
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchCatalogSearch(): Promise<void> {
  const docs = corpus(PRODUCTS);
  const build = await measure(`build the index (${PRODUCTS} products)`, () => SearchIndex.build(docs), { runs: 3, warmup: 1 });
  const index = SearchIndex.build(docs);
  const json = JSON.stringify(index.toSnapshot());
  const cold = await measure('cold start: JSON.parse + load the snapshot', () => SearchIndex.fromSnapshot(JSON.parse(json) as ReturnType<SearchIndex['toSnapshot']>), { runs: 5, warmup: 1 });
  printTable(`Catalog search index, ${PRODUCTS} products (${docs.reduce((n, d) => n + d.tables[0]!.columns.length, 0)} columns); snapshot ${(Buffer.byteLength(json) / 1024 / 1024).toFixed(1)} MB of JSON`, [build, cold]);

  const qs = queries(2000);
  for (const q of qs.slice(0, 100)) index.search(q.text, q.filters); // warm-up
  const times: number[] = [];
  let hits = 0;
  for (const q of qs) {
    const t = performance.now();
    hits += index.search(q.text, q.filters).length > 0 ? 1 : 0;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`\nWarm search, ${qs.length} queries (exact, typo, prefix, domain filter, classification filter):`);
  console.log(`  p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms; ${hits} queries found something`);
}
