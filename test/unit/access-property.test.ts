/**
 * Property: for any mesh, the grant plan and the explained matrix agree. The plan is evaluated here
 * independently of lib/access/evaluate.ts, the way Lake Formation would after applying it: resource
 * tags come only from the plan's tag associations (with inheritance database → table → column), a
 * consumer reads a column when one of its permission steps in that column's catalog gives SELECT on
 * an LF-tag expression matching the column, and (outside the governance account's own catalog) the
 * governance account was shared that data and may cascade the expression (Lake Formation's
 * permission cascading rules).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildAccessModel,
  buildGrantPlan,
  checkPlanOrder,
  evaluateAccess,
  validateAccess,
  type AccessConfig,
  type AccessModel,
  type AccessProduct,
  type GrantPlan,
  type PermissionStep,
} from '../../lib/access/index.js';

const ONTOLOGY = ['public', 'internal', 'confidential', 'restricted', 'secret'];
const DOMAIN_NAMES = ['sales', 'hr', 'ops', 'risk', 'web-shop'];
const GOVERNANCE = '100000000000';
const ACCOUNTS = ['200000000000', '300000000000', '400000000000', '500000000000', GOVERNANCE];

const meshArbitrary = fc
  .record({
    classes: fc.integer({ min: 1, max: ONTOLOGY.length }),
    domains: fc.uniqueArray(fc.constantFrom(...DOMAIN_NAMES), { minLength: 1, maxLength: DOMAIN_NAMES.length }),
  })
  .chain(({ classes, domains }) => {
    const ontology = ONTOLOGY.slice(0, classes);
    const column = fc.record({ classification: fc.option(fc.constantFrom(...ontology), { nil: undefined, freq: 5 }) });
    const table = fc.array(column, { minLength: 1, maxLength: 5 });
    const product = fc.record({ domain: fc.constantFrom(...domains), tables: fc.array(table, { minLength: 1, maxLength: 3 }) });
    const grant = fc.record({
      domains: fc.oneof(fc.constant(['*']), fc.subarray(domains, { minLength: 1 })),
      classifications: fc.subarray(ontology, { minLength: 1 }),
    });
    const consumer = fc.record({ role: fc.constantFrom('Bi', 'Ops', 'Audit'), grants: fc.array(grant, { minLength: 1, maxLength: 3 }) });
    return fc.record({
      ontology: fc.constant(ontology),
      domains: fc.tuple(...domains.map((name) => fc.record({ name: fc.constant(name), account: fc.constantFrom(...ACCOUNTS) }))),
      products: fc.array(product, { maxLength: 5 }),
      consumers: fc.array(consumer, { maxLength: 4 }),
    });
  })
  .map(({ ontology, domains, products, consumers }) => {
    const config: AccessConfig = {
      name: 'prop',
      governance: { account: GOVERNANCE, admins: [`arn:aws:iam::${GOVERNANCE}:role/Admin`] },
      classifications: ontology,
      domains,
      consumers: consumers.map((c, i) => ({ name: `c${i}`, role: `arn:aws:iam::${GOVERNANCE}:role/${c.role}`, grants: c.grants })),
    };
    const meshProducts: AccessProduct[] = products.map((p, i) => ({
      domain: p.domain,
      contract: {
        id: `p${i}`,
        // Table names are unique across the mesh, as the loader requires within a domain's database.
        tables: p.tables.map((columns, j) => ({
          name: `t${i}_${j}`,
          physicalName: `t${i}_${j}`,
          columns: columns.map((c, k) => ({ name: `c${k}`, physicalName: `c${k}`, classification: c.classification })),
        })),
      },
    }));
    return { config, products: meshProducts };
  });

type Tags = Record<string, string>;

/** What applying the plan would let each role do, judged from the plan's steps alone. */
function evaluatePlan(plan: GrantPlan, model: AccessModel): { columns: Map<string, Set<string>>; databases: Map<string, Set<string>> } {
  const own = new Map<string, Tags>();
  for (const a of plan.steps) {
    if (a.kind !== 'tag-association') continue;
    const tags = Object.fromEntries(a.tags.map((t) => [t.key, t.values[0]!]));
    const r = a.resource;
    const keys = r.type === 'database' ? [`${r.catalog}/${r.database}`] : r.type === 'table' ? [`${r.catalog}/${r.database}.${r.table}`] : r.columns.map((c) => `${r.catalog}/${r.database}.${r.table}.${c}`);
    for (const key of keys) own.set(key, { ...own.get(key), ...tags });
  }
  const permissions = plan.steps.filter((s): s is PermissionStep => s.kind === 'permission');
  const matchesAll = (expression: readonly { key: string; values: readonly string[] }[], tags: Tags): boolean => {
    for (const condition of expression) {
      const value = tags[condition.key];
      if (value === undefined || !condition.values.includes(value)) return false;
    }
    return true;
  };
  const holds = (principal: string, catalog: string, type: 'TABLE' | 'DATABASE', tags: Tags, permission: 'SELECT' | 'DESCRIBE'): PermissionStep[] =>
    permissions.filter(
      (p) =>
        p.principal === principal &&
        p.resource.type === 'lf-tag-policy' &&
        p.resource.catalog === catalog &&
        p.resource.resourceType === type &&
        p.permissions.includes(permission) &&
        matchesAll(p.resource.expression, tags),
    );
  const key = (expression: readonly { key: string; values: readonly string[] }[]): string =>
    JSON.stringify(expression.map((c) => [c.key, [...c.values].sort()]).sort());
  // The governance account owns its catalog. Elsewhere its grant takes effect only for data the
  // domain shared with it, and only if it may cascade the expression: the identical shared
  // expression with the grant option, or DESCRIBE on every tag value the expression names.
  const effective = (grant: PermissionStep, tags: Tags, permission: 'SELECT' | 'DESCRIBE'): boolean => {
    if (grant.resource.type !== 'lf-tag-policy') return false;
    const { catalog, resourceType, expression } = grant.resource;
    if (catalog === model.governanceAccount) return true;
    const shared = holds(model.governanceAccount, catalog, resourceType, tags, permission);
    if (shared.length === 0) return false;
    const identical = shared.some((s) => s.resource.type === 'lf-tag-policy' && key(s.resource.expression) === key(expression) && s.grantable.includes(permission));
    const describes = expression.every((c) =>
      permissions.some((s) => s.principal === model.governanceAccount && s.resource.type === 'lf-tag' && s.resource.catalog === catalog && s.resource.key === c.key && s.permissions.includes('DESCRIBE') && c.values.every((v) => (s.resource as { values: readonly string[] }).values.includes(v))),
    );
    return identical || describes;
  };
  const can = (role: string, catalog: string, type: 'TABLE' | 'DATABASE', tags: Tags, permission: 'SELECT' | 'DESCRIBE'): boolean =>
    holds(role, catalog, type, tags, permission).some((grant) => effective(grant, tags, permission));

  const roles = [...new Set(model.principals.map((p) => p.arn))];
  const columns = new Map(roles.map((r) => [r, new Set<string>()]));
  const databases = new Map(roles.map((r) => [r, new Set<string>()]));
  for (const table of model.tables) {
    const dbTags = own.get(`${table.account}/${table.glueDatabase}`) ?? {};
    const tableTags = { ...dbTags, ...own.get(`${table.account}/${table.glueDatabase}.${table.glueTable}`) };
    for (const column of table.columns) {
      const tags = { ...tableTags, ...own.get(`${table.account}/${table.glueDatabase}.${table.glueTable}.${column.glueColumn}`) };
      for (const role of roles) {
        if (can(role, table.account, 'TABLE', tags, 'SELECT')) columns.get(role)!.add(column.id);
      }
    }
  }
  for (const db of model.databases) {
    const tags = own.get(`${db.account}/${db.glueDatabase}`) ?? {};
    for (const role of roles) {
      if (can(role, db.account, 'DATABASE', tags, 'DESCRIBE')) databases.get(role)!.add(db.domain);
    }
  }
  return { columns, databases };
}

