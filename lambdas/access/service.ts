/**
 * The access-request flow over its ports, knowing nothing of Lambda or HTTP. Every change is one
 * transaction of the request and its audit event; Lake Formation is changed only after the change
 * that allows it is stored, so a refused or conflicting decision never grants anything.
 *
 * Why DynamoDB and not a Step Functions task token: the human step lasts days and needs two
 * approvers, denial, revocation, renewal, listing by product and a replay check, all of which are
 * conditional writes on one item; a task token holds one waiting execution that one SendTaskSuccess
 * ends, and the state of a request would live in an execution history nobody can query by product.
 */
import { randomBytes } from 'node:crypto';
import { buildAccessModel, buildGrantPlan, type PermissionStep } from '../../lib/access/index.js';
import {
  activate,
  approve,
  checkRenewable,
  createRequest,
  deny,
  entryKeys,
  expire,
  formatSeconds,
  isInForce,
  missing,
  parseCaller,
  refuse,
  revocableEntries,
  revoke,
  type AccessRequest,
  type AuditEvent,
  type Decider,
  type ProductOwners,
  type RequestScope,
} from '../../lib/access/requests/index.js';
import type { CreateRequestBody } from '../../lib/access/requests/api-schema.js';
import type { ProductPage } from '../../lib/catalog/api-schema.js';
import type { MeshConfig } from '../../lib/mesh/config.js';
import { logger } from '../shared/powertools.js';
import type { AccessDeps } from './ports.js';

export const newRequestId = (): string => `ar-${randomBytes(8).toString('hex')}`;

function event(request: AccessRequest, action: AuditEvent['action'], actor: string, at: Date, detail: Record<string, unknown> = {}): AuditEvent {
  return { requestId: request.id, revision: request.revision, at: at.toISOString(), action, actor, state: request.state, detail };
}

export async function createAccessRequest(callerArn: string | undefined, body: CreateRequestBody, deps: AccessDeps, renews?: string): Promise<AccessRequest> {
  const caller = parseCaller(callerArn);
  const [config, page] = await Promise.all([deps.products.config(), deps.products.page(body.product)]);
  const domainTeams = page ? (await deps.products.pages()).filter((p) => p.domain === page.domain).map((p) => p.team?.name) : [];
  const scope: RequestScope = body.columns !== undefined ? { kind: 'columns', columns: body.columns } : { kind: 'classification', classification: body.classification! };
  const now = deps.now();
  const request = createRequest({ product: body.product, scope, rowFilter: body.rowFilter, table: body.table, reason: body.reason, duration: body.duration, renews }, { caller, page, config, domainTeams, id: deps.newId(), now });
  await deps.store.save(request, event(request, renews ? 'renewal-requested' : 'requested', caller.arn, now, { reason: request.reason, scope: request.scope, rowFilter: request.rowFilter, duration: formatSeconds(request.durationSeconds), grant: request.grant, ...(renews ? { renews } : {}) }));
  await notifyOwners(request, page!, `Access request ${request.id} for ${request.product}`, deps, [
    `${caller.arn} asks for ${describeScope(request)} of product ${request.product} for ${formatSeconds(request.durationSeconds)}.`,
    `Reason: ${request.reason}`,
    `Approvals needed: ${missing(request)}. Decide before ${request.decideBy}:`,
    `  tessera access approve ${request.id}    tessera access deny ${request.id}`,
  ]);
  return request;
}

export async function approveAccessRequest(callerArn: string | undefined, id: string, decision: { revision: number; note?: string }, deps: AccessDeps): Promise<AccessRequest> {
  const { request, decider, page } = await loadForDecision(callerArn, id, deps);
  const { request: approved, complete } = approve(request, { ...decider, ...decision });
  await deps.store.save(approved, event(approved, 'approved', decider.caller.arn, decider.now, { as: approved.approvals.at(-1)!.as, complete, ...(decision.note ? { note: decision.note } : {}) }));
  if (!complete) {
    await notifyOwners(approved, page, `Access request ${id} needs another approval`, deps, [`${decider.caller.arn} approved request ${id}; it still needs ${missing(approved)}.`]);
    return approved;
  }
  // The stored approval is what allows the grant; only now is Lake Formation changed.
  await deps.lakeFormation.grant(approved.grant.principal, approved.grant.entries, approved.grant.filters);
  const active = activate(approved, deps.now());
  await deps.scheduler.schedule(active.id, new Date(active.expiresAt!));
  await deps.store.save(active, event(active, 'granted', decider.caller.arn, deps.now(), { principal: active.grant.principal, entries: active.grant.entries, filters: active.grant.filters, expiresAt: active.expiresAt }));
  await notifyOwners(active, page, `Access request ${id} granted`, deps, [`${active.grant.principal} reads ${describeScope(active)} of ${active.product} until ${active.expiresAt}.`]);
  return active;
}

export async function denyAccessRequest(callerArn: string | undefined, id: string, decision: { revision: number; note?: string }, deps: AccessDeps): Promise<AccessRequest> {
  const { request, decider } = await loadForDecision(callerArn, id, deps);
  const denied = deny(request, { ...decider, ...decision });
  await deps.store.save(denied, event(denied, 'denied', decider.caller.arn, decider.now, decision.note ? { note: decision.note } : {}));
  return denied;
}

export async function revokeAccessRequest(callerArn: string | undefined, id: string, note: string | undefined, deps: AccessDeps): Promise<AccessRequest> {
  const { request, decider } = await loadForDecision(callerArn, id, deps);
  const revoked = revoke(request, decider);
  // Stored first: a concurrent decision fails its condition instead of racing the revocation.
  await deps.store.save(revoked, event(revoked, 'revoked', decider.caller.arn, decider.now, note ? { note } : {}));
  await removeGrant(revoked, deps);
  await deps.scheduler.cancel(id);
  return revoked;
}

