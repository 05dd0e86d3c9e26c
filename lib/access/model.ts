/**
 * The access model: Lake Formation as plain data. Principals, LF-tags and tag expressions, catalog
 * resources with the tags they carry and inherit, and the tag-expression grants a mesh config asks
 * for. No aws-cdk-lib and no AWS SDK: the same model is evaluated offline (`tessera access`),
 * validated at synth time and turned into an ordered grant plan for CloudFormation.
 */
import type { YamlPath } from '../diagnostics.js';

/** LF-tag keys Tessera uses. `constructs/lake-formation.ts` creates tags with these keys. */
export const DOMAIN_TAG = 'domain';
export const CLASSIFICATION_TAG = 'classification';

/** Lake Formation permission names, as the GrantPermissions API spells them. */
export const PERMISSIONS = [
  'ALL',
  'ALTER',
  'ASSOCIATE',
  'CREATE_DATABASE',
  'CREATE_TABLE',
  'DATA_LOCATION_ACCESS',
  'DELETE',
  'DESCRIBE',
  'DROP',
  'GRANT_WITH_LF_TAG_EXPRESSION',
  'INSERT',
  'SELECT',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Tags a resource carries: one value per key (Lake Formation allows no more). */
export type ResourceTags = Readonly<Record<string, string>>;

/** One condition of an LF-tag expression: the resource's value for `key` is one of `values`. */
export interface TagCondition {
  readonly key: string;
  readonly values: readonly string[];
}

/** Conditions are ANDed; the values inside one condition are ORed. */
export type TagExpression = readonly TagCondition[];

/**
 * Lake Formation's matching rule: for every key of the expression, the resource's value for that
 * key (its own or inherited) is one of the expression's values. A resource without the key does not
 * match. Keys the expression does not name do not matter.
 */
export function matches(expression: TagExpression, tags: ResourceTags): boolean {
  return expression.every((condition) => {
    const value = tags[condition.key];
    return value !== undefined && condition.values.includes(value);
  });
}

/** The conditions a resource fails, for explaining a denial. */
export function mismatches(expression: TagExpression, tags: ResourceTags): { key: string; value: string | undefined; allowed: readonly string[] }[] {
  return expression
    .filter((c) => {
      const value = tags[c.key];
      return value === undefined || !c.values.includes(value);
    })
    .map((c) => ({ key: c.key, value: tags[c.key], allowed: c.values }));
}

/** `domain in (orders, shipping) AND classification in (public)` */
export function formatExpression(expression: TagExpression): string {
  return expression.map((c) => `${c.key} in (${c.values.join(', ')})`).join(' AND ');
}

// --- principals ------------------------------------------------------------------------------------

export type PrincipalKind = 'role' | 'user' | 'account' | 'invalid';

export interface ParsedPrincipal {
  readonly kind: PrincipalKind;
  /** The AWS account the principal belongs to (an account principal is its own account). */
  readonly account?: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const IAM_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user|root)(?:\/(.+))?$/;

/** Tells an IAM role or user from a whole account (an id or its `:root` ARN). */
export function parsePrincipal(identifier: string): ParsedPrincipal {
  if (ACCOUNT_ID.test(identifier)) return { kind: 'account', account: identifier };
  const m = IAM_ARN.exec(identifier);
  if (!m) return { kind: 'invalid' };
  const [, account, type, name] = m;
  if (type === 'root') return name === undefined ? { kind: 'account', account } : { kind: 'invalid' };
  if (name === undefined || name === '') return { kind: 'invalid' };
  return { kind: type === 'role' ? 'role' : 'user', account };
}

/** A consumer of the mesh: the principal Lake Formation grants to. */
export interface AccessPrincipal {
  /** The consumer's name in the mesh config. */
  readonly name: string;
  /** The role ARN (what Lake Formation calls the DataLakePrincipalIdentifier). */
  readonly arn: string;
  readonly kind: PrincipalKind;
  readonly account?: string;
  readonly description?: string;
  /** Where the consumer is declared in the mesh config. */
  readonly origin: YamlPath;
}

// --- resources -------------------------------------------------------------------------------------

export interface DatabaseResource {
  readonly kind: 'DATABASE';
  readonly id: string;
  readonly domain: string;
  /** The domain's account: the catalog that owns the database. */
  readonly account: string;
  readonly glueDatabase: string;
  /** Tags assigned to the database itself. */
  readonly tags: ResourceTags;
}

export interface TableResource {
  readonly kind: 'TABLE';
  /** `<product>.<table>` */
  readonly id: string;
  readonly product: string;
  readonly domain: string;
  readonly account: string;
  /** The table's name in its contract. */
  readonly name: string;
  readonly glueDatabase: string;
  readonly glueTable: string;
  /** Tags assigned to the table itself: its most sensitive classification. */
  readonly tags: ResourceTags;
  /** Its own tags over the database's: what a grant is evaluated against. */
  readonly effectiveTags: ResourceTags;
  readonly columns: readonly ColumnResource[];
}

export interface ColumnResource {
  readonly kind: 'COLUMN';
  /** `<product>.<table>.<column>` */
  readonly id: string;
  readonly product: string;
  readonly domain: string;
  readonly account: string;
  readonly table: string;
  /** The column's name in its contract. */
  readonly name: string;
  readonly glueDatabase: string;
  readonly glueTable: string;
  readonly glueColumn: string;
  /** The classification the contract gives the column (undefined: it inherits the table's). */
  readonly classification?: string;
  /** Tags assigned to the column itself. */
  readonly tags: ResourceTags;
  /** Its own tags over the table's over the database's. */
  readonly effectiveTags: ResourceTags;
}

/** Lake Formation inheritance: a column inherits its table's tags, a table its database's; a value assigned lower overrides. */
export function inherit(parent: ResourceTags, own: ResourceTags): ResourceTags {
  return { ...parent, ...own };
}

// --- grants ----------------------------------------------------------------------------------------

/** What a consumer grant gives on each resource type its expression matches. */
export interface GrantPermissions {
  readonly TABLE: readonly Permission[];
  readonly DATABASE: readonly Permission[];
}

export const CONSUMER_PERMISSIONS: GrantPermissions = { TABLE: ['SELECT', 'DESCRIBE'], DATABASE: ['DESCRIBE'] };

/**
 * One grant of a consumer as the mesh config writes it, turned into LF-tag expressions:
 * `domain in (<domains, * expanded>) AND classification in (<values>)` on tables, and the domain
 * condition alone on databases (a database carries only the domain tag, so a condition on
 * classification would match no database at all).
 */
export interface TagGrant {
  /** `<consumer>#<n>`, n counting the consumer's grants from 1. */
  readonly id: string;
  /** The consumer's name. */
  readonly principal: string;
  readonly principalArn: string;
  /** As written in the config (`*` kept). */
  readonly declared: { readonly domains: readonly string[]; readonly classifications: readonly string[] };
  /** Evaluated against tables and columns. */
  readonly tableExpression: TagExpression;
  /** Evaluated against databases. */
  readonly databaseExpression: TagExpression;
  readonly permissions: GrantPermissions;
  readonly origin: YamlPath;
}

export interface AccessModel {
  readonly mesh: string;
  readonly governanceAccount: string;
  readonly admins: readonly string[];
  /** Least to most sensitive. */
  readonly classifications: readonly string[];
  readonly domains: readonly { readonly name: string; readonly account: string; readonly origin: YamlPath }[];
  readonly databases: readonly DatabaseResource[];
  readonly tables: readonly TableResource[];
  readonly principals: readonly AccessPrincipal[];
  readonly grants: readonly TagGrant[];
}

/** The most sensitive value of the ontology (`restricted` by default). */
export function mostSensitiveClass(model: Pick<AccessModel, 'classifications'>): string | undefined {
  return model.classifications[model.classifications.length - 1];
}
