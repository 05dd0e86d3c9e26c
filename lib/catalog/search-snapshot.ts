/**
 * The persisted search snapshot: the catalog API's index, every product's summary with its revision,
 * and the watermark up to which it holds every change, as one gzipped object.
 *
 * Format 2 (written): binary, so that a restore wraps the index's typed arrays where they lie in the
 * unzipped bytes instead of parsing and rebuilding millions of numbers:
 *
 *     "TSRS" | u32 version (2) | u32 byte-order mark 0x01020304 | u32 header length | header (UTF-8 JSON)
 *     | sections, each starting at a multiple of 4 bytes after the header's end
 *
 * The header is `{ watermark, sections: { [name]: [kind, offset, byteLength] } }`, kind `u32` (raw
 * platform-order Uint32Array: little-endian on Lambda's x86_64 and arm64; a reader of the other order
 * refuses it) or `json` (UTF-8 JSON). Document slots in postings and term positions in trigrams are
 * stored as gaps from the previous one in the same list (small numbers gzip well) and summed back in
 * place on read.
 *
 * Format 1 (still read): gzipped JSON `{ format: 'tessera-catalog-search/1', watermark, entries, index }`
 * with the index as `SearchIndex.toSnapshot()` gives it.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ProductSummary } from './api-schema.js';
import { SearchIndex, type SearchIndexSections, type SearchIndexSnapshot } from './search.js';

export type SnapshotEntry = readonly [product: string, revision: number, summary: ProductSummary];

export interface PersistedSearch {
  /** Epoch ms at which the load that produced this state started: every change before it is in. */
  readonly watermark: number;
  readonly entries: readonly SnapshotEntry[];
  readonly index: SearchIndex;
}

export const SNAPSHOT_FORMAT_1 = 'tessera-catalog-search/1';
const MAGIC = 'TSRS';
const VERSION = 2;
const BYTE_ORDER_MARK = 0x01020304;
const PREAMBLE = 16;

type Kind = 'u32' | 'json';
type Section = readonly [kind: Kind, offset: number, byteLength: number];

export function encodeSearchSnapshot(persisted: PersistedSearch): Uint8Array {
  const { docs, postings, trigrams } = persisted.index.toSections();
  const sections: [string, Kind, Uint8Array][] = [];
  const json = (name: string, value: unknown): void => void sections.push([name, 'json', Buffer.from(JSON.stringify(value), 'utf8')]);
  const u32 = (name: string, value: Uint32Array): void => void sections.push([name, 'u32', new Uint8Array(value.buffer, value.byteOffset, value.byteLength)]);
  json('entries', persisted.entries);
  json('strings', docs.strings);
  json('ids', docs.ids);
  json('names', docs.names);
  u32('lengths', docs.lengths);
  u32('domains', docs.domains);
  u32('labelStarts', docs.labelStarts);
  u32('labels', docs.labels);
  json('terms', postings.terms);
  u32('offsets', postings.offsets);
  u32('docs', gaps(postings.docs, postings.offsets));
  u32('meta', postings.meta);
  json('grams', trigrams.grams);
  u32('gramOffsets', trigrams.offsets);
  u32('gramTerms', gaps(trigrams.terms, trigrams.offsets));

  const table: Record<string, Section> = {};
  let offset = 0;
  for (const [name, kind, bytes] of sections) {
    table[name] = [kind, offset, bytes.byteLength];
    offset += padded(bytes.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ watermark: persisted.watermark, sections: table }), 'utf8');
  const preamble = Buffer.alloc(PREAMBLE);
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(VERSION, 4);
  new Uint32Array(preamble.buffer, preamble.byteOffset + 8, 1)[0] = BYTE_ORDER_MARK;
  preamble.writeUInt32LE(header.byteLength, 12);
  const parts: Uint8Array[] = [preamble, header, new Uint8Array(padded(header.byteLength) - header.byteLength)];
  for (const [, , bytes] of sections) parts.push(bytes, new Uint8Array(padded(bytes.byteLength) - bytes.byteLength));
  return gzipSync(Buffer.concat(parts));
}

