/**
 * The access-request flow end to end on a real local AWS API server (moto): the example mesh's
 * contracts published into the catalog table, requests made, decided and ended through the access
 * API handler (whole middy chain), the grants read back through Lake Formation's ListPermissions,
 * the expiry schedule read back from EventBridge Scheduler, and the audit trail through the API.
 *
 * moto stores Lake Formation grants and returns them from ListPermissions, but evaluates none: it
 * checks neither the grantor's rights nor that the LF-tags exist, and answers no "what can this
 * principal read". What a tag expression lets a principal read is Lake Formation's matching rule,
 * proven offline by lib/access/evaluate.ts (test/unit/access-model.test.ts, and its agreement with
 * the grants moto holds in test/integration/access-moto.test.ts). moto also has no
 * CreateDataCellsFilter (its ListDataCellsFilter always answers empty), so row filters are proven
 * at the unit level only (test/unit/access-requests.test.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LakeFormationClient, ListPermissionsCommand, type PrincipalResourcePermissions } from '@aws-sdk/client-lakeformation';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalAccess } from '../../lambdas/access/local.js';
import { createCatalogTable, dynamoCatalogStore, LocalCatalog } from '../../lambdas/catalog/local.js';
import { logger } from '../../lambdas/shared/powertools.js';
import type { AccessRequest, AuditEvent } from '../../lib/access/requests/index.js';
import { buildOpenApiDocument } from '../../lib/catalog/openapi.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';
import { root } from '../unit/constructs/helpers.js';

const GOV = '111111111111';
const ANALYST_ROLE = `arn:aws:iam::${GOV}:role/TesseraAnalyst`;
const WHO = {
  analyst: `arn:aws:sts::${GOV}:assumed-role/TesseraAnalyst/bob`,
  // Identity Center names the session after the signed-in user (aoife.byrne owns customer-profiles).
  customerOwner: 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_DataOwner_0123456789abcdef/aoife.byrne',
  ordersOwner: 'arn:aws:iam::333333333333:user/lena.schmidt',
  admin: `arn:aws:sts::${GOV}:assumed-role/TesseraDataLakeAdmin/ops`,
  stranger: `arn:aws:iam::${GOV}:user/mallory`,
};
const REASON = 'churn analysis for the quarterly business review';

let moto: Moto;
let access: LocalAccess;
let lf: LakeFormationClient;
let scheduler: SchedulerClient;
let clock = new Date('2026-12-01T09:00:00.000Z');

beforeAll(async () => {
  vi.spyOn(logger, 'info').mockImplementation(() => undefined);
  moto = await startMoto();
  const config = { endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS };
  const dynamo = new DynamoDBClient(config);
  await createCatalogTable(dynamo, 'catalog');
  const { mesh } = await loadMeshFile(`${root}/mesh/mesh.yaml`);
  const catalog = new LocalCatalog({ store: dynamoCatalogStore(dynamo, 'catalog'), mesh: mesh!.config.name });
  await catalog.seedMeshConfig(mesh!.config);
  const published = await catalog.publish(mesh!.products.map((p) => ({ text: p.contract.source.text, domain: p.domain })));
  expect(published.batchItemFailures).toEqual([]);
  access = await LocalAccess.open({ ...config, mesh: mesh!.config.name, account: GOV, catalog: catalog.store, now: () => clock });
  lf = new LakeFormationClient(config);
  scheduler = new SchedulerClient(config);
}, 180_000);

afterAll(async () => {
  await moto?.stop();
});

async function held(principal: string): Promise<PrincipalResourcePermissions[]> {
  const { PrincipalResourcePermissions } = await lf.send(new ListPermissionsCommand({}));
  return (PrincipalResourcePermissions ?? []).filter((p) => p.Principal?.DataLakePrincipalIdentifier === principal);
}

/** Resource and permissions, in a stable order: moto keeps grants in a set. */
const shape = (rows: PrincipalResourcePermissions[]) =>
  rows.map((r) => ({ resource: r.Resource, permissions: [...(r.Permissions ?? [])].sort() })).sort((a, b) => JSON.stringify(a.resource).localeCompare(JSON.stringify(b.resource)));

