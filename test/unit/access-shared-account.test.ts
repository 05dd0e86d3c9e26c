import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeAccess, checkPlanOrder, type AccessAnalysis, type PermissionStep } from '../../lib/access/index.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';

const GOV = '111111111111';
let analysis: AccessAnalysis;

beforeAll(async () => {
  const mesh = (await loadMeshFile(join(import.meta.dirname, '../../mesh/mesh.yaml'))).mesh!;
  // Domain customer moves into the governance account.
  const shared: Mesh = { ...mesh, config: { ...mesh.config, domains: mesh.config.domains.map((d) => (d.name === 'customer' ? { ...d, account: GOV } : d)) } };
  analysis = analyzeAccess(shared);
});

describe('the grant plan of a domain in the governance account', () => {
  it('shares nothing: the governance catalog is its own', () => {
    const shares = analysis.plan.steps.filter((s): s is PermissionStep => s.kind === 'permission' && s.purpose === 'share');
    expect(shares.filter((s) => s.id.includes('/share/customer/'))).toEqual([]);
    expect(shares.every((s) => s.principal !== s.account)).toBe(true);
  });

  it('grants consumers in its catalog after the governance account tags, and stays valid', () => {
    const grant = analysis.plan.steps.find((s) => s.id === `grant@${GOV}/customer-service/customer/tables`)!;
    expect(grant.dependsOn).toEqual([`admins@${GOV}`, `tag@${GOV}/domain`, `tag@${GOV}/classification`]);
    expect(checkPlanOrder(analysis.plan)).toEqual([]);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