describe('grant plan and explained matrix (property)', () => {
  it('agree on every column and database, for any mesh, and the plan is always in a safe order', () => {
    fc.assert(
      fc.property(meshArbitrary, (input) => {
        const model = buildAccessModel(input);
        const plan = buildGrantPlan(model);
        expect(checkPlanOrder(plan)).toEqual([]);

        const matrix = evaluateAccess(model);
        const fromPlan = evaluatePlan(plan, model);
        for (const access of matrix.principals) {
          const readable = access.tables.flatMap((t) => t.columns.filter((c) => c.readable).map((c) => c.id));
          expect(new Set(readable)).toEqual(fromPlan.columns.get(access.principal.arn));
          const describable = access.databases.filter((d) => d.describable).map((d) => d.domain);
          expect(new Set(describable)).toEqual(fromPlan.databases.get(access.principal.arn));
          for (const t of access.tables) expect(t.readable).toBe(t.columns.some((c) => c.readable));
        }

        // The plan itself never breaks a Lake Formation rule: only Tessera's own policy findings remain.
        const codes = new Set(validateAccess(model, plan, { matrix }).map((d) => d.code));
        for (const code of codes) expect(['restricted-wildcard', 'shared-principal']).toContain(code);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a difference when the plan drops a consumer grant (the check can fail)', () => {
    const input = {
      config: {
        name: 'x',
        governance: { account: GOVERNANCE, admins: [] },
        classifications: ['public'],
        domains: [{ name: 'sales', account: '200000000000' }],
        consumers: [{ name: 'bi', role: `arn:aws:iam::${GOVERNANCE}:role/Bi`, grants: [{ domains: ['sales'], classifications: ['public'] }] }],
      },
      products: [{ domain: 'sales', contract: { id: 'p', tables: [{ name: 't', physicalName: 't', columns: [{ name: 'c', physicalName: 'c', classification: 'public' }] }] } }],
    } satisfies { config: AccessConfig; products: AccessProduct[] };
    const model = buildAccessModel(input);
    const plan = buildGrantPlan(model);
    const arn = model.principals[0]!.arn;
    expect(evaluatePlan(plan, model).columns.get(arn)).toEqual(new Set(['p.t.c']));
    const withoutShare = { steps: plan.steps.filter((s) => s.id !== 'grant@200000000000/share/sales/tables') };
    expect(evaluatePlan(withoutShare, model).columns.get(arn)).toEqual(new Set());
    const withoutGrant = { steps: plan.steps.filter((s) => s.id !== `grant@${GOVERNANCE}/bi/sales/tables`) };
    expect(evaluatePlan(withoutGrant, model).columns.get(arn)).toEqual(new Set());
    // Without DESCRIBE on the classification values, the narrower expression cannot be cascaded.
    const withoutTag = { steps: plan.steps.filter((s) => s.id !== 'grant@200000000000/share/sales/tag-classification') };
    expect(evaluatePlan(withoutTag, model).columns.get(arn)).toEqual(new Set());
  });
});
