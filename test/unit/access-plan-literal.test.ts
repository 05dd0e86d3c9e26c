/**
 * The whole grant plan of a small hand-written access model, written out step by step: which
 * resource each Lake Formation permission names (a tag policy on TABLE or on DATABASE), what every
 * step waits for, and who receives what. The model covers a domain in its own account and one in
 * the governance account, a table and its classified columns, two grants of one consumer that merge,
 * a grant naming unknown values, a consumer with no grants, and one with no known classification.
 */
import { describe, expect, it } from 'vitest';
import { buildGrantPlan, CONSUMER_PERMISSIONS, type AccessModel, type ColumnResource, type PlanStep } from '../../lib/access/index.js';

const G = '111111111111';
const D = '222222222222';
const ADMIN = 'arn:aws:iam::111111111111:role/Admin';
const ANALYSTS = 'arn:aws:iam::555555555555:role/Analysts';
const AUDITORS = 'arn:aws:iam::555555555555:role/Auditors';
const ONTOLOGY = ['public', 'internal', 'restricted'];

function column(name: string, classification?: string): ColumnResource {
  const tags: Record<string, string> = classification ? { classification } : {};
  return { kind: 'COLUMN', id: `order-lines.lines.${name}`, product: 'order-lines', domain: 'orders', account: D, table: 'lines', name, glueDatabase: 'orders', glueTable: 'order_lines', glueColumn: name, classification, tags, effectiveTags: { domain: 'orders', classification: classification ?? 'internal' } };
}

function grant(id: string, principal: string, principalArn: string, domains: string[], classifications: string[], origin: (string | number)[]): AccessModel['grants'][number] {
  return {
    id,
    principal,
    principalArn,
    declared: { domains, classifications },
    tableExpression: [
      { key: 'domain', values: domains },
      { key: 'classification', values: classifications },
    ],
    databaseExpression: [{ key: 'domain', values: domains }],
    permissions: CONSUMER_PERMISSIONS,
    origin,
  };
}

const model: AccessModel = {
  mesh: 'm',
  governanceAccount: G,
  admins: [ADMIN],
  classifications: ONTOLOGY,
  domains: [
    { name: 'orders', account: D, origin: ['domains', 0] },
    { name: 'shipping', account: G, origin: ['domains', 1] },
  ],
  databases: [
    { kind: 'DATABASE', id: 'orders', domain: 'orders', account: D, glueDatabase: 'orders', tags: { domain: 'orders' } },
    { kind: 'DATABASE', id: 'shipping', domain: 'shipping', account: G, glueDatabase: 'shipping', tags: { domain: 'shipping' } },
  ],
  tables: [
    {
      kind: 'TABLE',
      id: 'order-lines.lines',
      product: 'order-lines',
      domain: 'orders',
      account: D,
      name: 'lines',
      glueDatabase: 'orders',
      glueTable: 'order_lines',
      tags: { classification: 'internal' },
      effectiveTags: { domain: 'orders', classification: 'internal' },
      columns: [column('sku', 'public'), column('price', 'internal'), column('note'), column('ean', 'public')],
    },
  ],
  principals: [
    { name: 'analysts', arn: ANALYSTS, kind: 'role', account: '555555555555', origin: ['consumers', 0] },
    { name: 'idle', arn: 'arn:aws:iam::555555555555:role/Idle', kind: 'role', account: '555555555555', origin: ['consumers', 1] },
    { name: 'auditors', arn: AUDITORS, kind: 'role', account: '555555555555', origin: ['consumers', 2] },
  ],
  grants: [
    grant('analysts#1', 'analysts', ANALYSTS, ['orders', 'shipping', 'ghost'], ['public', 'secret'], ['consumers', 0, 'grants', 0]),
    grant('analysts#2', 'analysts', ANALYSTS, ['orders'], ['internal'], ['consumers', 0, 'grants', 1]),
    grant('auditors#1', 'auditors', AUDITORS, ['orders'], ['secret'], ['consumers', 2, 'grants', 0]),
  ],
};