describe('a request for the most sensitive class, from asking to expiry', () => {
  let request: AccessRequest;

  it('is stored pending, needing an owner and a governance admin', async () => {
    const res = await access.call<AccessRequest>('POST', '/access-requests', { as: WHO.analyst, body: { product: 'customer-profiles', classification: 'restricted', reason: REASON, duration: '1h' } });
    expect(res.status).toBe(201);
    request = res.body;
    expect(request).toMatchObject({ state: 'pending', requester: WHO.analyst, needsAdmin: true, revision: 1, grant: { principal: ANALYST_ROLE, method: 'lf-tag-expression' } });
    expect(await held(ANALYST_ROLE)).toEqual([]);
  });

  it('grants nothing after the owner alone, and refuses the same decision replayed', async () => {
    const first = await access.call<AccessRequest>('POST', `/access-requests/${request.id}/approve`, { as: WHO.customerOwner, body: { revision: 1 } });
    expect(first.status).toBe(200);
    expect(first.body.state).toBe('pending');
    const replay = await access.call<{ error: string }>('POST', `/access-requests/${request.id}/approve`, { as: WHO.admin, body: { revision: 1 } });
    expect(replay).toMatchObject({ status: 409, body: { error: 'StaleDecision' } });
    const twice = await access.call<{ error: string }>('POST', `/access-requests/${request.id}/approve`, { as: WHO.customerOwner, body: { revision: 2 } });
    expect(twice).toMatchObject({ status: 409, body: { error: 'AlreadyApproved' } });
    expect(await held(ANALYST_ROLE)).toEqual([]);
  });

  it('applies the grant in Lake Formation after the admin, and schedules its end', async () => {
    clock = new Date('2026-12-01T09:05:00.250Z');
    const second = await access.call<AccessRequest>('POST', `/access-requests/${request.id}/approve`, { as: WHO.admin, body: { revision: 2 } });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ state: 'active', activatedAt: '2026-12-01T09:05:00.250Z', expiresAt: '2026-12-01T10:05:00.250Z' });
    // Written out by hand from mesh.yaml and the contract: the customer domain's catalog, every class
    // up to restricted; DESCRIBE on its database and on the governance account's link to it.
    expect(shape(await held(ANALYST_ROLE))).toEqual([
      { resource: { Database: { CatalogId: GOV, Name: 'customer' } }, permissions: ['DESCRIBE'] },
      { resource: { Database: { CatalogId: '222222222222', Name: 'customer' } }, permissions: ['DESCRIBE'] },
      { resource: { LFTagPolicy: { CatalogId: '222222222222', ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['customer'] }, { TagKey: 'classification', TagValues: ['public', 'internal', 'confidential', 'restricted'] }] } }, permissions: ['DESCRIBE', 'SELECT'] },
    ]);
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: `tessera-access-${request.id}` }));
    expect(schedule).toMatchObject({ ScheduleExpression: 'at(2026-12-01T10:05:01)', ScheduleExpressionTimezone: 'UTC', ActionAfterCompletion: 'DELETE', FlexibleTimeWindow: { Mode: 'OFF' } });
    expect(JSON.parse(schedule.Target!.Input!)).toEqual({ requestId: request.id });
    expect(schedule.Target!.Arn).toBe(`arn:aws:lambda:${TEST_REGION}:${GOV}:function:tessera-ecommerce-access-expiry`);
  });

  it('does nothing when the schedule fires early, and revokes at its time', async () => {
    clock = new Date('2026-12-01T10:00:00.000Z');
    expect(await access.expire(request.id)).toEqual({ requestId: request.id, state: 'active' });
    clock = new Date('2026-12-01T10:05:01.000Z');
    expect(await access.expire(request.id)).toEqual({ requestId: request.id, state: 'expired' });
    // The link DESCRIBE stays: mesh.yaml's analysts grant (every domain, public and internal) needs it.
    expect(shape(await held(ANALYST_ROLE))).toEqual([{ resource: { Database: { CatalogId: GOV, Name: 'customer' } }, permissions: ['DESCRIBE'] }]);
    expect(await access.expire(request.id)).toEqual({ requestId: request.id, state: 'expired' });
  });

  it('keeps the whole story in the audit trail, one event per change', async () => {
    const res = await access.call<{ items: AuditEvent[] }>('GET', `/access-requests/${request.id}/audit`, { as: WHO.stranger });
    expect(res.status).toBe(200);
    expect(res.body.items.map((e) => [e.revision, e.action, e.actor, e.state])).toEqual([
      [1, 'requested', WHO.analyst, 'pending'],
      [2, 'approved', WHO.customerOwner, 'pending'],
      [3, 'approved', WHO.admin, 'approved'],
      [4, 'granted', WHO.admin, 'active'],
      [5, 'expired', 'schedule', 'expired'],
    ]);
    expect(res.body.items[0]!.detail).toMatchObject({ reason: REASON, duration: '1h' });
  });

  it('answers as the OpenAPI document says', async () => {
    const doc = buildOpenApiDocument() as { components: { schemas: Record<string, object> } };
    const ajv = new Ajv2020.default({ strict: false });
    addFormats.default(ajv);
    const validate = (name: string, value: unknown) => {
      const check = ajv.compile({ ...doc.components.schemas[name], components: doc.components });
      expect(check(value), `${name}: ${JSON.stringify(check.errors)}`).toBe(true);
    };
    validate('AccessRequest', (await access.call('GET', `/access-requests/${request.id}`, { as: WHO.stranger })).body);
    validate('AuditTrail', (await access.call('GET', `/access-requests/${request.id}/audit`, { as: WHO.stranger })).body);
    validate('AccessRequestList', (await access.call('GET', '/access-requests?state=expired', { as: WHO.stranger })).body);
    validate('AccessError', (await access.call('POST', `/access-requests/${request.id}/approve`, { as: WHO.admin, body: { revision: 5 } })).body);
  });
});

