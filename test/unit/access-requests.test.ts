/**
 * The access-request model: what a request grants (written out by hand below), who may decide,
 * and every refusal of the issue as its own typed error.
 */
import { describe, expect, it } from 'vitest';
import {
  AccessRequestError,
  activate,
  approve,
  atExpression,
  compareGrants,
  createRequest,
  deny,
  expectedGrants,
  expire,
  grantKey,
  normalizeRowFilter,
  parseCaller,
  parseDuration,
  revocableEntries,
  revoke,
  type AccessRequest,
  type AccessRequestErrorCode,
  type RequestInput,
} from '../../lib/access/requests/index.js';
import { CONFIG, CUSTOMER_ACCOUNT, GOV, ORDERS, ORDERS_ACCOUNT, PAGES, PROFILES, WHO } from '../support/access-requests.js';
import { ownersOf } from '../../lambdas/access/service.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

function ask(input: Partial<RequestInput> & { product?: string }, as: string = WHO.analyst, id = 'ar-0000000000000001'): AccessRequest {
  const product = input.product ?? 'customer-profiles';
  const page = PAGES.find((p) => p.id === product);
  return createRequest(
    { product, scope: { kind: 'classification', classification: 'internal' }, reason: 'quarterly churn analysis', duration: '30d', ...input },
    { caller: parseCaller(as), page, config: CONFIG, domainTeams: PAGES.filter((p) => p.domain === page?.domain).map((p) => p.team?.name), id, now: NOW },
  );
}

function decider(as: string, product = PROFILES, now = NOW) {
  return { caller: parseCaller(as), owners: ownersOf(product, CONFIG), admins: CONFIG.governance.admins, now };
}

function refusal(fn: () => unknown): AccessRequestErrorCode {
  try {
    fn();
  } catch (e) {
    if (e instanceof AccessRequestError) return e.code;
    throw e;
  }
  throw new Error('expected a refusal, got none');
}

describe('what a request grants', () => {
  it('maps a classification of a one-team domain onto an LF-tag expression, up to that class', () => {
    const r = ask({ scope: { kind: 'classification', classification: 'confidential' } });
    expect(r.grant.method).toBe('lf-tag-expression');
    expect(r.grant.principal).toBe(`arn:aws:iam::${GOV}:role/Analyst`);
    expect(r.grant.entries).toEqual([
      { resource: { type: 'lf-tag-policy', catalog: CUSTOMER_ACCOUNT, resourceType: 'TABLE', expression: [{ key: 'domain', values: ['customer'] }, { key: 'classification', values: ['public', 'internal', 'confidential'] }] }, permissions: ['SELECT', 'DESCRIBE'] },
      { resource: { type: 'database', catalog: CUSTOMER_ACCOUNT, database: 'customer' }, permissions: ['DESCRIBE'] },
      { resource: { type: 'database', catalog: GOV, database: 'customer' }, permissions: ['DESCRIBE'] },
    ]);
    expect(r.grant.columns).toEqual({ customer_profiles: ['customer_id', 'country', 'email'] });
    expect(r.needsAdmin).toBe(false);
  });

  it('grants named columns, not a domain-wide expression, where other teams own products of the same domain', () => {
    const r = ask({ product: 'orders', scope: { kind: 'classification', classification: 'internal' } });
    expect(r.grant.method).toBe('named-columns');
    expect(r.grant.entries.slice(0, 2)).toEqual([
      { resource: { type: 'columns', catalog: ORDERS_ACCOUNT, database: 'orders', table: 'orders', columns: ['order_id', 'status'] }, permissions: ['SELECT'] },
      { resource: { type: 'columns', catalog: ORDERS_ACCOUNT, database: 'orders', table: 'order_events', columns: ['order_id', 'event'] }, permissions: ['SELECT'] },
    ]);
  });

  it('grants a data cells filter for a row filter, with the filter normalized', () => {
    const r = ask({ scope: { kind: 'columns', columns: ['customer_id', 'country'] }, rowFilter: "country in ('DE','AT') and not customer_id is null" });
    expect(r.grant.method).toBe('data-cells-filter');
    expect(r.grant.filters).toEqual([{ catalog: CUSTOMER_ACCOUNT, database: 'customer', table: 'customer_profiles', name: 'tessera-ar-0000000000000001', columns: ['customer_id', 'country'], rowFilter: "country IN ('DE', 'AT') AND NOT customer_id IS NULL" }]);
    expect(r.grant.entries[2]).toEqual({ resource: { type: 'data-cells-filter', catalog: CUSTOMER_ACCOUNT, database: 'customer', table: 'customer_profiles', name: 'tessera-ar-0000000000000001' }, permissions: ['SELECT'] });
  });

  it('needs a governance admin when the most sensitive class is among the columns', () => {
    expect(ask({ scope: { kind: 'columns', columns: ['birth_date'] } }).needsAdmin).toBe(true);
    expect(ask({ scope: { kind: 'classification', classification: 'restricted' } }).needsAdmin).toBe(true);
  });

  it('grants to the role of an assumed-role session, never to the session', () => {
    expect(parseCaller('arn:aws:sts::123456789012:assumed-role/Analyst/bob').principal).toBe('arn:aws:iam::123456789012:role/Analyst');
    expect(parseCaller('arn:aws:iam::123456789012:user/team/lena').principal).toBe('arn:aws:iam::123456789012:user/lena');
  });
});

