/**
 * Grants over more than 50 values of one LF-tag condition become several grants of at most 50
 * (lib/access/split.ts): literal pieces for a reduced size, and the real 50 on generated meshes,
 * with the piece sizes counted here by hand.
 */
import { describe, expect, it } from 'vitest';
import { analyzeAccess, buildAccessModel, buildGrantPlan, checkPlanOrder, expressionPieces, type AccessConfig, type AccessProduct, type PermissionStep } from '../../lib/access/index.js';

const GOV = '111111111111';
const ROLE = 'arn:aws:iam::111111111111:role/Bi';

function mesh(domains: number, classifications: readonly string[], grantClasses: readonly string[]): { config: AccessConfig; products: AccessProduct[] } {
  const ds = Array.from({ length: domains }, (_, i) => ({ name: `d${String(i).padStart(3, '0')}`, account: String(200000000000 + i) }));
  return {
    config: { name: 'big', governance: { account: GOV, admins: [] }, classifications, domains: ds, consumers: [{ name: 'bi', role: ROLE, grants: [{ domains: ['*'], classifications: grantClasses }] }] },
    products: ds.map((d) => ({ domain: d.name, contract: { id: `${d.name}-p`, tables: [{ name: 't', physicalName: 't', columns: [{ name: 'c', physicalName: 'c', classification: classifications[0] }] }] } })),
  };
}

const permissions = (steps: readonly { kind: string }[]): PermissionStep[] => steps.filter((s): s is PermissionStep => s.kind === 'permission');

describe('splitting LF-tag conditions', () => {
  it('cuts each condition over the size and takes every combination, first pieces first', () => {
    expect(expressionPieces([{ key: 'domain', values: ['a'] }, { key: 'classification', values: ['p', 'q', 'r'] }], 2)).toEqual([
      [{ key: 'domain', values: ['a'] }, { key: 'classification', values: ['p', 'q'] }],
      [{ key: 'domain', values: ['a'] }, { key: 'classification', values: ['r'] }],
    ]);
    expect(expressionPieces([{ key: 'x', values: ['1', '2', '3'] }, { key: 'y', values: ['a', 'b', 'c'] }], 2)).toEqual([
      [{ key: 'x', values: ['1', '2'] }, { key: 'y', values: ['a', 'b'] }],
      [{ key: 'x', values: ['1', '2'] }, { key: 'y', values: ['c'] }],
      [{ key: 'x', values: ['3'] }, { key: 'y', values: ['a', 'b'] }],
      [{ key: 'x', values: ['3'] }, { key: 'y', values: ['c'] }],
    ]);
  });

  it('splits a plan with a reduced size: the first piece keeps the id, dependents wait for every piece', () => {
    const { config, products } = mesh(1, ['p', 'q', 'r', 's'], ['p', 'q', 'r']);
    const plan = buildGrantPlan(buildAccessModel({ config, products }), { valuesPerCondition: 2 });
    expect(checkPlanOrder(plan)).toEqual([]);
    const byId = new Map(permissions(plan.steps).map((s) => [s.id, s]));
    expect(byId.get('grant@200000000000/share/d000/tag-classification')!.resource).toEqual({ type: 'lf-tag', catalog: '200000000000', key: 'classification', values: ['p', 'q'] });
    expect(byId.get('grant@200000000000/share/d000/tag-classification#2')!.resource).toEqual({ type: 'lf-tag', catalog: '200000000000', key: 'classification', values: ['r', 's'] });
    expect(byId.get('grant@200000000000/share/d000/tag-classification#3')).toBeUndefined();
    const tables = byId.get('grant@111111111111/bi/d000/tables')!;
    expect(tables.resource).toEqual({ type: 'lf-tag-policy', catalog: '200000000000', resourceType: 'TABLE', expression: [{ key: 'domain', values: ['d000'] }, { key: 'classification', values: ['p', 'q'] }] });
    expect(byId.get('grant@111111111111/bi/d000/tables#2')!.resource).toEqual({ type: 'lf-tag-policy', catalog: '200000000000', resourceType: 'TABLE', expression: [{ key: 'domain', values: ['d000'] }, { key: 'classification', values: ['r'] }] });
    expect(byId.get('grant@111111111111/bi/d000/tables#2')!.permissions).toEqual(['SELECT', 'DESCRIBE']);
    expect(tables.dependsOn).toEqual(['admins@111111111111', 'grant@200000000000/share/d000/tables', 'grant@200000000000/share/d000/tag-domain', 'grant@200000000000/share/d000/tag-classification', 'grant@200000000000/share/d000/tag-classification#2']);
  });

  it('leaves a plan within the limits as it was (4 values, size 4)', () => {
    const { config, products } = mesh(3, ['p', 'q', 'r', 's'], ['p', 'q', 'r']);
    const model = buildAccessModel({ config, products });
    expect(buildGrantPlan(model, { valuesPerCondition: 4 })).toEqual(buildGrantPlan(model, { valuesPerCondition: 50 }));
  });

  it('keeps a 120-domain mesh granted on every domain within 50 values per condition, with no finding', () => {
    const classes = ['public', 'internal', 'confidential', 'restricted'];
    const analysis = analyzeAccess(mesh(120, classes, ['public', 'internal']));
    expect(analysis.diagnostics).toEqual([]);
    const conditions = permissions(analysis.plan.steps).flatMap((s) => (s.resource.type === 'lf-tag-policy' ? s.resource.expression.map((c) => c.values.length) : s.resource.type === 'lf-tag' ? [s.resource.values.length] : []));
    expect(Math.max(...conditions)).toBeLessThanOrEqual(50);
    // One tables grant per domain (120), each domain=<d> AND classification in (public, internal).
    expect(permissions(analysis.plan.steps).filter((s) => s.id.endsWith('/tables') && s.purpose === 'consumer')).toHaveLength(120);
    expect(analysis.plan.steps.find((s) => s.id === `tag@${GOV}/domain`)).toMatchObject({ values: Array.from({ length: 120 }, (_, i) => `d${String(i).padStart(3, '0')}`) });
  });

  it('splits a 120-value ontology into grants of 50, 50 and 20 values, which validate', () => {
    const classes = Array.from({ length: 120 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    // The most sensitive class (the last) is left out: a * grant of it is refused by design.
    const analysis = analyzeAccess(mesh(2, classes, classes.slice(0, 119)));
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const sizes = (id: string): number[] =>
      permissions(analysis.plan.steps)
        .filter((s) => s.id === id || s.id.startsWith(`${id}#`))
        .map((s) => (s.resource.type === 'lf-tag' ? s.resource.values.length : s.resource.type === 'lf-tag-policy' ? s.resource.expression[1]!.values.length : -1));
    expect(sizes('grant@200000000000/share/d000/tag-classification')).toEqual([50, 50, 20]);
    expect(sizes('grant@111111111111/bi/d001/tables')).toEqual([50, 50, 19]);
  });
});