const share = (account: string, domain: string, origin: (string | number)[]): PlanStep[] => {
  const base = { kind: 'permission' as const, account, dependsOn: [`tag@${account}/domain`, `tag@${account}/classification`], principal: G, purpose: 'share' as const, origin };
  return [
    { ...base, id: `grant@${account}/share/${domain}/tables`, resource: { type: 'lf-tag-policy', catalog: account, resourceType: 'TABLE', expression: [{ key: 'domain', values: [domain] }] }, permissions: ['SELECT', 'DESCRIBE'], grantable: ['SELECT', 'DESCRIBE'] },
    { ...base, id: `grant@${account}/share/${domain}/database`, resource: { type: 'lf-tag-policy', catalog: account, resourceType: 'DATABASE', expression: [{ key: 'domain', values: [domain] }] }, permissions: ['DESCRIBE'], grantable: ['DESCRIBE'] },
    { ...base, id: `grant@${account}/share/${domain}/tag-domain`, resource: { type: 'lf-tag', catalog: account, key: 'domain', values: [domain] }, permissions: ['DESCRIBE'], grantable: ['DESCRIBE'] },
    { ...base, id: `grant@${account}/share/${domain}/tag-classification`, resource: { type: 'lf-tag', catalog: account, key: 'classification', values: ONTOLOGY }, permissions: ['DESCRIBE'], grantable: ['DESCRIBE'] },
  ];
};

const consumer = (arn: string, grants: string[], principalOrigin: (string | number)[], origin: (string | number)[]) => ({ kind: 'permission' as const, account: G, principal: arn, purpose: 'consumer' as const, grants, principalOrigin, origin });

