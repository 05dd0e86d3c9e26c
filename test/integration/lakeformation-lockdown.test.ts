/**
 * The Lake Formation lockdown handler (`lambdas/lakeformation/lockdown-handler.ts`) against a real
 * local Lake Formation API (moto), which starts an account with the IAM-only defaults (ALL to
 * IAM_ALLOWED_PRINCIPALS for new databases and tables), as AWS does. moto stores settings and
 * grants but evaluates neither: what the settings mean for access is Lake Formation's, documented
 * in the handler; here the API calls and the resulting state are proven.
 */
import { CreateLFTagCommand, GetDataLakeSettingsCommand, GetLFTagCommand, GrantPermissionsCommand, LakeFormationClient, ListPermissionsCommand, PutDataLakeSettingsCommand, type GrantPermissionsCommandInput } from '@aws-sdk/client-lakeformation';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onEvent } from '../../lambdas/lakeformation/lockdown-handler.js';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';

const ACCOUNT = '123456789012';
const EXISTING_ADMIN = 'arn:aws:iam::123456789012:role/PlatformTeam';
const EXEC_ROLE = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1';
const ANALYST = 'arn:aws:iam::123456789012:role/Analyst';

let moto: Moto;
let lf: LakeFormationClient;

beforeAll(async () => {
  moto = await startMoto();
  lf = new LakeFormationClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint });
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

function event(requestType: 'Create' | 'Update' | 'Delete', resourceType: string, properties: Record<string, unknown>): CloudFormationCustomResourceEvent {
  const base = { ServiceToken: 'token', ResponseURL: 'https://example.invalid', StackId: 'stack', RequestId: 'request', LogicalResourceId: 'Resource', ResourceType: resourceType, ResourceProperties: { ServiceToken: 'token', ...properties } };
  if (requestType === 'Create') return { ...base, RequestType: 'Create' };
  if (requestType === 'Update') return { ...base, RequestType: 'Update', PhysicalResourceId: `${resourceType}:${ACCOUNT}`, OldResourceProperties: { ServiceToken: 'token' } };
  return { ...base, RequestType: 'Delete', PhysicalResourceId: `${resourceType}:${ACCOUNT}` };
}

const settingsEvent = (type: 'Create' | 'Update' | 'Delete') => event(type, 'Custom::TesseraDataLakeSettings', { CatalogId: ACCOUNT, Admins: [EXEC_ROLE], CrossAccountVersion: '4' });

describe('Custom::TesseraDataLakeSettings', () => {
  it('starts from the IAM-only defaults on moto, as a new AWS account does', async () => {
    const { DataLakeSettings } = await lf.send(new GetDataLakeSettingsCommand({ CatalogId: ACCOUNT }));
    expect(DataLakeSettings?.CreateDatabaseDefaultPermissions).toEqual([{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }]);
  });

  it('removes the defaults, adds the admins to those already there and keeps every other setting', async () => {
    await lf.send(
      new PutDataLakeSettingsCommand({
        CatalogId: ACCOUNT,
        DataLakeSettings: {
          DataLakeAdmins: [{ DataLakePrincipalIdentifier: EXISTING_ADMIN }],
          CreateDatabaseDefaultPermissions: [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }],
          CreateTableDefaultPermissions: [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }],
          TrustedResourceOwners: ['999999999999'],
          Parameters: { CROSS_ACCOUNT_VERSION: '1', SET_CONTEXT: 'TRUE' },
        },
      }),
    );
    const result = await onEvent(settingsEvent('Create'), lf);
    expect(result).toEqual({ PhysicalResourceId: `Custom::TesseraDataLakeSettings:${ACCOUNT}`, Data: { Admins: `${EXISTING_ADMIN},${EXEC_ROLE}` } });
    const { DataLakeSettings } = await lf.send(new GetDataLakeSettingsCommand({ CatalogId: ACCOUNT }));
    expect(DataLakeSettings).toMatchObject({
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: EXISTING_ADMIN }, { DataLakePrincipalIdentifier: EXEC_ROLE }],
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
      TrustedResourceOwners: ['999999999999'],
      Parameters: { CROSS_ACCOUNT_VERSION: '4', SET_CONTEXT: 'TRUE' },
    });
  });

  it('is idempotent on update, never lowers the cross-account version, and changes nothing on delete', async () => {
    await lf.send(new PutDataLakeSettingsCommand({ CatalogId: ACCOUNT, DataLakeSettings: { DataLakeAdmins: [{ DataLakePrincipalIdentifier: EXEC_ROLE }], Parameters: { CROSS_ACCOUNT_VERSION: '5' } } }));
    await onEvent(settingsEvent('Update'), lf);
    await onEvent(settingsEvent('Update'), lf);
    const after = (await lf.send(new GetDataLakeSettingsCommand({ CatalogId: ACCOUNT }))).DataLakeSettings;
    expect(after?.DataLakeAdmins).toEqual([{ DataLakePrincipalIdentifier: EXEC_ROLE }]);
    expect(after?.Parameters).toEqual({ CROSS_ACCOUNT_VERSION: '5' });
    await onEvent(settingsEvent('Delete'), lf);
    expect((await lf.send(new GetDataLakeSettingsCommand({ CatalogId: ACCOUNT }))).DataLakeSettings).toEqual(after);
  });
});

