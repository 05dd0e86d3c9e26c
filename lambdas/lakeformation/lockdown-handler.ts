/**
 * Lake Formation in force, as two CloudFormation custom resource types (one provider per stack):
 *
 * - `Custom::TesseraDataLakeSettings`: read the account's data lake settings, merge Tessera's
 *   (`lib/access/lake-settings.ts`: admins added, IAM-only defaults removed, cross-account version
 *   raised) and write them back. Deleting the resource changes nothing: the admins and settings
 *   stay, because removing them could lock out other stacks and teams of the account.
 * - `Custom::TesseraIamAllowedPrincipalsRevocation`: revoke every grant IAMAllowedPrincipals holds
 *   on Tessera's databases and tables (made while the defaults were in force, e.g. before Tessera
 *   first deployed into the account), so Lake Formation, not IAM, decides who reads them. Runs
 *   again whenever the list of tables changes. Deleting it grants nothing back.
 *
 * - `Custom::TesseraLfTagValues`: the values of an LF-tag beyond the 50 its AWS::LakeFormation::Tag
 *   can create in one call, added (and, when they leave the list, removed) with UpdateLFTag in
 *   batches of 50 (`lib/access/tag-values.ts`). Deleting it removes its values from the tag.
 *
 * All are idempotent: running one again finds nothing left to change.
 */
import middy from '@middy/core';
import { GetDataLakeSettingsCommand, GetLFTagCommand, LakeFormationClient, ListPermissionsCommand, PutDataLakeSettingsCommand, RevokePermissionsCommand, UpdateLFTagCommand, type DataLakeSettings, type Resource } from '@aws-sdk/client-lakeformation';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { z } from 'zod';
import { IAM_ALLOWED_PRINCIPALS, mergeDataLakeSettings, REVOCATION_RESOURCE_TYPE, SETTINGS_RESOURCE_TYPE, TAG_VALUES_RESOURCE_TYPE, type DataLakeSettings as Settings } from '../../lib/access/lake-settings.js';
import { LF_TAG_VALUES_MAX, tagValueUpdate } from '../../lib/access/tag-values.js';
import { logger, observed, tracer } from '../shared/powertools.js';


const settingsProps = z.object({
  CatalogId: z.string().regex(/^\d{12}$/),
  Admins: z.array(z.string().min(1)),
  CrossAccountVersion: z.coerce.number().int().min(1),
});
const revocationProps = z.object({
  CatalogId: z.string().regex(/^\d{12}$/),
  Databases: z.array(z.object({ Name: z.string().min(1), Tables: z.array(z.string().min(1)).default([]) })),
});

const tagValuesProps = z.object({
  CatalogId: z.string().regex(/^\d{12}$/),
  TagKey: z.string().min(1),
  TagValues: z.array(z.string()).max(LF_TAG_VALUES_MAX),
});

export interface LockdownResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export async function applyDataLakeSettings(client: LakeFormationClient, props: z.infer<typeof settingsProps>): Promise<{ admins: string[] }> {
  const current = (await client.send(new GetDataLakeSettingsCommand({ CatalogId: props.CatalogId }))).DataLakeSettings ?? {};
  const merged = mergeDataLakeSettings(current as Settings, { admins: props.Admins, crossAccountVersion: props.CrossAccountVersion });
  await client.send(new PutDataLakeSettingsCommand({ CatalogId: props.CatalogId, DataLakeSettings: merged as DataLakeSettings }));
  return { admins: (merged.DataLakeAdmins ?? []).map((a) => a.DataLakePrincipalIdentifier!) };
}

/** Revokes what IAMAllowedPrincipals holds on each database and table; returns how many grants. */
export async function revokeIamAllowedPrincipals(client: LakeFormationClient, props: z.infer<typeof revocationProps>): Promise<number> {
  const resources: Resource[] = props.Databases.flatMap((db) => [
    { Database: { CatalogId: props.CatalogId, Name: db.Name } },
    ...db.Tables.map((table) => ({ Table: { CatalogId: props.CatalogId, DatabaseName: db.Name, Name: table } })),
  ]);
  let revoked = 0;
  for (const resource of resources) {
    let token: string | undefined;
    do {
      const page = await client.send(new ListPermissionsCommand({ CatalogId: props.CatalogId, Principal: { DataLakePrincipalIdentifier: IAM_ALLOWED_PRINCIPALS }, Resource: resource, NextToken: token }));
      for (const held of page.PrincipalResourcePermissions ?? []) {
        if (held.Principal?.DataLakePrincipalIdentifier !== IAM_ALLOWED_PRINCIPALS || !held.Resource || !held.Permissions?.length) continue;
        await client.send(new RevokePermissionsCommand({ CatalogId: props.CatalogId, Principal: held.Principal, Resource: held.Resource, Permissions: held.Permissions, PermissionsWithGrantOption: held.PermissionsWithGrantOption }));
        revoked++;
      }
      token = page.NextToken;
    } while (token);
  }
  return revoked;
}

