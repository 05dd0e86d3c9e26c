/**
 * Custom::TesseraLfTagValues (lambdas/lakeformation/lockdown-handler.ts) against moto's Lake
 * Formation: a tag created with 50 values grows to 120 in UpdateLFTag calls of 50, shrinks on
 * update, and loses the extra values on delete. moto does not enforce the 50-per-call limit, so the
 * number of calls is counted on the handler's result (the batches are proven in tag-values.test.ts).
 */
import { CreateLFTagCommand, GetLFTagCommand, LakeFormationClient } from '@aws-sdk/client-lakeformation';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onEvent } from '../../lambdas/lakeformation/lockdown-handler.js';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';

const ACCOUNT = '123456789012';
const TYPE = 'Custom::TesseraLfTagValues';
const names = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `d${String(from + i).padStart(3, '0')}`);

let moto: Moto;
let lf: LakeFormationClient;

beforeAll(async () => {
  moto = await startMoto();
  lf = new LakeFormationClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint });
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

function event(requestType: 'Create' | 'Update' | 'Delete', values: string[], old: string[] = []): CloudFormationCustomResourceEvent {
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
    expect(await onEvent(event('Create', names(50, 120)), lf)).toEqual({ PhysicalResourceId: `${TYPE}:${ACCOUNT}:domain`, Data: { Calls: '2' } });
    expect(await tagValues()).toEqual(names(0, 120));

    // Ten values left the list: one call; the 60 kept are there already.
    expect(await onEvent(event('Update', names(50, 110), names(50, 120)), lf)).toEqual({ PhysicalResourceId: `${TYPE}:${ACCOUNT}:domain`, Data: { Calls: '1' } });
    // Again: nothing left to change.
    expect(await onEvent(event('Update', names(50, 110), names(50, 110)), lf)).toEqual({ PhysicalResourceId: `${TYPE}:${ACCOUNT}:domain`, Data: { Calls: '0' } });
    expect(await tagValues()).toEqual(names(0, 110));

    await onEvent(event('Delete', names(50, 110)), lf);
    expect(await tagValues()).toEqual(names(0, 50));
  });
});
