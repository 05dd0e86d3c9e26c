/**
 * The catalog's search at 10,000 and 100,000 products (issue 13 §4): index build, persisted
 * snapshot size (unzipped and gzipped, and format 1's beside it) and encode/decode time, cold start from the snapshot in a fresh
 * process (restore time, RSS after it and peak RSS, against a 1 GB Lambda), warm p50/p95 of the
 * query mix in that process, and the refresh after one product changed; then the 100k/10k ratios.
 * Figures are printed, nothing is asserted. `npm run bench -- catalog-scale`;
 * TESSERA_BENCH_SCALE=10000,100000 sets the sizes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { MemoryCatalogStore } from '../lambdas/catalog/local.js';
import { SearchCache } from '../lambdas/catalog/search-cache.js';
import { SearchIndex } from '../lib/catalog/search.js';
import { decodeSearchSnapshot, encodeSearchSnapshot, encodeSearchSnapshotV1, type PersistedSearch } from '../lib/catalog/search-snapshot.js';
import { MemorySnapshots, summaryRecord } from './catalog-api.js';
import { corpus } from './catalog-search.js';
import { median } from './stats.js';

const SIZES = (process.env.TESSERA_BENCH_SCALE ?? '10000,100000').split(',').map(Number);

interface Figures {
  readonly products: number;
  readonly buildMs: number;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly encodeMs: number;
  readonly decodeMs: number;
  readonly v1GzipBytes: number;
  readonly v1DecodeMs: number;
  readonly restoreMs: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  readonly restorePeakRssMb: number;
  readonly peakRssMb: number;
  readonly p50: number;
  readonly p95: number;
  readonly refreshMs: number;
}

const timed = (fn: () => unknown): number => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

/** Median ms of SearchIndex.build over the documents (fewer runs at the larger sizes). */
function buildMs(n: number): number {
  const docs = corpus(n);
  return median(Array.from({ length: n > 20_000 ? 1 : 3 }, () => timed(() => SearchIndex.build(docs))));
}

/**
 * The snapshot exactly as a SearchCache persists it after a full load (format 2), its encode and
 * decode times, and the same state in format 1 (gzipped JSON, what earlier releases wrote) beside it.
 */
async function persisted(store: MemoryCatalogStore): Promise<Pick<Figures, 'rawBytes' | 'encodeMs' | 'decodeMs' | 'v1GzipBytes' | 'v1DecodeMs'> & { body: Uint8Array }> {
  const snapshots = new MemorySnapshots();
  await new SearchCache(store, { snapshots }).get();
  const body = (await snapshots.read())!;
  let decoded: PersistedSearch | undefined;
  const decodeMs = timed(() => (decoded = decodeSearchSnapshot(body)));
  const encodeMs = timed(() => encodeSearchSnapshot(decoded!));
  const v1 = encodeSearchSnapshotV1(decoded!);
  const v1DecodeMs = timed(() => decodeSearchSnapshot(v1));
  return { body, rawBytes: gunzipSync(body).byteLength, encodeMs, decodeMs, v1GzipBytes: v1.byteLength, v1DecodeMs };
}

/** Median of 5 refreshes, each after one product's summary got a new revision. */
async function refreshMs(store: MemoryCatalogStore, ids: readonly string[]): Promise<number> {
  const search = new SearchCache(store, { maxAgeMs: 0 });
  await search.get();
  const times: number[] = [];
  for (const id of ids.slice(0, 5)) {
    const current = (await store.getSummary(id))!;
    await store.putSummary({ ...current, revision: current.revision + 1, changedAt: new Date().toISOString() });
    const t = performance.now();
    await search.get();
    times.push(performance.now() - t);
    if (search.lastLoad?.changed !== 1) throw new Error(`refresh re-indexed ${String(search.lastLoad?.changed)} products, expected 1`);
  }
  return median(times);
}

function restoreInFreshProcess(body: Uint8Array): Pick<Figures, 'restoreMs' | 'rssBeforeMb' | 'rssAfterMb' | 'restorePeakRssMb' | 'peakRssMb' | 'p50' | 'p95'> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-scale-'));
  try {
    const file = join(dir, 'snapshot.gz');
    writeFileSync(file, body);
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'catalog-scale-restore.ts'), file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    return JSON.parse(out.trim().split('\n').pop()!) as ReturnType<typeof restoreInFreshProcess>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function figuresAt(n: number): Promise<Figures> {
  const build = buildMs(n);
  const docs = corpus(n);
  const store = new MemoryCatalogStore();
  for (const doc of docs) await store.putSummary(summaryRecord(doc));
  const { body, ...snapshot } = await persisted(store);
  const restored = restoreInFreshProcess(body);
  const refresh = await refreshMs(store, docs.map((d) => d.id));
  return { products: n, buildMs: build, gzipBytes: body.byteLength, ...snapshot, ...restored, refreshMs: refresh };
}

const ROWS: [label: string, value: (f: Figures) => number, unit: string, digits: number][] = [
  ['build the index (SearchIndex.build)', (f) => f.buildMs, 'ms', 0],
  ['snapshot format 2, unzipped', (f) => f.rawBytes / 1024 / 1024, 'MB', 1],
  ['snapshot format 2, gzipped (what S3 holds)', (f) => f.gzipBytes / 1024 / 1024, 'MB', 1],
  ['encode format 2 (sections + gzip)', (f) => f.encodeMs, 'ms', 0],
  ['decode format 2 (gunzip + wrap + summaries)', (f) => f.decodeMs, 'ms', 0],
  ['same state in format 1 (JSON), gzipped', (f) => f.v1GzipBytes / 1024 / 1024, 'MB', 1],
  ['decode format 1 (gunzip + parse + rebuild)', (f) => f.v1DecodeMs, 'ms', 0],
  ['restore in a fresh process (SearchCache)', (f) => f.restoreMs, 'ms', 0],
  ['RSS before restore (node + tsx + code)', (f) => f.rssBeforeMb, 'MB', 0],
  ['RSS after restore', (f) => f.rssAfterMb, 'MB', 0],
  ['peak RSS by the end of the restore (maxRSS)', (f) => f.restorePeakRssMb, 'MB', 0],
  ['peak RSS after the queries too', (f) => f.peakRssMb, 'MB', 0],
  ['warm search p50 (2,000 queries)', (f) => f.p50, 'ms', 2],
  ['warm search p95', (f) => f.p95, 'ms', 2],
  ['refresh after 1 change (median of 5)', (f) => f.refreshMs, 'ms', 1],
];

export async function benchCatalogScale(): Promise<void> {
  const all: Figures[] = [];
  for (const n of SIZES) {
    all.push(await figuresAt(n));
    // One line per size as soon as it is measured, so a long run shows its first figures early.
    console.log(`  measured ${n} products: ${JSON.stringify(all[all.length - 1])}`);
  }
  console.log(`\nCatalog search at scale, snapshot format 2 (binary sections, gzipped); ${SIZES.join(' and ')} products`);
  console.log(`  ${''.padEnd(44)}${SIZES.map((n) => String(n).padStart(12)).join('')}${all.length > 1 ? '       ratio' : ''}`);
  for (const [label, value, unit, digits] of ROWS) {
    const cells = all.map((f) => `${value(f).toFixed(digits)} ${unit}`.padStart(12)).join('');
    const ratio = all.length > 1 ? `   x${(value(all[all.length - 1]!) / value(all[0]!)).toFixed(1)}`.padStart(12) : '';
    console.log(`  ${label.padEnd(44)}${cells}${ratio}`);
  }
}
