/**
 * The catalog API handler at 10,000 products, measured inside the handler (the whole middy chain,
 * JSON response included): cold start (a fresh handler: read every product's search document from
 * the store and build the index) and warm search p50/p95 over 1,000 requests. Twice: on the
 * in-memory store (the handler's own cost) and on DynamoDB in moto (real reads; moto's own time to
 * return the data is printed beside it), and cold starts from the persisted snapshot. Figures are
 * printed, nothing is asserted.
 * `npm run bench -- catalog-api`; TESSERA_BENCH_MOTO=0 skips the moto half.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProductSummary } from '../lib/catalog/api-schema.js';
import { encodeDocument } from '../lib/catalog/records.js';
import type { CatalogDocument } from '../lib/catalog/search.js';
import { createApiHandler } from '../lambdas/catalog/api-handler.js';
import { apiEventOf, createCatalogTable, dynamoCatalogStore, localContext, MemoryCatalogStore } from '../lambdas/catalog/local.js';
import { s3SnapshotStore, SearchCache, type SearchSnapshotStore } from '../lambdas/catalog/search-cache.js';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CHANGE_INDEX, PRODUCT_CHANGE_KEY, productPk, SUMMARY_SK, type CatalogStore, type SummaryRecord } from '../lambdas/catalog/store.js';
import { startMoto, TEST_CREDENTIALS, TEST_REGION } from '../test/support/moto.js';
import { corpus, percentile, queries } from './catalog-search.js';

const PRODUCTS = Number(process.env.TESSERA_BENCH_PRODUCTS ?? 10_000);
const WARM_REQUESTS = 1000;
const CHANGED_AT = '2026-11-25T06:00:00.000Z';

export function summaryRecord(doc: CatalogDocument): SummaryRecord {
  const summary: ProductSummary = {
    id: doc.id,
    name: doc.name,
    domain: doc.domain,
    status: 'active',
    version: '1.0.0',
    description: doc.description,
    tags: [...doc.tags],
    owners: [...doc.owners],
    classifications: [...new Set(doc.tables.flatMap((t) => t.columns.map((c) => c.classification ?? '')))].filter(Boolean),
    tables: doc.tables.map((t) => `${doc.domain.replace(/-/g, '_')}.${t.name}`),
    publishedAt: CHANGED_AT,
    trust: { score: 93, label: 'high', runs: 10, passRate: 0.9, slaAttainment: 1, explanation: 'bench' },
    latestQuality: null,
  };
  return { product: doc.id, revision: 1, changedAt: CHANGED_AT, summary, doc: encodeDocument(doc), slaCheckIds: [] };
}

function searchPaths(n: number): string[] {
  return queries(n).map(({ text, filters }) => {
    const params = new URLSearchParams({ q: text, limit: '20' });
    for (const [k, v] of Object.entries(filters) as [string, string | undefined][]) if (v !== undefined) params.set(k, v);
    return `/products?${params.toString()}`;
  });
}

async function coldAndWarm(label: string, store: CatalogStore, storeRead: () => Promise<number>): Promise<void> {
  const paths = searchPaths(WARM_REQUESTS);
  const events = paths.map((p) => apiEventOf(p));
  const cold: number[] = [];
  const storeShare: number[] = [];
  let handler = createApiHandler(() => ({ store, search: new SearchCache(store), cursorKey: 'bench' }));
  for (let run = 0; run < 3; run++) {
    // A fresh handler and index each time, as a new Lambda execution environment has.
    const search = new SearchCache(store);
    handler = createApiHandler(() => ({ store, search, cursorKey: 'bench' }));
    const t = performance.now();
    const response = await handler(events[0]!, localContext());
    cold.push(performance.now() - t);
    if (response.statusCode !== 200) throw new Error(`cold request failed: ${response.body}`);
    storeShare.push(await storeRead());
  }
  cold.sort((a, b) => a - b);
  storeShare.sort((a, b) => a - b);
  const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;

  for (const event of events.slice(0, 50)) await handler(event, localContext()); // warm-up
  const times: number[] = [];
  let found = 0;
  for (const event of events) {
    const t = performance.now();
    const response = await handler(event, localContext());
    times.push(performance.now() - t);
    if ((JSON.parse(response.body) as { items: unknown[] }).items.length > 0) found++;
  }
  times.sort((a, b) => a - b);
  console.log(`\nCatalog API handler, ${PRODUCTS} products, ${label}:`);
  console.log(`  cold start (first search: load ${PRODUCTS} search docs + build the index + answer), median of 3: ${median(cold).toFixed(0)} ms  [min ${cold[0]!.toFixed(0)}, max ${cold[cold.length - 1]!.toFixed(0)}]`);
  console.log(`    of which the store returning the docs (measured alone, median): ${median(storeShare).toFixed(0)} ms; the handler's own share ≈ ${(median(cold) - median(storeShare)).toFixed(0)} ms`);
  console.log(`  warm search through the middy chain, ${times.length} requests (exact, typo, prefix, domain and classification filters):`);
  console.log(`    p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms; ${found} found something`);
}

/** Cold starts that begin from the persisted snapshot (then read only what changed since it). */
async function coldFromSnapshot(label: string, store: CatalogStore, snapshots: SearchSnapshotStore): Promise<void> {
  const writer = new SearchCache(store, { snapshots });
  let t = performance.now();
  await writer.get();
  const fullAndWrite = performance.now() - t;
  const size = (await snapshots.read())?.byteLength ?? 0;
  const cold: number[] = [];
  for (let run = 0; run < 3; run++) {
    const search = new SearchCache(store, { snapshots });
    const handler = createApiHandler(() => ({ store, search, cursorKey: 'bench' }));
    t = performance.now();
    const response = await handler(apiEventOf('/products?q=order'), localContext());
    cold.push(performance.now() - t);
    if (response.statusCode !== 200 || search.lastLoad?.kind !== 'snapshot') throw new Error(`cold request from the snapshot failed: ${response.body}`);
  }
  cold.sort((a, b) => a - b);
  console.log(`  with the persisted snapshot (${label}; ${(size / 1024 / 1024).toFixed(1)} MB gzipped JSON, written once by the first full load, which took ${fullAndWrite.toFixed(0)} ms with the write):`);
  console.log(`    cold start (read + parse the snapshot, read changes since it, answer), median of 3: ${cold[1]!.toFixed(0)} ms  [min ${cold[0]!.toFixed(0)}, max ${cold[2]!.toFixed(0)}]`);
}

