/**
 * How Tessera names OpenLineage datasets and jobs. Naming conventions:
 * https://openlineage.io/docs/spec/naming (the repository's website/docs/spec/naming.md):
 *
 * - a product table or mesh view is named as Athena queries it, namespace
 *   `awsathena://athena.{region_name}.amazonaws.com`, name `{catalog}.{database}.{table}`: views and
 *   consumers read the products through Athena, and a mesh has one region, so one namespace holds
 *   every dataset of the mesh and a view's inputs need no account;
 * - each also carries a symlink to its Glue table, namespace `arn:aws:glue:{region}:{account id}`,
 *   name `table/{database name}/{table name}`, in the account that owns it.
 */
import { createHash } from 'node:crypto';

/** A dataset's identity in OpenLineage. */
export interface DatasetId {
  readonly namespace: string;
  readonly name: string;
}

/** Athena's default catalog, where Glue databases appear. */
export const ATHENA_CATALOG = 'AwsDataCatalog';

export function athenaNamespace(region: string): string {
  return `awsathena://athena.${region}.amazonaws.com`;
}

export function athenaDataset(region: string, database: string, table: string): DatasetId {
  return { namespace: athenaNamespace(region), name: `${ATHENA_CATALOG}.${database}.${table}` };
}

export function glueTable(region: string, account: string, database: string, table: string): DatasetId {
  return { namespace: `arn:aws:glue:${region}:${account}`, name: `table/${database}/${table}` };
}

/** The namespace of every job of a mesh (publications, quality runs, views). */
export function jobNamespace(mesh: string): string {
  return `tessera://${mesh}`;
}

// A fixed namespace of Tessera's name-based run ids (generated once, for this purpose only).
const RUN_ID_NAMESPACE = Buffer.from('6f1c2a5e0b7d4c3f9a8e2d1b4c6f7a90', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 of a namespace and a name). OpenLineage run ids are
 * UUIDs; deriving them from what identifies the run (a product version, a quality run id) makes a
 * redelivered message produce the same event, so sinks see one run, not two.
 */
export function runIdFor(name: string): string {
  const hash = createHash('sha1').update(RUN_ID_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
