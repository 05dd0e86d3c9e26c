/**
 * The consumer grants of the example mesh (mesh/mesh.yaml), written out by hand as Lake Formation
 * resources: CloudFormation's PrincipalPermissions and the GrantPermissions API spell them alike.
 * Derived from the config and the planner's documented rules (per consumer and domain: SELECT and
 * DESCRIBE on the domain's tables with the granted classes, DESCRIBE on its database, both in the
 * domain's catalog; DESCRIBE on each resource link by name in the governance catalog), never from the code
 * that emits them.
 */
const ACCOUNTS = { customer: '222222222222', orders: '333333333333', inventory: '444444444444', shipping: '555555555555' } as const;
type Domain = keyof typeof ACCOUNTS;
const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;

/** SELECT and DESCRIBE on the domain's tables carrying one of the classes, in the domain's catalog. */
const tables = (principal: string, domain: Domain, classes: string[]) => ({
  Principal: { DataLakePrincipalIdentifier: principal },
  Resource: { LFTagPolicy: { CatalogId: ACCOUNTS[domain], ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: [domain] }, { TagKey: 'classification', TagValues: classes }] } },
  Permissions: ['SELECT', 'DESCRIBE'],
  PermissionsWithGrantOption: [],
});
/** DESCRIBE on the domain's database, in the domain's catalog (cross-account: no implicit one). */
const database = (principal: string, domain: Domain) => ({
  Principal: { DataLakePrincipalIdentifier: principal },
  Resource: { LFTagPolicy: { CatalogId: ACCOUNTS[domain], ResourceType: 'DATABASE', Expression: [{ TagKey: 'domain', TagValues: [domain] }] } },
  Permissions: ['DESCRIBE'],
  PermissionsWithGrantOption: [],
});
/** DESCRIBE on the domains' resource links, by name, in the governance catalog (one grant per link). */
const links = (principal: string, domains: Domain[]) =>
  domains.map((domain) => ({
    Principal: { DataLakePrincipalIdentifier: principal },
    Resource: { Database: { CatalogId: '111111111111', Name: domain } },
    Permissions: ['DESCRIBE'],
    PermissionsWithGrantOption: [],
  }));

const analyst = role('TesseraAnalyst');
const service = role('TesseraCustomerService');
const supply = role('TesseraSupplyChain');
const pipelines = role('TesseraShippingPipelines');
export const ALL_CLASSES = ['public', 'internal', 'confidential', 'restricted'];
const all = ALL_CLASSES;
const open = ['public', 'internal'];

export const CONSUMER_GRANTS = [
  // analysts: every domain, public and internal
  ...(['customer', 'orders', 'inventory', 'shipping'] as const).flatMap((d) => [tables(analyst, d, open), database(analyst, d)]),
  ...links(analyst, ['customer', 'orders', 'inventory', 'shipping']),
  // customer-service: all of customer; public and internal of orders and shipping
  tables(service, 'customer', all),
  database(service, 'customer'),
  tables(service, 'orders', open),
  database(service, 'orders'),
  tables(service, 'shipping', open),
  database(service, 'shipping'),
  ...links(service, ['customer', 'orders', 'shipping']),
  // supply-chain: inventory and shipping up to confidential; public and internal of orders
  tables(supply, 'inventory', ['public', 'internal', 'confidential']),
  database(supply, 'inventory'),
  tables(supply, 'shipping', ['public', 'internal', 'confidential']),
  database(supply, 'shipping'),
  tables(supply, 'orders', open),
  database(supply, 'orders'),
  ...links(supply, ['inventory', 'shipping', 'orders']),
  // shipping-pipelines (serves domain shipping): public and internal of orders
  tables(pipelines, 'orders', open),
  database(pipelines, 'orders'),
  ...links(pipelines, ['orders']),
];

