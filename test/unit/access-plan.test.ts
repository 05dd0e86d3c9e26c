import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  STEP_KINDS,
  buildAccessModel,
  buildGrantPlan,
  checkPlanOrder,
  type AccessConfig,
  type AccessProduct,
  type GrantPlan,
  type PermissionStep,
  type PlanStep,
} from '../../lib/access/index.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';

let mesh: Mesh;
let plan: GrantPlan;
beforeAll(async () => {
  mesh = (await loadMeshFile(join(import.meta.dirname, '../../mesh/mesh.yaml'))).mesh!;
  plan = buildGrantPlan(buildAccessModel(mesh));
});

const step = (id: string): PlanStep => {
  const found = plan.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}; steps: ${plan.steps.map((s) => s.id).join(', ')}`);
  return found;
};

describe('the grant plan of the example mesh', () => {
  it('is in a safe order: admins, locations, tags, associations, permissions, each dependency first', () => {
    expect(checkPlanOrder(plan)).toEqual([]);
    const kinds = plan.steps.map((s) => STEP_KINDS.indexOf(s.kind));
    expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
    expect(new Set(plan.steps.map((s) => s.kind))).toEqual(new Set(STEP_KINDS));
    expect(plan.steps[0]).toMatchObject({ id: 'admins@111111111111', kind: 'admins', admins: ['arn:aws:iam::111111111111:role/TesseraDataLakeAdmin'] });
  });

  it('registers each product location in its domain account, after that account\'s admins', () => {
    expect(step('location@orders')).toMatchObject({ kind: 'location', account: '333333333333', domain: 'orders', dependsOn: ['admins@333333333333'] });
  });

  it('creates the tags in every account: the governance account holds every domain value, a domain its own', () => {
    expect(step('tag@111111111111/domain')).toMatchObject({ values: ['customer', 'orders', 'inventory', 'shipping'] });
    expect(step('tag@333333333333/domain')).toMatchObject({ values: ['orders'], dependsOn: ['admins@333333333333'] });
    expect(step('tag@333333333333/classification')).toMatchObject({ values: ['public', 'internal', 'confidential', 'restricted'] });
  });

  it('tags databases, tables (most sensitive class) and columns (one association per class), but not the resource links', () => {
    expect(step('assoc@222222222222/customer')).toMatchObject({ resource: { type: 'database', catalog: '222222222222', database: 'customer' }, tags: [{ key: 'domain', values: ['customer'] }], dependsOn: ['tag@222222222222/domain'] });
    expect(step('assoc@222222222222/customer.customer_profiles')).toMatchObject({ tags: [{ key: 'classification', values: ['restricted'] }], dependsOn: ['tag@222222222222/classification'] });
    expect(step('assoc@222222222222/customer.customer_profiles/columns=restricted')).toMatchObject({ resource: { type: 'columns', columns: ['email', 'phone'] } });
    expect(plan.steps.filter((s) => s.kind === 'tag-association' && s.account === '111111111111')).toEqual([]);
  });

  it('shares each domain with the governance account by LF-tag, with the grant option, as DomainStack does', () => {
    expect(step('grant@333333333333/share/orders/tables')).toMatchObject({
      principal: '111111111111',
      purpose: 'share',
      resource: { type: 'lf-tag-policy', catalog: '333333333333', resourceType: 'TABLE', expression: [{ key: 'domain', values: ['orders'] }] },
      permissions: ['SELECT', 'DESCRIBE'],
      grantable: ['SELECT', 'DESCRIBE'],
      dependsOn: ['tag@333333333333/domain', 'tag@333333333333/classification'],
    });
    expect(step('grant@333333333333/share/orders/tag-classification')).toMatchObject({ resource: { type: 'lf-tag', key: 'classification' }, permissions: ['DESCRIBE'], grantable: ['DESCRIBE'] });
  });

  it('grants consumers per domain in the domain\'s catalog, merging the grants that name the domain', () => {
    const tables = step('grant@111111111111/customer-service/customer/tables') as PermissionStep;
    expect(tables).toMatchObject({
      account: '111111111111',
      principal: 'arn:aws:iam::111111111111:role/TesseraCustomerService',
      purpose: 'consumer',
      resource: {
        type: 'lf-tag-policy',
        catalog: '222222222222',
        resourceType: 'TABLE',
        expression: [
          { key: 'domain', values: ['customer'] },
          { key: 'classification', values: ['public', 'internal', 'confidential', 'restricted'] },
        ],
      },
      permissions: ['SELECT', 'DESCRIBE'],
      grantable: [],
      grants: ['customer-service#1'],
      principalOrigin: ['consumers', 1, 'role'],
    });
    // A consumer grant re-grants what the domain shared: it comes after the share, in another account's stack.
    expect(tables.dependsOn).toEqual(['admins@111111111111', 'grant@222222222222/share/customer/tables', 'grant@222222222222/share/customer/tag-domain', 'grant@222222222222/share/customer/tag-classification']);
    expect(step('grant@111111111111/customer-service/shipping/tables')).toMatchObject({ resource: { expression: [{ key: 'domain', values: ['shipping'] }, { key: 'classification', values: ['public', 'internal'] }] } });
    expect(step('grant@111111111111/customer-service/shipping/database')).toMatchObject({ resource: { resourceType: 'DATABASE', expression: [{ key: 'domain', values: ['shipping'] }] }, permissions: ['DESCRIBE'] });
    for (const domain of ['customer', 'orders', 'shipping']) {
      expect(step(`grant@111111111111/customer-service/${domain}/link`)).toMatchObject({ resource: { type: 'database', catalog: '111111111111', database: domain }, permissions: ['DESCRIBE'], dependsOn: ['admins@111111111111'] });
    }
    expect(plan.steps.filter((s) => s.id.startsWith('grant@111111111111/customer-service/inventory'))).toEqual([]);
  });
});

describe('stable step ids', () => {
  it('do not change when domains, products, consumers and grants are reordered', () => {
    const reordered: Mesh = {
      ...mesh,
      products: [...mesh.products].reverse(),
      config: {
        ...mesh.config,
        domains: [...mesh.config.domains].reverse(),
        consumers: [...mesh.config.consumers].reverse().map((c) => ({ ...c, grants: [...c.grants].reverse() })),
      },
    };
    const other = buildGrantPlan(buildAccessModel(reordered));
    expect(checkPlanOrder(other)).toEqual([]);
    expect(new Set(other.steps.map((s) => s.id))).toEqual(new Set(plan.steps.map((s) => s.id)));
  });
});

describe('edge cases', () => {
  const products: AccessProduct[] = [{ domain: 'a', contract: { id: 'p', tables: [{ name: 't', physicalName: 't', columns: [{ name: 'c', physicalName: 'c', classification: 'public' }] }] } }];
  const config = (domains: AccessConfig['domains']): AccessConfig => ({
    name: 'x',
    governance: { account: '111111111111', admins: [] },
    classifications: ['public'],
    domains,
    consumers: [{ name: 'bi', role: 'arn:aws:iam::111111111111:role/Bi', grants: [{ domains: ['*'], classifications: ['public'] }] }],
  });

  it('holds when two domains share an account', () => {
    const p = buildGrantPlan(buildAccessModel({ config: config([{ name: 'a', account: '222222222222' }, { name: 'b', account: '222222222222' }]), products }));
    expect(checkPlanOrder(p)).toEqual([]);
    expect(p.steps.find((s) => s.id === 'tag@222222222222/domain')).toMatchObject({ values: ['a', 'b'] });
  });

  it('holds when a domain lives in the governance account (no resource link to tag)', () => {
    const p = buildGrantPlan(buildAccessModel({ config: config([{ name: 'a', account: '111111111111' }]), products }));
    expect(checkPlanOrder(p)).toEqual([]);
    expect(p.steps.filter((s) => s.id === 'assoc@111111111111/a')).toHaveLength(1);
  });

  it('skips a grant\'s unknown domains and classifications (validateAccess reports them)', () => {
    const c = config([{ name: 'a', account: '222222222222' }]);
    const p = buildGrantPlan(buildAccessModel({ config: { ...c, consumers: [{ name: 'bi', role: 'arn:aws:iam::111111111111:role/Bi', grants: [{ domains: ['a', 'zzz'], classifications: ['public', 'secret'] }] }] }, products }));
    expect(checkPlanOrder(p)).toEqual([]);
    expect(p.steps.find((s) => s.id === 'grant@111111111111/bi/a/tables')).toMatchObject({ resource: { expression: [{ key: 'domain', values: ['a'] }, { key: 'classification', values: ['public'] }] } });
    expect(p.steps.some((s) => s.id.includes('zzz'))).toBe(false);
  });
});

describe('checkPlanOrder', () => {
  const a: PlanStep = { id: 'admins@1', kind: 'admins', account: '1', dependsOn: [], admins: [] };
  const t: PlanStep = { id: 'tag@1/k', kind: 'tag', account: '1', dependsOn: ['admins@1'], key: 'k', values: ['v'] };

  it('accepts dependencies that come first', () => {
    expect(checkPlanOrder({ steps: [a, t] })).toEqual([]);
  });

  it('finds a dependency that comes later, one that is missing, a duplicate id and a kind going back', () => {
    expect(checkPlanOrder({ steps: [t, a] })).toEqual([
      { step: 'tag@1/k', message: "depends on 'admins@1', which comes later" },
      { step: 'admins@1', message: "is a 'admins' step after a 'tag' step" },
    ]);
    expect(checkPlanOrder({ steps: [{ ...t, dependsOn: ['admins@2'] }] })).toEqual([{ step: 'tag@1/k', message: "depends on 'admins@2', which is not in the plan" }]);
    expect(checkPlanOrder({ steps: [a, a] })).toEqual([{ step: 'admins@1', message: "step id 'admins@1' is used twice" }]);
  });
});