export class MemorySnapshots implements SearchSnapshotStore {
  private body: Uint8Array | undefined;
  read(): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.body);
  }
  write(body: Uint8Array): Promise<void> {
    this.body = body;
    return Promise.resolve();
  }
}

async function incremental(store: MemoryCatalogStore, docs: readonly CatalogDocument[]): Promise<void> {
  const search = new SearchCache(store, { maxAgeMs: 0 });
  const handler = createApiHandler(() => ({ store, search, cursorKey: 'bench' }));
  await handler(apiEventOf('/products?q=order'), localContext());
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const current = (await store.getSummary(docs[i]!.id))!;
    await store.putSummary({ ...current, revision: current.revision + 1, changedAt: new Date().toISOString() });
    const t = performance.now();
    await handler(apiEventOf('/products?q=order'), localContext());
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`  refresh after 1 product changed (reads only the changed summaries and re-indexes only those), median of 5: ${times[2]!.toFixed(0)} ms`);
}

export async function benchCatalogApi(): Promise<void> {
  const docs = corpus(PRODUCTS);
  const records = docs.map(summaryRecord);
  const bytes = records.reduce((n, r) => n + r.doc.length + JSON.stringify(r.summary).length, 0);
  console.log(`\nCatalog API: ${PRODUCTS} products, ${(bytes / 1024 / 1024).toFixed(1)} MB of summary items (search doc + summary)`);

  const memory = new MemoryCatalogStore();
  for (const record of records) await memory.putSummary(record);
  await coldAndWarm('in-memory store', memory, async () => {
    const t = performance.now();
    await memory.changedSummaries();
    return performance.now() - t;
  });
  await incremental(memory, docs);
  await coldFromSnapshot('held in memory', memory, new MemorySnapshots());

  if (process.env.TESSERA_BENCH_MOTO === '0') return;
  const moto = await startMoto();
  try {
    const config = { region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint };
    const client = new DynamoDBClient(config);
    const table = 'bench-catalog';
    await createCatalogTable(client, table);
    const documents = DynamoDBDocumentClient.from(client);
    const seeded = performance.now();
    for (let i = 0; i < records.length; i += 25) {
      // The layout DynamoCatalogStore.putSummary writes, in batches (the bench seeds, it does not ingest).
      let pending = records.slice(i, i + 25).map((r) => ({
        PutRequest: { Item: { pk: productPk(r.product), sk: SUMMARY_SK, changeKey: PRODUCT_CHANGE_KEY, changedAt: r.changedAt, revision: r.revision, summary: JSON.stringify(r.summary), doc: r.doc, sla: [...r.slaCheckIds] } },
      }));
      while (pending.length > 0) {
        const out = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }
    console.log(`\n(seeded moto's DynamoDB with ${records.length} summary items in ${((performance.now() - seeded) / 1000).toFixed(1)} s; index ${CHANGE_INDEX})`);
    const store = dynamoCatalogStore(client, table);
    await coldAndWarm('DynamoDB in moto', store, async () => {
      const t = performance.now();
      await store.changedSummaries();
      return performance.now() - t;
    });
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-snapshots', CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
    await coldFromSnapshot('an S3 object in moto', store, s3SnapshotStore(s3, 'bench-snapshots'));
  } finally {
    await moto.stop();
  }
}
