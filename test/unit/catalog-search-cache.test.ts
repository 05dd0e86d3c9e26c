/** The API's search index persisted between cold starts: restored, caught up, rewritten, and never trusted blindly. */
import { gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalCatalog, MemoryCatalogStore } from '../../lambdas/catalog/local.js';
import { SearchCache, type SearchSnapshotStore } from '../../lambdas/catalog/search-cache.js';
import { decodeSearchSnapshot, encodeSearchSnapshotV1 } from '../../lib/catalog/search-snapshot.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { root } from './constructs/helpers.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

class MemorySnapshots implements SearchSnapshotStore {
  body: Uint8Array | undefined;
  writes = 0;
  read(): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.body);
  }
  write(body: Uint8Array): Promise<void> {
    this.body = body;
    this.writes++;
    return Promise.resolve();
  }
}

let catalog: LocalCatalog;
let store: MemoryCatalogStore;
const queries = ['shipmnts', 'stock', 'order lines', 'email', ''];

beforeEach(async () => {
  const mesh = (await loadMeshFile(`${root}/mesh/mesh.yaml`)).mesh!;
  store = new MemoryCatalogStore();
  catalog = new LocalCatalog({ store, mesh: mesh.config.name });
  await catalog.publish(mesh.products.map((p) => ({ text: p.contract.source.text, domain: p.domain })));
});

const answers = async (cache: SearchCache) => {
  const { index, summaries } = await cache.get();
  return { hits: queries.map((q) => index.search(q)), products: [...summaries.keys()].sort() };
};

describe('SearchCache with a persisted snapshot', () => {
  it('writes one after the first full load, and a cold start answers from it as from the table', async () => {
    const snapshots = new MemorySnapshots();
    const first = new SearchCache(store, { snapshots });
    const expected = await answers(first);
    expect(first.lastLoad?.kind).toBe('full');
    expect(snapshots.writes).toBe(1);

    const cold = new SearchCache(store, { snapshots });
    expect(await answers(cold)).toEqual(expected);
    expect(cold.lastLoad?.kind).toBe('snapshot');
    // Nothing changed since: the restored container does not rewrite it.
    expect(snapshots.writes).toBe(1);
  });

  it('catches up with what was published after the snapshot', async () => {
    const snapshots = new MemorySnapshots();
    await new SearchCache(store, { snapshots }).get();
    const text = (await loadMeshFile(`${root}/mesh/mesh.yaml`)).mesh!.products.find((p) => p.contract.id === 'orders')!.contract.source.text;
    await catalog.publish([{ text: text.replace(/^id: orders$/m, 'id: returns').replace(/^name: .*$/m, 'name: Returns'), domain: 'orders' }]);

    const cold = new SearchCache(store, { snapshots });
    const { index, summaries } = await cold.get();
    expect(cold.lastLoad).toMatchObject({ kind: 'snapshot', changed: 1 });
    expect(summaries.has('returns')).toBe(true);
    expect(index.search('returns').map((h) => h.id)[0]).toBe('returns');
    expect(await answers(cold)).toEqual(await answers(new SearchCache(store)));
  });

  it('starts from a format-1 (JSON) snapshot of an earlier release', async () => {
    const snapshots = new MemorySnapshots();
    const expected = await answers(new SearchCache(store, { snapshots }));
    snapshots.body = encodeSearchSnapshotV1(decodeSearchSnapshot(snapshots.body!));
    const cold = new SearchCache(store, { snapshots });
    expect(await answers(cold)).toEqual(expected);
    expect(cold.lastLoad?.kind).toBe('snapshot');
  });

  it('reads every product instead when the snapshot is corrupt or of another format', async () => {
    for (const body of [new Uint8Array([1, 2, 3]), gzipSync(JSON.stringify({ format: 'something-else/9' }))]) {
      const snapshots = new MemorySnapshots();
      snapshots.body = body;
      const cache = new SearchCache(store, { snapshots });
      expect(await answers(cache)).toEqual(await answers(new SearchCache(store)));
      expect(cache.lastLoad?.kind).toBe('full');
      // ... and replaces it with a good one.
      expect(snapshots.writes).toBe(1);
      expect((await answers(new SearchCache(store, { snapshots }))).products).toHaveLength(5);
    }
  });

  it('keeps serving when the snapshot cannot be written', async () => {
    const failing: SearchSnapshotStore = { read: () => Promise.resolve(undefined), write: () => Promise.reject(new Error('AccessDenied')) };
    const cache = new SearchCache(store, { snapshots: failing });
    expect((await answers(cache)).products).toHaveLength(5);
  });

  it('rewrites it after changes, at most every snapshotEveryMs', async () => {
    let now = Date.now();
    const snapshots = new MemorySnapshots();
    const cache = new SearchCache(store, { snapshots, maxAgeMs: 0, snapshotEveryMs: 60_000, now: () => now });
    await cache.get();
    expect(snapshots.writes).toBe(1);
    const text = (await loadMeshFile(`${root}/mesh/mesh.yaml`)).mesh!.products.find((p) => p.contract.id === 'orders')!.contract.source.text;
    await catalog.publish([{ text: text.replace(/^id: orders$/m, 'id: refunds'), domain: 'orders' }]);
    await cache.get();
    expect(snapshots.writes).toBe(1);
    now += 61_000;
    await cache.get();
    expect(snapshots.writes).toBe(2);
    // No change since the last write: nothing to write.
    now += 61_000;
    await cache.get();
    expect(snapshots.writes).toBe(2);
  });
});