describe('Custom::TesseraIamAllowedPrincipalsRevocation', () => {
  it('revokes IAMAllowedPrincipals on the database and its tables, and nothing granted to others', async () => {
    const iamAllowed = { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' };
    const grants: Omit<GrantPermissionsCommandInput, 'CatalogId'>[] = [
      { Principal: iamAllowed, Resource: { Database: { CatalogId: ACCOUNT, Name: 'orders' } }, Permissions: ['ALL'] },
      { Principal: iamAllowed, Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'orders', Name: 'order_lines' } }, Permissions: ['ALL'] },
      { Principal: iamAllowed, Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'other', Name: 'not_tessera' } }, Permissions: ['ALL'] },
      { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'orders', Name: 'order_lines' } }, Permissions: ['SELECT'] },
    ];
    for (const g of grants) await lf.send(new GrantPermissionsCommand({ CatalogId: ACCOUNT, ...g }));

    const result = await onEvent(event('Create', 'Custom::TesseraIamAllowedPrincipalsRevocation', { CatalogId: ACCOUNT, Databases: [{ Name: 'orders', Tables: ['order_lines', 'orders'] }] }), lf);
    expect(result.Data).toEqual({ Revoked: '2' });

    const held = (await lf.send(new ListPermissionsCommand({ CatalogId: ACCOUNT }))).PrincipalResourcePermissions ?? [];
    const summary = held.map((p) => ({ principal: p.Principal?.DataLakePrincipalIdentifier, resource: p.Resource, permissions: p.Permissions }));
    expect(summary).toHaveLength(2);
    expect(summary).toEqual(
      expect.arrayContaining([
        { principal: ANALYST, resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'orders', Name: 'order_lines' } }, permissions: ['SELECT'] },
        { principal: 'IAM_ALLOWED_PRINCIPALS', resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'other', Name: 'not_tessera' } }, permissions: ['ALL'] },
      ]),
    );
    // Again: nothing left to revoke.
    expect((await onEvent(event('Update', 'Custom::TesseraIamAllowedPrincipalsRevocation', { CatalogId: ACCOUNT, Databases: [{ Name: 'orders', Tables: ['order_lines'] }] }), lf)).Data).toEqual({ Revoked: '0' });
  });

  it('refuses properties it does not understand, naming them', async () => {
    await expect(onEvent(event('Create', 'Custom::TesseraIamAllowedPrincipalsRevocation', { CatalogId: 'x', Databases: [] }), lf)).rejects.toThrow(/CatalogId/);
  });
});

// Custom::TesseraLfTagValues: a tag created with 50 values grows to 120 in UpdateLFTag calls of 50,
// shrinks on update and loses the extra values on delete. moto does not enforce 50 per call, so the
// calls are counted on the handler's result (the batches themselves: test/unit/tag-values.test.ts).
const TYPE = 'Custom::TesseraLfTagValues';
const names = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `d${String(from + i).padStart(3, '0')}`);

function tagEvent(requestType: 'Create' | 'Update' | 'Delete', values: string[], old: string[] = []): CloudFormationCustomResourceEvent {
  const props = { ServiceToken: 'token', CatalogId: ACCOUNT, TagKey: 'domain', TagValues: values };
  const base = { ServiceToken: 'token', ResponseURL: '...', StackId: 'stack', RequestId: 'request', LogicalResourceId: 'DomainTagValues', ResourceType: TYPE, ResourceProperties: props };
  const id = `${TYPE}:${ACCOUNT}:domain`;
  if (requestType === 'Create') return { ...base, RequestType: 'Create' };
  if (requestType === 'Update') return { ...base, RequestType: 'Update', PhysicalResourceId: id, OldResourceProperties: { ...props, TagValues: old } };
  return { ...base, RequestType: 'Delete', PhysicalResourceId: id };
}

const tagValues = async (): Promise<string[]> => ((await lf.send(new GetLFTagCommand({ CatalogId: ACCOUNT, TagKey: 'domain' }))).TagValues ?? []).sort();

describe('Custom::TesseraLfTagValues', () => {
  it('adds 70 values to a tag of 50 in two calls, removes 10 on update, and its values on delete', async () => {
    await lf.send(new CreateLFTagCommand({ CatalogId: ACCOUNT, TagKey: 'domain', TagValues: names(0, 50) }));
    expect(await onEvent(tagEvent('Create', names(50, 120)), lf)).toEqual({ PhysicalResourceId: `${TYPE}:${ACCOUNT}:domain`, Data: { Calls: '2' } });
    expect(await tagValues()).toEqual(names(0, 120));

    // Ten values left the list: one call; the 60 kept are there already.
    expect(await onEvent(tagEvent('Update', names(50, 110), names(50, 120)), lf)).toEqual({ PhysicalResourceId: `${TYPE}:${ACCOUNT}:domain`, Data: { Calls: '1' } });
    // Again: nothing left to change.
    expect(await onEvent(tagEvent('Update', names(50, 110), names(50, 110)), lf)).toEqual({ PhysicalResourceId: `${TYPE}:${ACCOUNT}:domain`, Data: { Calls: '0' } });
    expect(await tagValues()).toEqual(names(0, 110));

    await onEvent(tagEvent('Delete', names(50, 110)), lf);
    expect(await tagValues()).toEqual(names(0, 50));
  });
});