export async function renewAccessRequest(callerArn: string | undefined, id: string, body: { reason: string; duration: string }, deps: AccessDeps): Promise<AccessRequest> {
  const caller = parseCaller(callerArn);
  const request = await requireRequest(id, deps);
  checkRenewable(request, caller);
  const scope = request.scope.kind === 'columns' ? { columns: [...request.scope.columns] } : { classification: request.scope.classification };
  return createAccessRequest(callerArn, { product: request.product, ...scope, rowFilter: request.rowFilter?.expression, table: request.rowFilter?.table, reason: body.reason, duration: body.duration }, deps, id);
}

/** The schedule's target: revokes a grant whose time is up. Idempotent (a second call finds nothing due). */
export async function expireAccessRequest(id: string, deps: AccessDeps): Promise<AccessRequest | undefined> {
  const request = await deps.store.get(id);
  if (!request) {
    logger.warn('expiry for an unknown request', { requestId: id });
    return undefined;
  }
  const expired = expire(request, deps.now());
  if (!expired) {
    logger.info('expiry: nothing due', { requestId: id, state: request.state, expiresAt: request.expiresAt });
    return request;
  }
  await deps.store.save(expired, event(expired, 'expired', 'schedule', deps.now(), { expiresAt: request.expiresAt }));
  if (request.state === 'active') await removeGrant(expired, deps);
  return expired;
}

export async function getAccessRequest(id: string, deps: AccessDeps): Promise<AccessRequest> {
  return requireRequest(id, deps);
}

export async function auditTrail(id: string, deps: AccessDeps): Promise<{ requestId: string; items: AuditEvent[] }> {
  await requireRequest(id, deps);
  return { requestId: id, items: await deps.store.audit(id) };
}

/** Revokes what the request granted and nobody else needs (see `revocableEntries`). */
async function removeGrant(request: AccessRequest, deps: AccessDeps): Promise<void> {
  const [config, pages, others] = await Promise.all([deps.products.config(), deps.products.pages(), deps.store.list({ state: 'active' })]);
  const now = deps.now();
  const stillNeeded = new Set<string>();
  for (const step of consumerSteps(config, pages)) for (const key of entryKeys(step.principal, step)) stillNeeded.add(key);
  for (const other of others.filter((o) => o.id !== request.id && isInForce(o, now))) for (const entry of other.grant.entries) for (const key of entryKeys(other.grant.principal, entry)) stillNeeded.add(key);
  await deps.lakeFormation.revoke(request.grant.principal, revocableEntries(request, stillNeeded), request.grant.filters);
}

/** The mesh config's consumer grants in the governance account (the grant plan's). */
export function consumerSteps(config: MeshConfig, pages: readonly ProductPage[]): PermissionStep[] {
  const products = pages.map((p) => ({ domain: p.domain, contract: { id: p.id, tables: p.tables.map((t) => ({ name: t.name, physicalName: t.physicalName, columns: t.columns.map((c) => ({ name: c.name, physicalName: c.physicalName, classification: c.classification })) })) } }));
  const plan = buildGrantPlan(buildAccessModel({ config, products }));
  return plan.steps.filter((s): s is PermissionStep => s.kind === 'permission' && s.purpose === 'consumer' && s.account === config.governance.account);
}

async function requireRequest(id: string, deps: AccessDeps): Promise<AccessRequest> {
  return (await deps.store.get(id)) ?? refuse('RequestNotFound', `there is no access request ${id}; tessera access list shows them`);
}

async function loadForDecision(callerArn: string | undefined, id: string, deps: AccessDeps): Promise<{ request: AccessRequest; decider: Decider; page: ProductPage }> {
  const caller = parseCaller(callerArn);
  const request = await requireRequest(id, deps);
  const [config, page] = await Promise.all([deps.products.config(), deps.products.page(request.product)]);
  if (!page) return refuse('UnknownProduct', `product '${request.product}' of request ${id} is no longer in the catalog`);
  return { request, decider: { caller, owners: ownersOf(page, config), admins: config.governance.admins, now: deps.now() }, page };
}

export function ownersOf(page: ProductPage, config: MeshConfig): ProductOwners {
  const domain = config.domains.find((d) => d.name === page.domain);
  return { domainAccount: domain?.account ?? '', governanceAccount: config.governance.account, usernames: page.owners.map((o) => o.username) };
}

function describeScope(request: AccessRequest): string {
  const columns = Object.entries(request.grant.columns).map(([t, cs]) => `${t}(${cs.join(', ')})`).join('; ');
  const filter = request.rowFilter ? ` where ${request.rowFilter.expression}` : '';
  return request.scope.kind === 'classification' ? `columns up to '${request.scope.classification}' [${columns}]${filter}` : `columns ${columns}${filter}`;
}

async function notifyOwners(request: AccessRequest, page: ProductPage, subject: string, deps: AccessDeps, lines: readonly string[]): Promise<void> {
  const owners = page.owners.map((o) => o.username).join(', ');
  try {
    await deps.notifier.notify(subject, [...lines, '', `Owners of ${request.product}: ${owners || '(none listed in the contract)'}.`].join('\n'), { product: request.product, domain: request.domain, state: request.state, requestId: request.id });
  } catch (e) {
    // The request is stored and listed; a lost notification must not undo it.
    logger.error('the owners could not be notified', { error: e as Error, requestId: request.id });
  }
}
