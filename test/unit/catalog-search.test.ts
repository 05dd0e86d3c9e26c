import { beforeAll, describe, expect, it } from 'vitest';
import { documentOf, SearchIndex, tokenize } from '../../lib/catalog/search.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { root } from './constructs/helpers.js';

let index: SearchIndex;

beforeAll(async () => {
  const { mesh } = await loadMeshFile(`${root}/mesh/mesh.yaml`);
  index = SearchIndex.build(mesh!.products.map((p) => documentOf(p.contract)));
});

const ids = (text: string, filters = {}) => index.search(text, filters).map((h) => h.id);

describe('catalog search over the example mesh', () => {
  it('ranks the product whose name matches first', () => {
    expect(ids('orders')[0]).toBe('orders');
    expect(ids('order lines')[0]).toBe('order-lines');
    expect(ids('stock levels')[0]).toBe('stock-levels');
  });

  it('finds products by column and table names', () => {
    expect(ids('carrier')).toEqual(['shipments']);
    expect(ids('email')[0]).toBe('customer-profiles');
  });

  it('tolerates small typos', () => {
    expect(ids('shipmnts')[0]).toBe('shipments');
    expect(ids('custmer profiles')[0]).toBe('customer-profiles');
  });

  it('completes the word being typed', () => {
    expect(ids('wareh')).toContain('stock-levels');
    expect(ids('invent')[0]).toBe('stock-levels');
  });

  it('filters by domain, classification and owner', () => {
    expect(ids('', { domain: 'orders' }).sort()).toEqual(['order-lines', 'orders']);
    expect(ids('', { classification: 'restricted' })).toEqual(['customer-profiles']);
    expect(ids('orders', { domain: 'shipping' })).toEqual(['shipments']);
    expect(ids('', { owner: 'inventory-data-team' })).toEqual(['stock-levels']);
  });

  it('says what matched', () => {
    const [hit] = index.search('carrier');
    expect(hit!.matched).toContain('column:carrier');
  });

  it('gives the same answers from a JSON snapshot', () => {
    const restored = SearchIndex.fromSnapshot(JSON.parse(JSON.stringify(index.toSnapshot())) as ReturnType<SearchIndex['toSnapshot']>);
    for (const q of ['orders', 'shipmnts', 'wareh', 'email']) expect(restored.search(q)).toEqual(index.search(q));
  });

  it('returns nothing for words no product has', () => {
    expect(ids('zebra quantum')).toEqual([]);
  });
});

describe('updating the index in place', () => {
  const queries = ['orders', 'shipmnts', 'wareh', 'email', 'stock level', 'parcel carrier', ''];
  const docsOf = async () => (await loadMeshFile(`${root}/mesh/mesh.yaml`)).mesh!.products.map((p) => documentOf(p.contract));

  it('answers exactly as an index built afresh from the same products', async () => {
    const docs = await docsOf();
    const updated = SearchIndex.build(docs);
    // Rename shipments to parcels, retire stock-levels, add a new product.
    const renamed = { ...docs.find((d) => d.id === 'shipments')!, name: 'Parcels', description: 'Every parcel handed to a courier' };
    const added = { ...docs.find((d) => d.id === 'orders')!, id: 'returns', name: 'Returns', description: 'Orders sent back by customers' };
    updated.upsert([renamed, added]);
    updated.remove('stock-levels');
    const final = [...docs.filter((d) => d.id !== 'shipments' && d.id !== 'stock-levels'), renamed, added];
    const fresh = SearchIndex.build(final);
    expect(updated.size).toBe(final.length);
    for (const q of queries) expect(updated.search(q), q).toEqual(fresh.search(q));
    expect(updated.search('stock').map((h) => h.id)).not.toContain('stock-levels');
    expect(updated.search('courier').map((h) => h.id)[0]).toBe('shipments');
    // The snapshot of an updated index has no trace of retired entries.
    const restored = SearchIndex.fromSnapshot(JSON.parse(JSON.stringify(updated.toSnapshot())) as ReturnType<SearchIndex['toSnapshot']>);
    expect(restored.toSnapshot().docs.map((d) => d.id).sort()).toEqual(final.map((d) => d.id).sort());
    for (const q of queries) expect(restored.search(q), q).toEqual(fresh.search(q));
  });

  it('compacts after many replacements without changing answers', async () => {
    const docs = await docsOf();
    const index = SearchIndex.build(docs);
    for (let round = 0; round < 5; round++) index.upsert(docs);
    const fresh = SearchIndex.build(docs);
    for (const q of queries) expect(index.search(q), q).toEqual(fresh.search(q));
    expect(index.toSnapshot().docs).toHaveLength(docs.length);
  });
});

describe('tokenize', () => {
  it('splits snake_case and camelCase, lower-cases and drops plural endings', () => {
    expect(tokenize('order_lines OrderLines customerID Categories')).toEqual(['order', 'line', 'order', 'line', 'customer', 'id', 'category']);
  });
});
