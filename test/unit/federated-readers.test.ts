import { describe, expect, it } from 'vitest';
import { federatedSourceClassification, federatedSourceReaders } from '../../lib/access/federated.js';
import type { MeshConfig } from '../../lib/mesh/config.js';

const source = { name: 'live', type: 'dynamodb' as const, tables: ['stock'] };
const config: Pick<MeshConfig, 'classifications' | 'consumers'> = {
  classifications: ['public', 'internal', 'confidential', 'restricted'],
  consumers: [
    { name: 'everyone', role: 'arn:aws:iam::111111111111:role/Everyone', createRole: false, grants: [{ domains: ['*'], classifications: ['public', 'internal'] }] },
    { name: 'planners', role: 'arn:aws:iam::111111111111:role/Planners', createRole: false, grants: [{ domains: ['inventory'], classifications: ['confidential'] }] },
    { name: 'elsewhere', role: 'arn:aws:iam::111111111111:role/Elsewhere', createRole: false, grants: [{ domains: ['orders'], classifications: ['public', 'internal', 'confidential', 'restricted'] }] },
    { name: 'auditors', role: 'arn:aws:iam::111111111111:role/Auditors', createRole: false, grants: [{ domains: ['inventory'], classifications: ['restricted'] }] },
  ],
};

describe('who may read a federated source', () => {
  it('is every consumer granted its classification in its domain, through a wildcard or by name', () => {
    expect(federatedSourceReaders(config, 'inventory', { ...source, classification: 'internal' }).map((c) => c.name)).toEqual(['everyone']);
    expect(federatedSourceReaders(config, 'inventory', { ...source, classification: 'confidential' }).map((c) => c.name)).toEqual(['planners']);
    expect(federatedSourceReaders(config, 'orders', { ...source, classification: 'internal' }).map((c) => c.name)).toEqual(['everyone', 'elsewhere']);
  });

  it('defaults to the most sensitive class, so an unclassified source is readable only by those granted it', () => {
    expect(federatedSourceClassification(config, source)).toBe('restricted');
    expect(federatedSourceReaders(config, 'inventory', source).map((c) => c.name)).toEqual(['auditors']);
  });
});
