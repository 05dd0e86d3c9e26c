import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessProduct as product } from '../support/access.js';
import {
  accessSummary,
  buildAccessModel,
  evaluateAccess,
  explainPrincipal,
  findPrincipals,
  matches,
  parsePrincipal,
  type AccessConfig,
  type AccessMatrix,
  type AccessModel,
  type PrincipalAccess,
} from '../../lib/access/index.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';

const ONTOLOGY = ['public', 'internal', 'confidential', 'restricted'];


function config(consumers: AccessConfig['consumers'], domains = ['sales', 'hr']): AccessConfig {
  return {
    name: 'test',
    governance: { account: '111111111111', admins: [] },
    classifications: ONTOLOGY,
    domains: domains.map((name, i) => ({ name, account: String(222222222222 + i * 111111111111) })),
    consumers,
  };
}

const products = [
  product('sales', 'deals', { deals: { deal_id: 'internal', amount: 'confidential', region: 'public', notes: undefined } }),
  product('hr', 'people', { people: { person_id: 'internal', salary: 'restricted', team: 'public' } }),
];

const role = (name: string): string => `arn:aws:iam::111111111111:role/${name}`;

function accessOf(model: AccessModel, name: string): PrincipalAccess {
  return explainPrincipal(model, findPrincipals(model, name)[0]!);
}

function column(access: PrincipalAccess, id: string) {
  const [productId, table] = id.split('.');
  const c = access.tables.find((t) => t.product === productId && t.table === table)?.columns.find((col) => col.id === id);
  if (!c) throw new Error(`test setup: no column ${id}`);
  return c;
}

describe('tag expressions', () => {
  it('match when every key of the expression has one of its values (keys ANDed, values ORed)', () => {
    const expr = [
      { key: 'domain', values: ['sales', 'hr'] },
      { key: 'classification', values: ['public'] },
    ];
    expect(matches(expr, { domain: 'hr', classification: 'public' })).toBe(true);
    expect(matches(expr, { domain: 'hr', classification: 'internal' })).toBe(false);
    expect(matches(expr, { domain: 'ops', classification: 'public' })).toBe(false);
    // A resource without a key the expression names never matches.
    expect(matches(expr, { domain: 'hr' })).toBe(false);
    // Keys the expression does not name do not matter.
    expect(matches([{ key: 'domain', values: ['hr'] }], { domain: 'hr', classification: 'restricted', other: 'x' })).toBe(true);
  });
});

describe('principals', () => {
  it('tells roles and users from whole accounts', () => {
    expect(parsePrincipal('arn:aws:iam::123456789012:role/Analyst')).toEqual({ kind: 'role', account: '123456789012' });
    expect(parsePrincipal('arn:aws:iam::123456789012:role/path/Analyst')).toEqual({ kind: 'role', account: '123456789012' });
    expect(parsePrincipal('arn:aws:iam::123456789012:user/alice')).toEqual({ kind: 'user', account: '123456789012' });
    expect(parsePrincipal('123456789012')).toEqual({ kind: 'account', account: '123456789012' });
    expect(parsePrincipal('arn:aws:iam::123456789012:root')).toEqual({ kind: 'account', account: '123456789012' });
    expect(parsePrincipal('arn:aws-cn:iam::123456789012:role/A')).toEqual({ kind: 'role', account: '123456789012' });
    expect(parsePrincipal('analysts').kind).toBe('invalid');
  });
});

describe('resources', () => {
  const model = buildAccessModel({ config: config([]), products });

  it('tags each database with its domain, each table with its most sensitive column, each column with its own class', () => {
    expect(model.databases.map((d) => [d.domain, d.glueDatabase, d.tags])).toEqual([
      ['sales', 'sales', { domain: 'sales' }],
      ['hr', 'hr', { domain: 'hr' }],
    ]);
    const deals = model.tables.find((t) => t.id === 'deals.deals')!;
    expect(deals.tags).toEqual({ classification: 'confidential' });
    expect(deals.effectiveTags).toEqual({ domain: 'sales', classification: 'confidential' });
    expect(deals.account).toBe('222222222222');
    const amount = deals.columns.find((c) => c.name === 'amount')!;
    expect(amount.effectiveTags).toEqual({ domain: 'sales', classification: 'confidential' });
    const region = deals.columns.find((c) => c.name === 'region')!;
    expect(region.effectiveTags).toEqual({ domain: 'sales', classification: 'public' });
  });

  it('lets a column without a classification inherit its table\'s', () => {
    const notes = model.tables.find((t) => t.id === 'deals.deals')!.columns.find((c) => c.name === 'notes')!;
    expect(notes.classification).toBeUndefined();
    expect(notes.tags).toEqual({});
    expect(notes.effectiveTags).toEqual({ domain: 'sales', classification: 'confidential' });
  });

  it('knows the Glue names of everything', () => {
    const m = buildAccessModel({
      config: config([], ['web-shop']),
      products: [{ domain: 'web-shop', contract: { id: 'carts', tables: [{ name: 'Carts', physicalName: 'carts_v2', columns: [{ name: 'Id', physicalName: 'cart_id', classification: 'public' }] }] } }],
    });
    const c = m.tables[0]!.columns[0]!;
    expect([c.glueDatabase, c.glueTable, c.glueColumn, c.id]).toEqual(['web_shop', 'carts_v2', 'cart_id', 'carts.Carts.Id']);
  });
});