/** Applies `tagValueUpdate(before, after)` to the tag; returns how many UpdateLFTag calls it made. */
export async function updateTagValues(client: LakeFormationClient, catalogId: string, key: string, before: readonly string[], after: readonly string[]): Promise<number> {
  const current = (await client.send(new GetLFTagCommand({ CatalogId: catalogId, TagKey: key }))).TagValues ?? [];
  const { add, remove } = tagValueUpdate(current, before, after);
  for (const values of add) await client.send(new UpdateLFTagCommand({ CatalogId: catalogId, TagKey: key, TagValuesToAdd: values }));
  for (const values of remove) await client.send(new UpdateLFTagCommand({ CatalogId: catalogId, TagKey: key, TagValuesToDelete: values }));
  return add.length + remove.length;
}

async function onTagValues(event: CloudFormationCustomResourceEvent, client: LakeFormationClient, physicalId: string): Promise<LockdownResult> {
  const props = tagValuesProps.parse(event.ResourceProperties);
  const before = event.RequestType === 'Update' ? tagValuesProps.shape.TagValues.catch([]).parse(event.OldResourceProperties.TagValues) : [];
  const after = event.RequestType === 'Delete' ? [] : props.TagValues;
  const id = event.RequestType === 'Create' ? `${TAG_VALUES_RESOURCE_TYPE}:${props.CatalogId}:${props.TagKey}` : physicalId;
  try {
    const calls = await updateTagValues(client, props.CatalogId, props.TagKey, event.RequestType === 'Delete' ? props.TagValues : before, after);
    logger.info('LF-tag values updated', { key: props.TagKey, values: after.length, calls });
    return { PhysicalResourceId: id, Data: { Calls: String(calls) } };
  } catch (e) {
    // The tag itself already gone (the stack is being deleted): its values went with it.
    if (event.RequestType === 'Delete' && (e as Error).name === 'EntityNotFoundException') return { PhysicalResourceId: id };
    throw e;
  }
}

export async function onEvent(event: CloudFormationCustomResourceEvent, client: LakeFormationClient): Promise<LockdownResult> {
  const physicalId = event.RequestType === 'Create' ? `${event.ResourceType}:${String(event.ResourceProperties.CatalogId)}` : event.PhysicalResourceId;
  if (event.ResourceType === TAG_VALUES_RESOURCE_TYPE) return onTagValues(event, client, physicalId);
  // Deleting must not undo the lockdown: see the module comment.
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
  switch (event.ResourceType) {
    case SETTINGS_RESOURCE_TYPE: {
      const { admins } = await applyDataLakeSettings(client, settingsProps.parse(event.ResourceProperties));
      logger.info('data lake settings merged', { admins });
      return { PhysicalResourceId: physicalId, Data: { Admins: admins.join(',') } };
    }
    case REVOCATION_RESOURCE_TYPE: {
      const revoked = await revokeIamAllowedPrincipals(client, revocationProps.parse(event.ResourceProperties));
      logger.info('IAMAllowedPrincipals grants revoked', { revoked });
      return { PhysicalResourceId: physicalId, Data: { Revoked: String(revoked) } };
    }
    default:
      throw new Error(`unknown resource type '${event.ResourceType}': expected ${SETTINGS_RESOURCE_TYPE}, ${REVOCATION_RESOURCE_TYPE} or ${TAG_VALUES_RESOURCE_TYPE}`);
  }
}

let client: LakeFormationClient | undefined;
/** Created at the first event, not at import: the environment is read then. */
function lakeFormation(): LakeFormationClient {
  client ??= tracer.captureAWSv3Client(new LakeFormationClient({}));
  return client;
}

// No Parser schema on the event: Powertools' CloudFormation custom resource schemas require
// `ResponseURL` to be a URL, and CDK's provider framework (which calls this handler) replaces it
// with "..." (aws-cdk-lib custom-resources/lib/provider-framework/runtime/framework.js); the
// resource properties, the part that can be wrong, are parsed by type in `onEvent`.
export const handler = middy<CloudFormationCustomResourceEvent, LockdownResult>()
  .use(observed())
  .handler((event) => onEvent(event, lakeFormation()));
