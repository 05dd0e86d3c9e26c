/**
 * The mesh config (`mesh.yaml`): the governance account, region, the classification ontology, the
 * domains with their accounts and products (ODCS contracts or ODPS descriptors), and the consumers
 * with their grants.
 * Shape is checked with zod; cross-references (domains, products, classifications) by `loadMesh`.
 */
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { ALL_AWS_REGIONS } from '../aws-regions.js';

const ACCOUNT = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const NAME = /^[a-z][a-z0-9-]{0,62}$/;

const account = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a quoted 12-digit AWS account id') })
  .regex(ACCOUNT, 'must be a 12-digit AWS account id');

const roleArn = z.string().regex(ROLE_ARN, 'must be an IAM role ARN, e.g. arn:aws:iam::111111111111:role/Analyst');

const name = (what: string) => z.string().regex(NAME, `a ${what} name is lower-case letters, digits and dashes, starting with a letter`);

const SQL_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const sqlName = (what: string) => z.string().regex(SQL_NAME, `a ${what} name is lower-case letters, digits and underscores, starting with a letter (Athena folds names to lower case)`);

/** A live operational store of a domain, queried through an Athena federated-query connector. */
const federatedSource = z.strictObject({
  /** The Athena data catalog name analysts write in SQL: `SELECT ... FROM <name>.default.<table>`. */
  name: sqlName('federated source'),
  type: z.literal('dynamodb', { error: 'the only federated source type so far is dynamodb' }),
  description: z.string().optional(),
  /** The DynamoDB tables of the domain's account the connector may read (and nothing else). */
  tables: z.array(z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 letters, digits, _ . -)')).min(1),
  /**
   * Version of the AthenaDynamoDBConnector application in the Serverless Application Repository.
   * @default - the version Tessera was tested with
   */
  connectorVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 2026.33.1').optional(),
  /**
   * How sensitive the tables are, from the classification ontology. A LAMBDA catalog is outside Lake
   * Formation: whoever may invoke the connector reads every item of every listed table, so only the
   * consumers granted this classification in the source's domain may invoke it.
   * @default - the most sensitive classification of the ontology
   */
  classification: z.string().optional(),
});

/** A cross-product view, created as an Athena view in the mesh's central views database. */
const meshView = z.strictObject({
  name: sqlName('view'),
  description: z.string().optional(),
  /** Consumers meant to query the view: each must be able to read every column it references. */
  audience: z.array(z.string()).min(1, 'name at least one consumer that the view is for'),
  /** One Trino (Athena) SELECT over the products' tables, `<domain database>.<table>`. */
  sql: z.string().min(1),
});

export const meshConfigSchema = z.strictObject({
  apiVersion: z.literal('tessera/v1'),
  kind: z.literal('Mesh'),
  name: name('mesh'),
  description: z.string().optional(),
  region: z.string().refine((r) => ALL_AWS_REGIONS.has(r), { error: (issue) => regionMessage(issue.input) }),
  governance: z.strictObject({
    account,
    /** Lake Formation data lake administrators besides the CDK execution role. */
    admins: z.array(roleArn).default([]),
    /** The web catalog behind CloudFront, with sign-in through the organization's SAML identity provider (docs/web-catalog.md). */
    catalogSite: z
      .strictObject({
        /** The identity provider's SAML metadata URL, e.g. that of an IAM Identity Center application. */
        samlMetadataUrl: z.url({ protocol: /^https$/, error: 'samlMetadataUrl must be an https URL' }),
        /**
         * The Cognito hosted sign-in domain prefix, globally unique. Cognito takes lower-case letters,
         * digits and hyphens, and no reserved word (aws, amazon, cognito):
         * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
         */
        signInDomainPrefix: z
          .string()
          .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'signInDomainPrefix is lower-case letters, digits and hyphens, at most 63')
          .refine((p) => !/aws|amazon|cognito/.test(p), 'signInDomainPrefix may not contain aws, amazon or cognito'),
      })
      .optional(),
    /** Where the catalog's OpenLineage events go besides its own store (docs/openlineage.md). */
    lineage: z
      .strictObject({
        /** An OpenLineage HTTP endpoint every event is POSTed to, e.g. Marquez's `https://<host>/api/v1/lineage`. */
        openLineageUrl: z.url({ protocol: /^https?$/, error: 'openLineageUrl must be an http(s) URL, e.g. https://marquez.example.com/api/v1/lineage' }),
      })
      .optional(),
  }),
  /** The classification ontology, least to most sensitive; LF-tag `classification` takes these values. */
  classifications: z
    .array(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a classification is a lower-case word'))
    .min(1)
    .default(['public', 'internal', 'confidential', 'restricted']),
  domains: z
    .array(
      z.strictObject({
        name: name('domain'),
        account,
        description: z.string().optional(),
        /** The owning team, as its contracts name it in `team.name`. */
        owner: z.string().optional(),
        /**
         * Contract files (`*.odcs.yaml`), or ODPS v1.1.0 product descriptors (`*.odps.yaml`) whose
         * output ports name contracts beside them, relative to the mesh config.
         */
        products: z.array(z.string().min(1)).default([]),
        /**
         * IAM roles (ARNs) the domain's pipelines run as; only they may assume its producer role.
         * @default - roles of the domain's account named `tessera-<mesh>-<domain>-producer-*`
         */
        producers: z.array(roleArn).default([]),
        /** Operational stores analysts may join live through an Athena federated-query connector. */
        federated: z.array(federatedSource).default([]),
        /**
         * Products per stack: the domain stack holds the first ones, nested stacks `Products2`,
         * `Products3`, ... each further group (docs/scale.md). Choose it once: changing it moves
         * products between stacks.
         * @default - the mesh app's `productsPerStack`, 20
         */
        productsPerStack: z.number().int('productsPerStack is a whole number of products').min(1, 'productsPerStack is at least 1').optional(),
      }),
    )
    .min(1, 'a mesh needs at least one domain'),
  consumers: z
    .array(
      z.strictObject({
        name: name('consumer'),
        description: z.string().optional(),
        role: roleArn,
        /**
         * Whether Tessera creates the role (in the governance stack, named as in \`role\`, which must
         * then be in the governance account). Otherwise the role is a prerequisite that must exist
         * before the first deploy: Lake Formation refuses grants to principals that do not exist.
         */
        createRole: z.boolean().default(false),
        /**
         * The domain whose pipelines read other domains' products through this consumer's role and
         * grants: a product of that domain may consume (an ODPS input port) only what they can read.
         * @default - the consumer serves people, not a domain
         */
        servesDomain: z.string().optional(),
        grants: z
          .array(
            z.strictObject({
              /** Domain names, or `*` for every domain. */
              domains: z.array(z.string()).min(1),
              classifications: z.array(z.string()).min(1),
            }),
          )
          .min(1),
      }),
    )
    .default([]),
  views: z.array(meshView).default([]),
});

function regionMessage(region: unknown): string {
  const known = [...ALL_AWS_REGIONS];
  const near = typeof region === 'string' && region !== '' ? closest(region, known) : undefined;
  const hint = near !== undefined && distance(String(region), near) <= 2 ? `; did you mean ${near}?` : ' such as eu-west-1';
  return `'${String(region)}' is not an AWS region${hint}`;
}

export type MeshConfig = z.infer<typeof meshConfigSchema>;
export type MeshDomain = MeshConfig['domains'][number];
export type MeshConsumer = MeshConfig['consumers'][number];
export type MeshView = MeshConfig['views'][number];
export type FederatedSource = MeshDomain['federated'][number];

export { ROLE_ARN };
