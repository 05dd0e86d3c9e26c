/**
 * The catalog ingest's pure rules (lib/catalog): who may publish what, whether a read contract is
 * the one announced, and when a stored diff needs correcting. The whole ingest runs on moto in
 * test/integration/catalog-handlers.test.ts; these pin each rule's verdict and message.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPublishedContract } from '../../lib/catalog/contract-verification.js';
import { diffDiffers } from '../../lib/catalog/diff-reconciliation.js';
import { PermanentError } from '../../lib/catalog/ingest-errors.js';
import type { PublicationDetail } from '../../lib/catalog/publication.js';
import { authorizePublication, authorizeQualityRun } from '../../lib/catalog/publisher-authorization.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { contractText, exampleMesh, withVersion } from '../support/catalog.js';

const ORDERS_ACCOUNT = '333333333333';
let mesh: Mesh;
let text: string;
let detail: PublicationDetail;

beforeAll(async () => {
  mesh = await exampleMesh();
  text = contractText(mesh, 'orders');
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  detail = { mesh: 'ecommerce', domain: 'orders', product: 'orders', version: '1.0.0', sha256, location: { account: ORDERS_ACCOUNT, region: 'eu-west-1', bucket: 'orders-products', key: 'orders/_tessera/contract/1.0.0.odcs.yaml' } };
});

const refusal = (f: () => void): { kind: string; message: string } | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!(e instanceof PermanentError)) throw e;
    return { kind: e.kind, message: e.message };
  }
};

describe('authorizePublication', () => {
  it('believes the domain account for its own bucket and product', () => {
    expect(mesh.config.domains.find((d) => d.name === 'orders')?.account).toBe(ORDERS_ACCOUNT);
    expect(refusal(() => authorizePublication(ORDERS_ACCOUNT, detail, mesh.config, 'orders'))).toBeUndefined();
    expect(refusal(() => authorizePublication(ORDERS_ACCOUNT, detail, mesh.config, undefined))).toBeUndefined();
  });

  it('refuses another account, a bucket of another account, an unknown domain and a product of another domain', () => {
    expect(refusal(() => authorizePublication('999999999999', { ...detail, location: { ...detail.location, account: '999999999999' } }, mesh.config, undefined))).toEqual({
      kind: 'foreign-publisher',
      message: "account: the event came from account 999999999999, but domain 'orders' is account 333333333333",
    });
    expect(refusal(() => authorizePublication('999999999999', detail, mesh.config, undefined))?.message).toBe(
      'detail.location.account: account 999999999999 announced a contract in account 333333333333; a domain publishes only from its own buckets',
    );
    expect(refusal(() => authorizePublication(ORDERS_ACCOUNT, { ...detail, domain: 'billing' }, mesh.config, undefined))?.message).toBe("detail.domain: 'billing' is not a domain of mesh 'ecommerce'");
    expect(refusal(() => authorizePublication(ORDERS_ACCOUNT, detail, undefined, 'shipping'))?.message).toBe("detail.domain: product 'orders' belongs to domain 'shipping', not 'orders'");
  });
});

describe('authorizeQualityRun', () => {
  it("counts a run only from the account of its product's domain, and any run of a product not published yet", () => {
    expect(refusal(() => authorizeQualityRun(ORDERS_ACCOUNT, 'orders', mesh.config, 'orders'))).toBeUndefined();
    expect(refusal(() => authorizeQualityRun('999999999999', 'orders', undefined, undefined))).toBeUndefined();
    expect(refusal(() => authorizeQualityRun('999999999999', 'orders', mesh.config, 'orders'))).toEqual({
      kind: 'foreign-publisher',
      message: "account: a quality run of 'orders' came from account 999999999999, not from its domain's account 333333333333",
    });
  });
});

describe('verifyPublishedContract', () => {
  it('accepts the announced contract', () => {
    const verdict = verifyPublishedContract(text, detail, mesh.config);
    expect(verdict.ok && [verdict.contract.id, verdict.contract.version, verdict.sha256]).toEqual(['orders', '1.0.0', detail.sha256]);
  });

  it('refuses another text, another version than announced, and a version that is not semver', () => {
    expect(verifyPublishedContract(`${text}\n`, detail, mesh.config)).toMatchObject({ ok: false, kind: 'mismatch', message: expect.stringMatching(/ has sha256 [0-9a-f]{64}, not the [0-9a-f]{64} the event announced$/) as string });
    const v2 = withVersion(text, '2.0.0');
    const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
    expect(verifyPublishedContract(v2, { ...detail, sha256: sha(v2) }, mesh.config)).toEqual({
      ok: false,
      kind: 'mismatch',
      message: 'the contract at s3://orders-products/orders/_tessera/contract/1.0.0.odcs.yaml is not the one the event announced',
      findings: ['version: the contract is version 2.0.0, the event says 1.0.0'],
    });
    const v1 = withVersion(text, 'v1');
    expect(verifyPublishedContract(v1, { ...detail, version: 'v1', sha256: sha(v1) }, mesh.config)).toMatchObject({ ok: false, kind: 'invalid-contract', findings: ['version: must be a semantic version such as 1.2.0'] });
  });
});

describe('diffDiffers', () => {
  it('compares as storage gives it back: undefined fields do not count, another previous version does', () => {
    const diff = { before: '1.0.0', after: '1.1.0', breaking: false, versionBump: 'minor', ok: true, changes: [], note: undefined } as never;
    const stored = { previousVersion: '1.0.0', diff: JSON.parse(JSON.stringify(diff)) as never };
    expect(diffDiffers(stored, { previousVersion: '1.0.0', diff })).toBe(false);
    expect(diffDiffers(stored, { previousVersion: '0.9.0', diff })).toBe(true);
    expect(diffDiffers(stored, { previousVersion: '1.0.0', diff: null })).toBe(true);
  });
});
