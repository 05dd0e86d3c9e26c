/**
 * A small mesh and product pages written out by hand for the access-request tests: a customer
 * domain (one team) with one product over every class, and an orders domain holding products of
 * two teams. Identities are the ones API Gateway would report for each actor.
 */
import type { ProductPage } from '../../lib/catalog/api-schema.js';
import { meshConfigSchema, type MeshConfig } from '../../lib/mesh/config.js';

export const GOV = '111111111111';
export const CUSTOMER_ACCOUNT = '222222222222';
export const ORDERS_ACCOUNT = '333333333333';

export const CONFIG: MeshConfig = meshConfigSchema.parse({
  apiVersion: 'tessera/v1',
  kind: 'Mesh',
  name: 'shop',
  region: 'eu-west-1',
  governance: { account: GOV, admins: [`arn:aws:iam::${GOV}:role/DataLakeAdmin`] },
  domains: [
    { name: 'customer', account: CUSTOMER_ACCOUNT, products: ['customer/profiles.odcs.yaml'] },
    { name: 'orders', account: ORDERS_ACCOUNT, products: ['orders/orders.odcs.yaml', 'orders/returns.odcs.yaml'] },
  ],
  consumers: [{ name: 'analysts', role: `arn:aws:iam::${GOV}:role/Analyst`, grants: [{ domains: ['*'], classifications: ['public', 'internal'] }] }],
});

const column = (physicalName: string, classification: string) => ({ name: physicalName, physicalName, classification, required: false, unique: false });
const table = (physicalName: string, database: string, columns: ReturnType<typeof column>[]) => ({
  name: physicalName,
  physicalName,
  athenaTable: `${database}.${physicalName}`,
  sampleQuery: `SELECT * FROM ${database}.${physicalName} LIMIT 10`,
  classification: columns.map((c) => c.classification).sort((a, b) => CONFIG.classifications.indexOf(b) - CONFIG.classifications.indexOf(a))[0],
  columns,
  primaryKey: [],
  partitionKeys: [],
});
const page = (id: string, domain: string, team: string, owners: string[], tables: ReturnType<typeof table>[]): ProductPage => ({
  id,
  name: id,
  version: '1.0.0',
  status: 'active',
  domain,
  database: domain,
  description: {},
  tags: [],
  team: { name: team },
  owners: owners.map((username) => ({ username, role: 'Owner' })),
  support: [],
  slas: [],
  slaChecks: [],
  tables,
});

export const PROFILES = page('customer-profiles', 'customer', 'customer-team', ['mara.jensen'], [
  table('customer_profiles', 'customer', [column('customer_id', 'internal'), column('country', 'public'), column('email', 'confidential'), column('birth_date', 'restricted')]),
]);
export const ORDERS = page('orders', 'orders', 'orders-team', ['lena.schmidt', `arn:aws:iam::${ORDERS_ACCOUNT}:role/OrdersOwner`], [
  table('orders', 'orders', [column('order_id', 'internal'), column('status', 'public'), column('total', 'confidential')]),
  table('order_events', 'orders', [column('order_id', 'internal'), column('event', 'public')]),
]);
export const RETURNS = page('returns', 'orders', 'returns-team', ['sam.okoro'], [table('returns', 'orders', [column('return_id', 'internal')])]);
export const PAGES = [PROFILES, ORDERS, RETURNS];

/** As API Gateway reports each caller (requestContext.identity.userArn). */
export const WHO = {
  analyst: `arn:aws:sts::${GOV}:assumed-role/Analyst/bob`,
  otherAnalystSession: `arn:aws:sts::${GOV}:assumed-role/Analyst/carol`,
  customerOwner: `arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/AWSReservedSSO_DataOwner_0123456789abcdef/mara.jensen`,
  /** The same session name, but from a role whose session names the caller chooses. */
  fakeOwner: `arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/Anything/mara.jensen`,
  ordersOwnerUser: `arn:aws:iam::${ORDERS_ACCOUNT}:user/lena.schmidt`,
  ordersOwnerRole: `arn:aws:sts::${ORDERS_ACCOUNT}:assumed-role/OrdersOwner/ci`,
  admin: `arn:aws:sts::${GOV}:assumed-role/DataLakeAdmin/ops`,
  stranger: `arn:aws:iam::${GOV}:user/mallory`,
} as const;
