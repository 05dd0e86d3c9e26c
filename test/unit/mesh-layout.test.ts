import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MeshConfig } from '../../lib/mesh/config.js';
import { meshLayout, prerequisitePrincipals, rolePathAndName } from '../../lib/mesh/layout.js';
import { loadMeshFile } from '../../lib/mesh/load.js';

let config: MeshConfig;

beforeAll(async () => {
  config = (await loadMeshFile(join(import.meta.dirname, '../../mesh/mesh.yaml'))).mesh!.config;
});

describe('meshLayout', () => {
  it('deploys the example mesh foundation first, the domains next, governance last', () => {
    expect(meshLayout(config).map((s) => [s.name, s.account, s.dependsOn, s.ownsAccountSettings])).toEqual([
      ['tessera-ecommerce-foundation', '111111111111', [], true],
      ['tessera-ecommerce-customer', '222222222222', ['tessera-ecommerce-foundation'], true],
      ['tessera-ecommerce-orders', '333333333333', ['tessera-ecommerce-foundation'], true],
      ['tessera-ecommerce-inventory', '444444444444', ['tessera-ecommerce-foundation'], true],
      ['tessera-ecommerce-shipping', '555555555555', ['tessera-ecommerce-foundation'], true],
      ['tessera-ecommerce-governance', '111111111111', ['tessera-ecommerce-foundation', 'tessera-ecommerce-customer', 'tessera-ecommerce-orders', 'tessera-ecommerce-inventory', 'tessera-ecommerce-shipping'], false],
    ]);
  });

  it('gives each shared account one owner, which the other stacks there deploy after', () => {
    const shared: MeshConfig = { ...config, domains: config.domains.map((d) => ({ ...d, account: d.name === 'customer' ? '111111111111' : d.name === 'shipping' ? '333333333333' : d.account })) };
    const byName = new Map(meshLayout(shared).map((s) => [s.name, s]));
    expect(byName.get('tessera-ecommerce-customer')).toMatchObject({ dependsOn: ['tessera-ecommerce-foundation'], ownsAccountSettings: false });
    expect(byName.get('tessera-ecommerce-orders')).toMatchObject({ dependsOn: ['tessera-ecommerce-foundation'], ownsAccountSettings: true });
    expect(byName.get('tessera-ecommerce-shipping')).toMatchObject({ dependsOn: ['tessera-ecommerce-foundation', 'tessera-ecommerce-orders'], ownsAccountSettings: false });
    expect(meshLayout(shared).filter((s) => s.ownsAccountSettings).map((s) => s.account).sort()).toEqual(['111111111111', '333333333333', '444444444444']);
  });
});

describe('prerequisitePrincipals', () => {
  it('lists the example mesh admin only: its consumer roles are created by Tessera', () => {
    expect(prerequisitePrincipals(config)).toEqual([{ arn: 'arn:aws:iam::111111111111:role/TesseraDataLakeAdmin', account: '111111111111', use: 'data-lake-admin', origin: ['governance', 'admins', 0] }]);
  });

  it('lists a consumer role Tessera does not create, once, where it is first named', () => {
    const consumers = config.consumers.map((c, i) => ({ ...c, createRole: i !== 0 }));
    const extra = { ...consumers[0]!, name: 'also-analysts' };
    expect(prerequisitePrincipals({ ...config, consumers: [...consumers, extra] }).map((p) => [p.arn, p.use, p.origin])).toEqual([
      ['arn:aws:iam::111111111111:role/TesseraDataLakeAdmin', 'data-lake-admin', ['governance', 'admins', 0]],
      ['arn:aws:iam::111111111111:role/TesseraAnalyst', 'consumer-role', ['consumers', 0, 'role']],
    ]);
  });
});

describe('rolePathAndName', () => {
  it('splits a role ARN into the path and name CreateRole takes', () => {
    expect(rolePathAndName('arn:aws:iam::111111111111:role/Analyst')).toEqual({ path: '/', name: 'Analyst' });
    expect(rolePathAndName('arn:aws:iam::111111111111:role/teams/data/Analyst')).toEqual({ path: '/teams/data/', name: 'Analyst' });
  });
});