describe('bad requests are refused with a reason', () => {
  it.each<[string, Partial<RequestInput>, AccessRequestErrorCode]>([
    ['an unknown product', { product: 'no-such-product' }, 'UnknownProduct'],
    ['an unknown column', { scope: { kind: 'columns', columns: ['ssn'] } }, 'UnknownColumn'],
    ['a column in two tables without its table', { product: 'orders', scope: { kind: 'columns', columns: ['order_id'] } }, 'InvalidScope'],
    ['a class outside the ontology', { scope: { kind: 'classification', classification: 'secret' } }, 'UnknownClassification'],
    ['a class above what the product (and so its owners) hold', { product: 'orders', scope: { kind: 'classification', classification: 'restricted' } }, 'ClassAboveApprovers'],
    ['a duration too long', { duration: '91d' }, 'DurationOutOfBounds'],
    ['a duration too short', { duration: '0h' }, 'DurationOutOfBounds'],
    ['a duration that is no duration', { duration: '30 days' }, 'InvalidDuration'],
    ['no reason', { reason: 'because' }, 'InvalidReason'],
    ['a row filter on a column the table lacks', { rowFilter: "ssn = '1'" }, 'InvalidRowFilter'],
    ['a row filter with a statement in it', { rowFilter: "country = 'DE'; DROP TABLE x" }, 'InvalidRowFilter'],
    ['a row filter over two tables', { product: 'orders', scope: { kind: 'classification', classification: 'internal' }, rowFilter: "status = 'open'" }, 'InvalidScope'],
  ])('%s', (_, input, code) => {
    expect(refusal(() => ask(input))).toBe(code);
  });

  it('says what is wrong and what would do', () => {
    expect(() => ask({ product: 'orders', scope: { kind: 'classification', classification: 'restricted' } })).toThrow("product 'orders' holds nothing classified above 'confidential', so its owners cannot approve 'restricted'; ask for confidential");
    expect(() => ask({ duration: '91d' })).toThrow("duration '91d' is outside the allowed 1h to 90d");
  });

  it('refuses a caller that is no IAM user or role session', () => {
    expect(refusal(() => parseCaller(undefined))).toBe('InvalidIdentity');
    expect(refusal(() => parseCaller('arn:aws:iam::123456789012:root'))).toBe('InvalidIdentity');
  });
});