describe('revocation on demand', () => {
  it('removes the named columns and deletes the schedule', async () => {
    clock = new Date('2026-12-02T08:00:00.000Z');
    const asked = await access.call<AccessRequest>('POST', '/access-requests', { as: WHO.analyst, body: { product: 'order-lines', columns: ['order_id', 'sku'], reason: REASON, duration: '7d' } });
    expect(asked.status).toBe(201);
    const id = asked.body.id;
    expect((await access.call<AccessRequest>('POST', `/access-requests/${id}/approve`, { as: WHO.ordersOwner, body: { revision: 1 } })).body.state).toBe('active');
    expect(shape(await held(ANALYST_ROLE))).toContainEqual({ resource: { TableWithColumns: { CatalogId: '333333333333', DatabaseName: 'orders', Name: 'order_lines', ColumnNames: ['order_id', 'sku'] } }, permissions: ['SELECT'] });
    const revoked = await access.call<AccessRequest>('POST', `/access-requests/${id}/revoke`, { as: WHO.analyst, body: {} });
    expect(revoked.body).toMatchObject({ state: 'revoked', endedBy: WHO.analyst });
    expect(shape(await held(ANALYST_ROLE)).filter((r) => JSON.stringify(r.resource).includes('orders'))).toEqual([{ resource: { Database: { CatalogId: GOV, Name: 'orders' } }, permissions: ['DESCRIBE'] }]);
    await expect(scheduler.send(new GetScheduleCommand({ Name: `tessera-access-${id}` }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('a row filter on moto', () => {
  it('fails at CreateDataCellsFilter, which moto lacks, with a 500 that discloses nothing, and grants nothing', async () => {
    clock = new Date('2026-12-02T09:00:00.000Z');
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const before = await held(ANALYST_ROLE);
    const asked = await access.call<AccessRequest>('POST', '/access-requests', { as: WHO.analyst, body: { product: 'order-lines', columns: ['order_id', 'sku'], rowFilter: "sku = 'SKU-1'", reason: REASON, duration: '1d' } });
    expect(asked.body.grant.filters).toEqual([{ catalog: '333333333333', database: 'orders', table: 'order_lines', name: `tessera-${asked.body.id}`, columns: ['order_id', 'sku'], rowFilter: "sku = 'SKU-1'" }]);
    const approved = await access.call<{ error: string; message: string }>('POST', `/access-requests/${asked.body.id}/approve`, { as: WHO.ordersOwner, body: { revision: 1 } });
    expect(approved).toMatchObject({ status: 500, body: { error: 'InternalError' } });
    expect((await access.call<AccessRequest>('GET', `/access-requests/${asked.body.id}`, { as: WHO.stranger })).body.state).toBe('approved');
    expect(await held(ANALYST_ROLE)).toEqual(before);
  });
});

describe('bad input is a 4xx with the reason, and grants nothing', () => {
  const ask = (body: Record<string, unknown>, as: string | null = WHO.analyst) => access.call<{ error: string; message: string }>('POST', '/access-requests', { as: as ?? undefined, body: { reason: REASON, duration: '30d', ...body } });

  it.each<[string, Record<string, unknown>, number, string]>([
    ['an unknown product', { product: 'no-such-product', classification: 'internal' }, 404, 'UnknownProduct'],
    ['an unknown column', { product: 'orders', columns: ['ssn'] }, 400, 'UnknownColumn'],
    ['a class above what the product holds', { product: 'order-lines', classification: 'restricted' }, 400, 'ClassAboveApprovers'],
    ['a duration out of bounds', { product: 'orders', classification: 'internal', duration: '365d' }, 400, 'DurationOutOfBounds'],
    ['a requester in the body', { product: 'orders', classification: 'internal', requester: WHO.admin }, 400, 'InvalidBody'],
    ['both a class and columns', { product: 'orders', classification: 'internal', columns: ['order_id'] }, 400, 'InvalidBody'],
  ])('%s', async (_, body, status, error) => {
    const before = await held(ANALYST_ROLE);
    const res = await ask(body);
    expect(res).toMatchObject({ status, body: { error } });
    expect(res.body.message.length).toBeGreaterThan(20);
    expect(await held(ANALYST_ROLE)).toEqual(before);
  });

  it('refuses a caller without a verified identity', async () => {
    expect(await ask({ product: 'orders', classification: 'internal' }, null)).toMatchObject({ status: 403, body: { error: 'InvalidIdentity' } });
  });

  it('refuses approval by a non-owner and deciding an expired request', async () => {
    clock = new Date('2026-12-03T08:00:00.000Z');
    const asked = await ask({ product: 'orders', classification: 'internal' });
    const id = (asked.body as unknown as AccessRequest).id;
    expect(await access.call('POST', `/access-requests/${id}/approve`, { as: WHO.stranger, body: { revision: 1 } })).toMatchObject({ status: 403, body: { error: 'NotAnApprover' } });
    clock = new Date('2026-12-18T08:00:00.000Z');
    expect(await access.call('POST', `/access-requests/${id}/approve`, { as: WHO.ordersOwner, body: { revision: 1 } })).toMatchObject({ status: 409, body: { error: 'RequestExpired' } });
    const listed = await access.call<{ items: AccessRequest[] }>('GET', '/access-requests?product=orders', { as: WHO.stranger });
    expect(listed.body.items.map((r) => [r.id, r.state])).toEqual([[id, 'pending']]);
  });
});
