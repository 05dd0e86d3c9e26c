/**
 * The `MESH/CONFIG` item's attributes (lib/catalog/mesh-config-item.ts): the packed form the
 * governance stack writes now, and the JSON `config` of items written before, both read back to the
 * same config. Expected values are built here with node:zlib and JSON directly.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { meshConfigOfItem, packMeshConfig } from '../../lib/catalog/mesh-config-item.js';
import type { MeshConfig } from '../../lib/mesh/config.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { root } from './constructs/helpers.js';

let config: MeshConfig;
beforeAll(async () => {
  config = (await loadMeshFile(join(root, 'mesh', 'mesh.yaml'))).mesh!.config;
});

describe('the MESH/CONFIG item', () => {
  it('packs the config as base64 of its gzipped JSON, smaller than the JSON', () => {
    const packed = packMeshConfig(config);
    expect(packed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8'))).toEqual(config);
    expect(packed.length).toBeLessThan(JSON.stringify(config).length);
  });

  it('reads the packed attribute', () => {
    const packedConfig = gzipSync(JSON.stringify(config)).toString('base64');
    expect(meshConfigOfItem({ pk: 'MESH', sk: 'CONFIG', packedConfig })).toEqual(config);
  });

  it('reads the JSON config attribute of items written before the packing', () => {
    expect(meshConfigOfItem({ pk: 'MESH', sk: 'CONFIG', config: JSON.stringify(config) })).toEqual(config);
  });

  it('prefers the packed attribute when an item holds both, and is undefined when it holds neither', () => {
    const older = { ...config, name: 'older' };
    expect(meshConfigOfItem({ config: JSON.stringify(older), packedConfig: packMeshConfig(config) })).toEqual(config);
    expect(meshConfigOfItem({ pk: 'MESH', sk: 'CONFIG' })).toBeUndefined();
  });
});