describe('effective access', () => {
  it('allows a column whose domain and classification a grant names, and says which grant', () => {
    const model = buildAccessModel({ config: config([{ name: 'bi', role: role('Bi'), grants: [{ domains: ['sales'], classifications: ['public', 'internal'] }] }]), products });
    const access = accessOf(model, 'bi');
    expect(column(access, 'deals.deals.deal_id')).toMatchObject({ readable: true, allowedBy: ['bi#1'], classification: 'internal' });
    expect(column(access, 'deals.deals.region')).toMatchObject({ readable: true, allowedBy: ['bi#1'] });
  });

  it('denies a classification that is not granted, naming what the grants give', () => {
    const model = buildAccessModel({ config: config([{ name: 'bi', role: role('Bi'), grants: [{ domains: ['sales'], classifications: ['public', 'internal'] }] }]), products });
    const amount = column(accessOf(model, 'bi'), 'deals.deals.amount');
    expect(amount.readable).toBe(false);
    expect(amount.allowedBy).toEqual([]);
    expect(amount.reason).toBe("classification 'confidential' is not granted for domain 'sales'; grants give public, internal");
  });

  it('says when a denied column only inherits its classification from the table', () => {
    const model = buildAccessModel({ config: config([{ name: 'bi', role: role('Bi'), grants: [{ domains: ['sales'], classifications: ['public', 'internal'] }] }]), products });
    expect(column(accessOf(model, 'bi'), 'deals.deals.notes').reason).toBe(
      "classification 'confidential' (inherited from the table) is not granted for domain 'sales'; grants give public, internal",
    );
  });

  it('denies a domain no grant names', () => {
    const model = buildAccessModel({ config: config([{ name: 'bi', role: role('Bi'), grants: [{ domains: ['sales'], classifications: ['public'] }] }]), products });
    const access = accessOf(model, 'bi');
    expect(column(access, 'people.people.team')).toMatchObject({ readable: false, reason: "domain 'hr' is not in any grant; grants give sales" });
    const people = access.tables.find((t) => t.id === 'people.people')!;
    expect(people).toMatchObject({ readable: false, readableColumns: 0, totalColumns: 3 });
    expect(accessSummary(people)).toBe('none');
    expect(access.databases.find((d) => d.domain === 'hr')).toMatchObject({ describable: false, reason: "domain 'hr' is not in any grant; grants give sales" });
    expect(access.databases.find((d) => d.domain === 'sales')).toMatchObject({ describable: true, allowedBy: ['bi#1'] });
  });

  it('works column by column: a table is listed when any column is readable', () => {
    const model = buildAccessModel({ config: config([{ name: 'bi', role: role('Bi'), grants: [{ domains: ['*'], classifications: ['public'] }] }]), products });
    const access = accessOf(model, 'bi');
    const deals = access.tables.find((t) => t.id === 'deals.deals')!;
    // The table is tagged confidential, yet its public column is readable: columns carry their own tag.
    expect(deals.classification).toBe('confidential');
    expect(deals).toMatchObject({ readable: true, readableColumns: 1, totalColumns: 4, allowedBy: ['bi#1'] });
    expect(accessSummary(deals)).toBe('1 of 4');
    expect(deals.columns.filter((c) => c.readable).map((c) => c.name)).toEqual(['region']);
  });

  it('unions several grants: each column names every grant that allows it', () => {
    const model = buildAccessModel({
      config: config([
        {
          name: 'ops',
          role: role('Ops'),
          grants: [
            { domains: ['*'], classifications: ['public'] },
            { domains: ['sales'], classifications: ['public', 'confidential'] },
          ],
        },
      ]),
      products,
    });
    const access = accessOf(model, 'ops');
    expect(column(access, 'deals.deals.region').allowedBy).toEqual(['ops#1', 'ops#2']);
    expect(column(access, 'deals.deals.amount').allowedBy).toEqual(['ops#2']);
    expect(column(access, 'deals.deals.deal_id').reason).toBe("classification 'internal' is not granted for domain 'sales'; grants give public, confidential");
    expect(column(access, 'people.people.team').allowedBy).toEqual(['ops#1']);
    expect(column(access, 'people.people.person_id').reason).toBe("classification 'internal' is not granted for domain 'hr'; grants give public");
  });

  it('evaluates multi-tag expressions as AND: a grant on two domains and one class gives neither domain\'s other classes', () => {
    const model = buildAccessModel({ config: config([{ name: 'hr-bi', role: role('HrBi'), grants: [{ domains: ['sales', 'hr'], classifications: ['internal'] }] }]), products });
    const access = accessOf(model, 'hr-bi');
    expect(access.grants[0]!.tableExpression).toEqual([
      { key: 'domain', values: ['sales', 'hr'] },
      { key: 'classification', values: ['internal'] },
    ]);
    expect(column(access, 'deals.deals.deal_id').readable).toBe(true);
    expect(column(access, 'people.people.person_id').readable).toBe(true);
    expect(column(access, 'people.people.team').readable).toBe(false);
    expect(column(access, 'people.people.salary').readable).toBe(false);
  });

  it('applies the grants of every consumer that names the same role (Lake Formation grants to the role)', () => {
    const model = buildAccessModel({
      config: config([
        { name: 'a', role: role('Shared'), grants: [{ domains: ['sales'], classifications: ['public'] }] },
        { name: 'b', role: role('Shared'), grants: [{ domains: ['hr'], classifications: ['public'] }] },
      ]),
      products,
    });
    const a = accessOf(model, 'a');
    expect(a.grants.map((g) => g.id)).toEqual(['a#1', 'b#1']);
    expect(column(a, 'people.people.team')).toMatchObject({ readable: true, allowedBy: ['b#1'] });
    expect(findPrincipals(model, role('Shared')).map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('describes hand-made expressions on other keys condition by condition', () => {
    const model = buildAccessModel({ config: config([{ name: 'bi', role: role('Bi'), grants: [{ domains: ['sales'], classifications: ['public'] }] }]), products });
    const custom: AccessModel = {
      ...model,
      grants: model.grants.map((g) => ({ ...g, tableExpression: [...g.tableExpression, { key: 'region', values: ['eu'] }] })),
    };
    expect(column(accessOf(custom, 'bi'), 'deals.deals.region').reason).toBe("bi#1: region is not set, not one of eu");
  });
});

describe('the example mesh', () => {
  let mesh: Mesh;
  let matrix: AccessMatrix;
  beforeAll(async () => {
    const result = await loadMeshFile(join(import.meta.dirname, '../../mesh/mesh.yaml'));
    mesh = result.mesh!;
    matrix = evaluateAccess(buildAccessModel(mesh));
  });

  it('gives analysts internal and public data of every domain, nothing confidential or restricted', () => {
    const analysts = matrix.principals.find((p) => p.principal.name === 'analysts')!;
    const summary = Object.fromEntries(analysts.tables.map((t) => [t.id, accessSummary(t)]));
    expect(summary).toEqual({
      'customer-profiles.customer_profiles': '6 of 10',
      'orders.orders': 'all',
      'order-lines.order_lines': 'all',
      'stock-levels.stock_levels': '7 of 8',
      'shipments.shipments': '9 of 10',
    });
    const readableClasses = new Set(analysts.tables.flatMap((t) => t.columns.filter((c) => c.readable).map((c) => c.classification)));
    expect([...readableClasses].sort()).toEqual(['internal', 'public']);
  });

  it('gives customer service every customer column and only what its second grant names elsewhere', () => {
    const cs = matrix.principals.find((p) => p.principal.name === 'customer-service')!;
    const profiles = cs.tables.find((t) => t.id === 'customer-profiles.customer_profiles')!;
    expect(profiles.columns.find((c) => c.name === 'email')).toMatchObject({ readable: true, classification: 'restricted', allowedBy: ['customer-service#1'] });
    expect(accessSummary(cs.tables.find((t) => t.id === 'stock-levels.stock_levels')!)).toBe('none');
  });

  it('has one principal per consumer, with the account of its role', () => {
    expect(matrix.principals.map((p) => [p.principal.name, p.principal.kind, p.principal.account])).toEqual([
      ['analysts', 'role', '111111111111'],
      ['customer-service', 'role', '111111111111'],
      ['supply-chain', 'role', '111111111111'],
      ['shipping-pipelines', 'role', '111111111111'],
    ]);
    expect(mesh.products).toHaveLength(5);
  });
});