/** Reads format 2 or format 1; throws on anything else (the caller then reads every product). */
export function decodeSearchSnapshot(body: Uint8Array): PersistedSearch {
  const raw = aligned(gunzipSync(body));
  if (raw.byteLength >= PREAMBLE && raw.toString('latin1', 0, 4) === MAGIC) return decodeBinary(raw);
  const persisted = JSON.parse(raw.toString('utf8')) as { format?: unknown; watermark: number; entries: SnapshotEntry[]; index: SearchIndexSnapshot };
  if (persisted.format !== SNAPSHOT_FORMAT_1) throw new Error(`unknown snapshot format ${String(persisted.format)}`);
  return { watermark: persisted.watermark, entries: persisted.entries, index: SearchIndex.fromSnapshot(persisted.index) };
}

/** Format 1, as releases before format 2 wrote it (kept to test that those snapshots still load). */
export function encodeSearchSnapshotV1(persisted: PersistedSearch): Uint8Array {
  return gzipSync(JSON.stringify({ format: SNAPSHOT_FORMAT_1, watermark: persisted.watermark, entries: persisted.entries, index: persisted.index.toSnapshot() }));
}

function decodeBinary(raw: Buffer): PersistedSearch {
  const version = raw.readUInt32LE(4);
  if (version !== VERSION) throw new Error(`unsupported search snapshot version ${version}`);
  if (new Uint32Array(raw.buffer, raw.byteOffset + 8, 1)[0] !== BYTE_ORDER_MARK) throw new Error('the search snapshot was written with the other byte order');
  const headerLength = raw.readUInt32LE(12);
  const header = JSON.parse(raw.toString('utf8', PREAMBLE, PREAMBLE + headerLength)) as { watermark: number; sections: Record<string, Section> };
  const base = PREAMBLE + padded(headerLength);
  const section = (name: string, kind: Kind): [number, number] => {
    const s = header.sections[name];
    if (!s || s[0] !== kind || base + s[1] + s[2] > raw.byteLength) throw new Error(`the search snapshot's section ${name} is missing or truncated`);
    return [raw.byteOffset + base + s[1], s[2]];
  };
  const json = <T>(name: string): T => {
    const [at, length] = section(name, 'json');
    return JSON.parse(raw.toString('utf8', at - raw.byteOffset, at - raw.byteOffset + length)) as T;
  };
  // Views on the unzipped bytes, not copies: the index holds them for the life of the container.
  const u32 = (name: string): Uint32Array => {
    const [at, length] = section(name, 'u32');
    return new Uint32Array(raw.buffer, at, length / 4);
  };
  const offsets = u32('offsets');
  const gramOffsets = u32('gramOffsets');
  const sections: SearchIndexSections = {
    docs: { strings: json('strings'), ids: json('ids'), names: json('names'), lengths: u32('lengths'), domains: u32('domains'), labelStarts: u32('labelStarts'), labels: u32('labels') },
    postings: { terms: json('terms'), offsets, docs: sumGaps(u32('docs'), offsets), meta: u32('meta') },
    trigrams: { grams: json('grams'), offsets: gramOffsets, terms: sumGaps(u32('gramTerms'), gramOffsets) },
  };
  return { watermark: header.watermark, entries: json('entries'), index: SearchIndex.fromSections(sections) };
}

/** Each list's values (`[offsets[i], offsets[i + 1])`) as the gap from the previous one; the first as it is. */
function gaps(values: Uint32Array, offsets: Uint32Array): Uint32Array {
  const out = new Uint32Array(values.length);
  for (let l = 0; l + 1 < offsets.length; l++) {
    let previous = 0;
    for (let i = offsets[l]!; i < offsets[l + 1]!; i++) {
      out[i] = values[i]! - previous;
      previous = values[i]!;
    }
  }
  return out;
}

/** The inverse of `gaps`, in place. */
function sumGaps(values: Uint32Array, offsets: Uint32Array): Uint32Array {
  if (offsets[offsets.length - 1] !== values.length) throw new Error('the search snapshot\'s offsets do not match its lists');
  for (let l = 0; l + 1 < offsets.length; l++) for (let i = offsets[l]! + 1; i < offsets[l + 1]!; i++) values[i] = values[i]! + values[i - 1]!;
  return values;
}

function padded(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** Typed-array views need a 4-byte aligned start; gunzip's buffer normally has one, else it is copied. */
function aligned(buffer: Buffer): Buffer {
  if (buffer.byteOffset % 4 === 0) return buffer;
  const copy = Buffer.alloc(buffer.byteLength);
  buffer.copy(copy);
  return copy;
}
