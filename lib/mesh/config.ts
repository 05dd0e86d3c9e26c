/**
 * The mesh config (`mesh.yaml`): the governance account, region, the classification ontology, the
 * domains with their accounts and products (ODCS contracts), and the consumers with their grants.
 * Shape is checked with zod; cross-references (domains, products, classifications) by `loadMesh`.
 */
import { z } from 'zod';

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const NAME = /^[a-z][a-z0-9-]{0,62}$/;

const account = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a quoted 12-digit AWS account id') })
  .regex(ACCOUNT, 'must be a 12-digit AWS account id');

const roleArn = z.string().regex(ROLE_ARN, 'must be an IAM role ARN, e.g. arn:aws:iam::111111111111:role/Analyst');

const name = (what: string) => z.string().regex(NAME, `a ${what} name is lower-case letters, digits and dashes, starting with a letter`);

export const meshConfigSchema = z.strictObject({
  apiVersion: z.literal('tessera/v1'),
  kind: z.literal('Mesh'),
  name: name('mesh'),
  description: z.string().optional(),
  region: z.string().regex(REGION, 'must be an AWS region such as eu-west-1'),
  governance: z.strictObject({
    account,
    /** Lake Formation data lake administrators besides the CDK execution role. */
    admins: z.array(roleArn).default([]),
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
        /** Contract files, relative to the mesh config. */
        products: z.array(z.string().min(1)).default([]),
      }),
    )
    .min(1, 'a mesh needs at least one domain'),
  consumers: z
    .array(
      z.strictObject({
        name: name('consumer'),
        description: z.string().optional(),
        role: roleArn,
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
});

export type MeshConfig = z.infer<typeof meshConfigSchema>;
export type MeshDomain = MeshConfig['domains'][number];
export type MeshConsumer = MeshConfig['consumers'][number];

export { ROLE_ARN };