const expected: PlanStep[] = [
  { id: `admins@${G}`, kind: 'admins', account: G, dependsOn: [], admins: [ADMIN], adminOrigins: [['governance', 'admins', 0]], origin: ['governance', 'admins'] },
  { id: `admins@${D}`, kind: 'admins', account: D, dependsOn: [], admins: [], origin: ['domains', 0, 'account'] },
  { id: 'location@order-lines', kind: 'location', account: D, dependsOn: [`admins@${D}`], domain: 'orders', product: 'order-lines', origin: ['domains', 0] },
  { id: `tag@${G}/domain`, kind: 'tag', account: G, dependsOn: [`admins@${G}`], key: 'domain', values: ['orders', 'shipping'], origin: ['domains'] },
  { id: `tag@${G}/classification`, kind: 'tag', account: G, dependsOn: [`admins@${G}`], key: 'classification', values: ONTOLOGY, origin: ['classifications'] },
  { id: `tag@${D}/domain`, kind: 'tag', account: D, dependsOn: [`admins@${D}`], key: 'domain', values: ['orders'], origin: ['domains', 0, 'account'] },
  { id: `tag@${D}/classification`, kind: 'tag', account: D, dependsOn: [`admins@${D}`], key: 'classification', values: ONTOLOGY, origin: ['classifications'] },
  { id: `assoc@${D}/orders`, kind: 'tag-association', account: D, dependsOn: [`tag@${D}/domain`], resource: { type: 'database', catalog: D, database: 'orders' }, tags: [{ key: 'domain', values: ['orders'] }], origin: ['domains', 0] },
  { id: `assoc@${G}/shipping`, kind: 'tag-association', account: G, dependsOn: [`tag@${G}/domain`], resource: { type: 'database', catalog: G, database: 'shipping' }, tags: [{ key: 'domain', values: ['shipping'] }], origin: ['domains', 1] },
  { id: `assoc@${D}/orders.order_lines`, kind: 'tag-association', account: D, dependsOn: [`tag@${D}/classification`], resource: { type: 'table', catalog: D, database: 'orders', table: 'order_lines' }, tags: [{ key: 'classification', values: ['internal'] }], origin: ['domains', 0] },
  { id: `assoc@${D}/orders.order_lines/columns=public`, kind: 'tag-association', account: D, dependsOn: [`tag@${D}/classification`], resource: { type: 'columns', catalog: D, database: 'orders', table: 'order_lines', columns: ['sku', 'ean'] }, tags: [{ key: 'classification', values: ['public'] }], origin: ['domains', 0] },
  { id: `assoc@${D}/orders.order_lines/columns=internal`, kind: 'tag-association', account: D, dependsOn: [`tag@${D}/classification`], resource: { type: 'columns', catalog: D, database: 'orders', table: 'order_lines', columns: ['price'] }, tags: [{ key: 'classification', values: ['internal'] }], origin: ['domains', 0] },
  // The resource link to orders is not tagged (links are granted by name, below); shipping lives in
  // the governance account, so it shares nothing with itself.
  ...share(D, 'orders', ['domains', 0]),
  // analysts#1 and analysts#2 merge for orders: public from one, internal from the other, in ontology order.
  {
    ...consumer(ANALYSTS, ['analysts#1', 'analysts#2'], ['consumers', 0, 'role'], ['consumers', 0, 'grants', 0]),
    id: `grant@${G}/analysts/orders/tables`,
    dependsOn: [`admins@${G}`, `grant@${D}/share/orders/tables`, `grant@${D}/share/orders/tag-domain`, `grant@${D}/share/orders/tag-classification`],
    resource: { type: 'lf-tag-policy', catalog: D, resourceType: 'TABLE', expression: [{ key: 'domain', values: ['orders'] }, { key: 'classification', values: ['public', 'internal'] }] },
    permissions: ['SELECT', 'DESCRIBE'],
    grantable: [],
  },
  {
    ...consumer(ANALYSTS, ['analysts#1', 'analysts#2'], ['consumers', 0, 'role'], ['consumers', 0, 'grants', 0]),
    id: `grant@${G}/analysts/orders/database`,
    dependsOn: [`admins@${G}`, `grant@${D}/share/orders/database`, `grant@${D}/share/orders/tag-domain`],
    resource: { type: 'lf-tag-policy', catalog: D, resourceType: 'DATABASE', expression: [{ key: 'domain', values: ['orders'] }] },
    permissions: ['DESCRIBE'],
    grantable: [],
  },
  {
    ...consumer(ANALYSTS, ['analysts#1'], ['consumers', 0, 'role'], ['consumers', 0, 'grants', 0]),
    id: `grant@${G}/analysts/shipping/tables`,
    // shipping's tags are the governance account's own
    dependsOn: [`admins@${G}`, `tag@${G}/domain`, `tag@${G}/classification`],
    resource: { type: 'lf-tag-policy', catalog: G, resourceType: 'TABLE', expression: [{ key: 'domain', values: ['shipping'] }, { key: 'classification', values: ['public'] }] },
    permissions: ['SELECT', 'DESCRIBE'],
    grantable: [],
  },
  {
    ...consumer(ANALYSTS, ['analysts#1'], ['consumers', 0, 'role'], ['consumers', 0, 'grants', 0]),
    id: `grant@${G}/analysts/shipping/database`,
    dependsOn: [`admins@${G}`, `tag@${G}/domain`],
    resource: { type: 'lf-tag-policy', catalog: G, resourceType: 'DATABASE', expression: [{ key: 'domain', values: ['shipping'] }] },
    permissions: ['DESCRIBE'],
    grantable: [],
  },
  // DESCRIBE on the one resource link (orders), by name.
  {
    ...consumer(ANALYSTS, ['analysts#1', 'analysts#2'], ['consumers', 0, 'role'], ['consumers', 0, 'grants', 0]),
    id: `grant@${G}/analysts/orders/link`,
    dependsOn: [`admins@${G}`],
    resource: { type: 'database', catalog: G, database: 'orders' },
    permissions: ['DESCRIBE'],
    grantable: [],
  },
  // auditors#1 names no classification of the ontology: no table access, the database stays visible.
  {
    ...consumer(AUDITORS, ['auditors#1'], ['consumers', 2, 'role'], ['consumers', 2, 'grants', 0]),
    id: `grant@${G}/auditors/orders/database`,
    dependsOn: [`admins@${G}`, `grant@${D}/share/orders/database`, `grant@${D}/share/orders/tag-domain`],
    resource: { type: 'lf-tag-policy', catalog: D, resourceType: 'DATABASE', expression: [{ key: 'domain', values: ['orders'] }] },
    permissions: ['DESCRIBE'],
    grantable: [],
  },
  {
    ...consumer(AUDITORS, ['auditors#1'], ['consumers', 2, 'role'], ['consumers', 2, 'grants', 0]),
    id: `grant@${G}/auditors/orders/link`,
    dependsOn: [`admins@${G}`],
    resource: { type: 'database', catalog: G, database: 'orders' },
    permissions: ['DESCRIBE'],
    grantable: [],
  },
];

describe('buildGrantPlan on a hand-written model', () => {
  it('plans exactly these steps, in this order', () => {
    const plan = buildGrantPlan(model);
    expect(plan.steps.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    for (const [i, step] of plan.steps.entries()) expect(step, step.id).toStrictEqual(expected[i]);
  });
});