describe('deciding', () => {
  it('activates after one owner for classes below the top, with the expiry the duration gives', () => {
    const { request, complete } = approve(ask({}), { ...decider(WHO.customerOwner), revision: 1 });
    expect(complete).toBe(true);
    expect(request.state).toBe('approved');
    const active = activate(request, later(60));
    expect(active.expiresAt).toBe('2026-12-31T10:01:00.000Z');
    expect(active.revision).toBe(3);
  });

  it('needs an owner and a different governance admin for the most sensitive class', () => {
    const top = ask({ scope: { kind: 'classification', classification: 'restricted' } });
    const first = approve(top, { ...decider(WHO.customerOwner), revision: 1 });
    expect(first.complete).toBe(false);
    expect(first.request.state).toBe('pending');
    const second = approve(first.request, { ...decider(WHO.admin), revision: 2 });
    expect(second.complete).toBe(true);
    expect(second.request.approvals.map((a) => a.as)).toEqual([['owner'], ['admin']]);
  });

  it('does not let a governance admin alone approve what the owners decide', () => {
    expect(refusal(() => approve(ask({}), { ...decider(WHO.admin), revision: 1 }))).toBe('NotAnApprover');
  });

  it.each<[string, string, AccessRequestErrorCode]>([
    ['a stranger', WHO.stranger, 'NotAnApprover'],
    ['a session that merely calls itself an owner', WHO.fakeOwner, 'NotAnApprover'],
    ['the requester', WHO.analyst, 'SelfApproval'],
    ['another session of the role being granted', WHO.otherAnalystSession, 'SelfApproval'],
  ])('refuses approval by %s', (_, who, code) => {
    expect(refusal(() => approve(ask({}), { ...decider(who), revision: 1 }))).toBe(code);
  });

  it('accepts owners written as an IAM user name or as a role ARN', () => {
    const r = ask({ product: 'orders', scope: { kind: 'columns', columns: ['orders.status'] } });
    expect(approve(r, { ...decider(WHO.ordersOwnerUser, ORDERS), revision: 1 }).complete).toBe(true);
    expect(approve(r, { ...decider(WHO.ordersOwnerRole, ORDERS), revision: 1 }).complete).toBe(true);
  });

  it('refuses approving twice', () => {
    const top = ask({ scope: { kind: 'columns', columns: ['birth_date'] } });
    const once = approve(top, { ...decider(WHO.customerOwner), revision: 1 }).request;
    expect(refusal(() => approve(once, { ...decider(WHO.customerOwner), revision: 2 }))).toBe('AlreadyApproved');
  });

  it('refuses a replayed approval (made on an earlier revision)', () => {
    const top = ask({ scope: { kind: 'columns', columns: ['birth_date'] } });
    const once = approve(top, { ...decider(WHO.customerOwner), revision: 1 }).request;
    expect(refusal(() => approve(once, { ...decider(WHO.admin), revision: 1 }))).toBe('StaleDecision');
  });

  it('refuses deciding a request past its decision window, and expires it', () => {
    const r = ask({});
    const overdue = later(15 * 86400);
    expect(refusal(() => approve(r, { ...decider(WHO.customerOwner, PROFILES, overdue), revision: 1 }))).toBe('RequestExpired');
    expect(refusal(() => deny(r, { ...decider(WHO.customerOwner, PROFILES, overdue), revision: 1 }))).toBe('RequestExpired');
    expect(expire(r, overdue)?.state).toBe('expired');
  });

  it('refuses deciding a request that is decided already', () => {
    const denied = deny(ask({}), { ...decider(WHO.customerOwner), revision: 1 });
    expect(denied.state).toBe('denied');
    expect(refusal(() => approve(denied, { ...decider(WHO.customerOwner), revision: 2 }))).toBe('InvalidTransition');
  });

  it('expires an active request at its end, once', () => {
    const active = activate(approve(ask({ duration: '2h' }), { ...decider(WHO.customerOwner), revision: 1 }).request, NOW);
    expect(expire(active, later(7199))).toBeNull();
    const expired = expire(active, later(7200))!;
    expect(expired.state).toBe('expired');
    expect(expire(expired, later(7300))).toBeNull();
  });

  it('lets owners and the requester revoke, nobody else', () => {
    const active = activate(approve(ask({}), { ...decider(WHO.customerOwner), revision: 1 }).request, NOW);
    expect(revoke(active, decider(WHO.analyst)).state).toBe('revoked');
    expect(revoke(active, decider(WHO.admin)).state).toBe('revoked');
    expect(refusal(() => revoke(active, decider(WHO.stranger)))).toBe('NotAllowed');
  });
});

describe('revocation and drift', () => {
  it('keeps what the mesh config or another active request still needs', () => {
    const r = ask({ scope: { kind: 'classification', classification: 'confidential' } });
    const linkDescribe = grantKey(r.grant.principal, { Database: { CatalogId: GOV, Name: 'customer' } }, 'DESCRIBE');
    const left = revocableEntries(r, new Set([linkDescribe]));
    expect(left.map((e) => e.resource.type)).toEqual(['lf-tag-policy', 'database']);
  });

  it('reports extra and missing grants, permission by permission', () => {
    const active = activate(approve(ask({ product: 'orders', scope: { kind: 'columns', columns: ['orders.status'] } }), { ...decider(WHO.ordersOwnerUser, ORDERS), revision: 1 }).request, NOW);
    const expected = expectedGrants([], [active], NOW);
    const role = `arn:aws:iam::${GOV}:role/Analyst`;
    const report = compareGrants(
      [
        { principal: role, resource: { TableWithColumns: { Name: 'orders', DatabaseName: 'orders', CatalogId: ORDERS_ACCOUNT, ColumnNames: ['status'] } }, permissions: ['SELECT'] },
        { principal: role, resource: { Database: { CatalogId: ORDERS_ACCOUNT, Name: 'orders' } }, permissions: ['DESCRIBE', 'DROP'] },
      ],
      expected,
    );
    expect(report.extra).toEqual([{ principal: role, resource: { Database: { CatalogId: ORDERS_ACCOUNT, Name: 'orders' } }, permission: 'DROP' }]);
    expect(report.missing).toEqual([{ principal: role, resource: { Database: { CatalogId: GOV, Name: 'orders' } }, permission: 'DESCRIBE', source: `request ${active.id}` }]);
    // Past its expiry a request is no longer expected, even before the schedule fired.
    expect(expectedGrants([], [active], later(31 * 86400)).size).toBe(0);
  });
});

describe('small parts', () => {
  it('writes the schedule time in whole seconds, rounded up', () => {
    expect(atExpression(new Date('2026-12-31T10:01:00.000Z'))).toBe('at(2026-12-31T10:01:00)');
    expect(atExpression(new Date('2026-12-31T10:01:00.001Z'))).toBe('at(2026-12-31T10:01:01)');
  });

  it('parses durations', () => {
    expect(parseDuration('12h')).toBe(43200);
    expect(parseDuration('2w')).toBe(1209600);
  });

  it('writes row filters back in one form', () => {
    expect(normalizeRowFilter("a='it''s' or (b >= 2 and c != 3)", ['a', 'b', 'c'])).toBe("a = 'it''s' OR (b >= 2 AND c <> 3)");
  });
});
