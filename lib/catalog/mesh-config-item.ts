/**
 * The catalog's `MESH/CONFIG` item: the mesh config the API reads to show who may get access to
 * what. The governance stack writes it at deploy time from a custom resource whose parameters are
 * in the template, so the config is packed: JSON, gzipped, base64, in the attribute `packedConfig`.
 * The JSON string it replaced (`config`) was 294 KB of the governance template at 500 domains and
 * grew with each domain; packed, the same config is a few percent of that (bench/governance-template.ts).
 * Items written before the change still hold `config`: readers take either.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { MeshConfig } from '../mesh/config.js';

/** The attribute holding the packed config. */
export const PACKED_CONFIG_ATTRIBUTE = 'packedConfig';
/** The attribute of items written before the config was packed: the config's JSON. */
export const LEGACY_CONFIG_ATTRIBUTE = 'config';

export function packMeshConfig(config: MeshConfig): string {
  return gzipSync(JSON.stringify(config), { level: 9 }).toString('base64');
}

/**
 * The config's JSON value held by a `MESH/CONFIG` item, packed or not, still to be validated by
 * the caller; undefined when the item holds neither attribute.
 */
export function meshConfigOfItem(item: Readonly<Record<string, unknown>>): unknown {
  const packed = item[PACKED_CONFIG_ATTRIBUTE];
  if (typeof packed === 'string') return JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8')) as unknown;
  const legacy = item[LEGACY_CONFIG_ATTRIBUTE];
  return typeof legacy === 'string' ? (JSON.parse(legacy) as unknown) : undefined;
}
