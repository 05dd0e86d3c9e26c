/** The persisted search snapshot: format 2 (binary) round trips, format 1 (JSON) still loads, damage is refused. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpus, queries } from '../../bench/catalog-search.js';
import type { ProductSummary } from '../../lib/catalog/api-schema.js';
import { SearchIndex } from '../../lib/catalog/search.js';
import { decodeSearchSnapshot, encodeSearchSnapshot, type SnapshotEntry } from '../../lib/catalog/search-snapshot.js';

const docs = corpus(300);
const asked = [...queries(30), { text: '', filters: { domain: 'domain-03' } }];
const entries: SnapshotEntry[] = docs.slice(0, 3).map((d, i) => [d.id, i + 1, { id: d.id, name: d.name } as unknown as ProductSummary]);

describe('search snapshot format 2', () => {
  it('starts with its magic and version, and restores the same answers, entries and watermark', () => {
    const index = SearchIndex.build(docs);
    const body = encodeSearchSnapshot({ watermark: 1_764_000_000_000, entries, index });
    const raw = gunzipSync(body);
    expect(raw.toString('latin1', 0, 4)).toBe('TSRS');
    expect(raw.readUInt32LE(4)).toBe(2);
    const restored = decodeSearchSnapshot(body);
    expect(restored.watermark).toBe(1_764_000_000_000);
    expect(restored.entries).toEqual(entries);
    expect(restored.index.size).toBe(300);
    for (const q of asked) expect(restored.index.search(q.text, q.filters), JSON.stringify(q)).toEqual(index.search(q.text, q.filters));
  });

  it('keeps no trace of replaced or removed products, and the restored index takes further changes', () => {
    const index = SearchIndex.build(docs);
    index.upsert([{ ...docs[0]!, name: 'zeppelin hangar' }]);
    index.remove(docs[1]!.id);
    const restored = decodeSearchSnapshot(encodeSearchSnapshot({ watermark: 0, entries: [], index })).index;
    expect(restored.size).toBe(299);
    expect(restored.search('zeppelin').map((h) => h.id)).toEqual([docs[0]!.id]);
    expect(restored.search(docs[1]!.id).map((h) => h.id)).not.toContain(docs[1]!.id);
    restored.upsert([{ ...docs[2]!, name: 'airship dock' }]);
    expect(restored.search('airship').map((h) => h.id)).toEqual([docs[2]!.id]);
    const fresh = SearchIndex.build([{ ...docs[0]!, name: 'zeppelin hangar' }, { ...docs[2]!, name: 'airship dock' }, ...docs.slice(3)]);
    for (const q of asked) expect(restored.search(q.text, q.filters), JSON.stringify(q)).toEqual(fresh.search(q.text, q.filters));
  });

  it('refuses a truncated body, another version and the other byte order', () => {
    const raw = gunzipSync(encodeSearchSnapshot({ watermark: 0, entries, index: SearchIndex.build(docs.slice(0, 20)) }));
    expect(() => decodeSearchSnapshot(gzipSync(raw.subarray(0, raw.byteLength - 64)))).toThrow(/section \w+ is missing or truncated/);
    const version = Buffer.from(raw);
    version.writeUInt32LE(3, 4);
    expect(() => decodeSearchSnapshot(gzipSync(version))).toThrow('unsupported search snapshot version 3');
    const swapped = Buffer.from(raw);
    swapped.writeUInt32BE(swapped.readUInt32LE(8), 8);
    expect(() => decodeSearchSnapshot(gzipSync(swapped))).toThrow('other byte order');
  });
});

describe('search snapshot format 1 (gzipped JSON, written by earlier releases)', () => {
  // Written by hand in the format-1 layout: fields in the order id, name, tag, domain, table, column,
  // owner, description, columnDescription; postings are (document, field, term frequency) triples.
  const v1 = {
    format: 'tessera-catalog-search/1',
    watermark: 42,
    entries: [['alpha', 3, { id: 'alpha' }]],
    index: {
      version: 2,
      docs: [
        { id: 'alpha', domain: 'shop', tags: ['gold'], owners: ['team-a'], classifications: ['restricted'], lengths: [1, 1, 1, 1, 0, 0, 1, 2, 0], names: ['alpha'] },
        { id: 'beta', domain: 'shop', tags: [], owners: ['team-b'], classifications: [], lengths: [1, 1, 0, 1, 0, 0, 1, 1, 0], names: ['beta'] },
      ],
      postings: { alpha: [0, 0, 1, 0, 1, 1], beta: [1, 0, 1, 1, 1, 1], gold: [0, 2, 1], shop: [0, 3, 1, 1, 3, 1], widget: [0, 7, 2, 1, 7, 1], team: [0, 6, 1, 1, 6, 1], a: [0, 6, 1], b: [1, 6, 1] },
    },
  };

  it('loads, with its entries, watermark, filters and scores', () => {
    const restored = decodeSearchSnapshot(gzipSync(JSON.stringify(v1)));
    expect(restored.watermark).toBe(42);
    expect(restored.entries).toEqual([['alpha', 3, { id: 'alpha' }]]);
    // N = 2, df = 1: idf = ln(1 + 1.5 / 1.5) = ln 2; id and name at weight 6, length 1 = mean: 12 ln 2 + 10.
    expect(restored.index.search('beta')).toEqual([{ id: 'beta', score: 18.318, matched: ['id:beta', 'name:beta'] }]);
    expect(restored.index.search('widget').map((h) => h.id)).toEqual(['alpha', 'beta']);
    expect(restored.index.search('', { classification: 'restricted' }).map((h) => h.id)).toEqual(['alpha']);
    expect(restored.index.search('', { tag: 'gold' }).map((h) => h.id)).toEqual(['alpha']);
    expect(restored.index.search('', { owner: 'team-b' }).map((h) => h.id)).toEqual(['beta']);
    // ... and is written back in format 2.
    expect(gunzipSync(encodeSearchSnapshot(restored)).toString('latin1', 0, 4)).toBe('TSRS');
  });

  it('refuses another format', () => {
    expect(() => decodeSearchSnapshot(gzipSync(JSON.stringify({ ...v1, format: 'something-else/9' })))).toThrow('unknown snapshot format something-else/9');
  });
});
