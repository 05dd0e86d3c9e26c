/**
 * Builds the access model from a mesh: one database per domain (tagged with the domain), one table
 * per contract table (tagged with its most sensitive classification), its columns (tagged with their
 * own classification), the consumers as principals and their grants as LF-tag expressions.
 * It mirrors what `DomainStack` and `DataProduct` tag, so that what is explained is what is deployed.
 */
import { mostSensitive } from '../glue/classification.js';
import { databaseNameFor } from '../glue/names.js';
import {
  CLASSIFICATION_TAG,
  CONSUMER_PERMISSIONS,
  DOMAIN_TAG,
  inherit,
  parsePrincipal,
  type AccessModel,
  type AccessPrincipal,
  type ColumnResource,
  type DatabaseResource,
  type ResourceTags,
  type TableResource,
  type TagGrant,
} from './model.js';

/** The parts of a mesh config the access model reads (a loaded `MeshConfig` is one). */
export interface AccessConfig {
  readonly name: string;
  readonly governance: { readonly account: string; readonly admins: readonly string[] };
  readonly classifications: readonly string[];
  readonly domains: readonly { readonly name: string; readonly account: string }[];
  readonly consumers: readonly {
    readonly name: string;
    readonly description?: string;
    readonly role: string;
    readonly grants: readonly { readonly domains: readonly string[]; readonly classifications: readonly string[] }[];
  }[];
}

/** The parts of a product the access model reads (a loaded `MeshProduct` is one). */
export interface AccessProduct {
  readonly domain: string;
  readonly contract: {
    readonly id: string;
    readonly tables: readonly {
      readonly name: string;
      readonly physicalName: string;
      readonly columns: readonly { readonly name: string; readonly physicalName: string; readonly classification?: string }[];
    }[];
  };
}

export interface AccessInput {
  readonly config: AccessConfig;
  readonly products: readonly AccessProduct[];
}

export function buildAccessModel({ config, products }: AccessInput): AccessModel {
  const ontology = config.classifications;
  const accountOf = new Map(config.domains.map((d) => [d.name, d.account]));

  const databases: DatabaseResource[] = config.domains.map((d) => ({
    kind: 'DATABASE',
    id: `db:${d.name}`,
    domain: d.name,
    account: d.account,
    glueDatabase: databaseNameFor(d.name),
    tags: { [DOMAIN_TAG]: d.name },
  }));
  const databaseTags = new Map(databases.map((db) => [db.domain, db.tags]));

  const tables: TableResource[] = [];
  for (const { domain, contract } of products) {
    const account = accountOf.get(domain) ?? '';
    const glueDatabase = databaseNameFor(domain);
    for (const table of contract.tables) {
      const tableClass = mostSensitive(
        table.columns.map((c) => c.classification),
        ontology,
      );
      const own = classTag(tableClass);
      const effectiveTags = inherit(databaseTags.get(domain) ?? { [DOMAIN_TAG]: domain }, own);
      const id = `${contract.id}.${table.name}`;
      const columns: ColumnResource[] = table.columns.map((column) => {
        // DataProduct tags a column only with a value of the ontology; anything else inherits.
        const classification = column.classification !== undefined && ontology.includes(column.classification) ? column.classification : undefined;
        const tags = classTag(classification);
        return {
          kind: 'COLUMN',
          id: `${id}.${column.name}`,
          product: contract.id,
          domain,
          account,
          table: table.name,
          name: column.name,
          glueDatabase,
          glueTable: table.physicalName,
          glueColumn: column.physicalName,
          classification,
          tags,
          effectiveTags: inherit(effectiveTags, tags),
        };
      });
      tables.push({
        kind: 'TABLE',
        id,
        product: contract.id,
        domain,
        account,
        name: table.name,
        glueDatabase,
        glueTable: table.physicalName,
        tags: own,
        effectiveTags,
        columns,
      });
    }
  }

  const allDomains = config.domains.map((d) => d.name);
  const principals: AccessPrincipal[] = [];
  const grants: TagGrant[] = [];
  for (const [c, consumer] of config.consumers.entries()) {
    const parsed = parsePrincipal(consumer.role);
    principals.push({
      name: consumer.name,
      arn: consumer.role,
      kind: parsed.kind,
      account: parsed.account,
      description: consumer.description,
      origin: ['consumers', c],
    });
    for (const [g, grant] of consumer.grants.entries()) {
      const domains = unique(grant.domains.flatMap((d) => (d === '*' ? allDomains : [d])));
      const classifications = unique(grant.classifications);
      grants.push({
        id: `${consumer.name}#${g + 1}`,
        principal: consumer.name,
        principalArn: consumer.role,
        declared: { domains: grant.domains, classifications: grant.classifications },
        tableExpression: [
          { key: DOMAIN_TAG, values: domains },
          { key: CLASSIFICATION_TAG, values: classifications },
        ],
        databaseExpression: [{ key: DOMAIN_TAG, values: domains }],
        permissions: CONSUMER_PERMISSIONS,
        origin: ['consumers', c, 'grants', g],
      });
    }
  }

  return {
    mesh: config.name,
    governanceAccount: config.governance.account,
    admins: config.governance.admins,
    classifications: ontology,
    domains: config.domains.map((d, i) => ({ name: d.name, account: d.account, origin: ['domains', i] })),
    databases,
    tables,
    principals,
    grants,
  };
}

function classTag(value: string | undefined): ResourceTags {
  return value === undefined ? {} : { [CLASSIFICATION_TAG]: value };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
