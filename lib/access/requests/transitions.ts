/**
 * The life of a request, as pure transitions that either return the next record or refuse:
 *
 *   pending ──approve (enough approvers)──▶ approved ──grant applied──▶ active ──▶ expired | revoked
 *      │ └─deny──▶ denied
 *      └─(not decided by decideBy)──▶ expired
 *
 * Each change increments `revision`. A decision names the revision it was made on, so a decision
 * sent again after the request moved on (a replay, or a second click) is refused, not applied twice.
 */
import { refuse } from './errors.js';
import { isGovernanceAdmin, isOwner, samePrincipal, type Caller, type ProductOwners } from './identity.js';
import type { AccessRequest, Approval } from './model.js';

export interface Decider {
  readonly caller: Caller;
  readonly owners: ProductOwners;
  readonly admins: readonly string[];
  readonly now: Date;
}

export interface Decision extends Decider {
  /** The revision the decider saw. */
  readonly revision: number;
  readonly note?: string;
}

function rolesOf(d: Decider): ('owner' | 'admin')[] {
  return [...(isOwner(d.caller, d.owners) ? (['owner'] as const) : []), ...(isGovernanceAdmin(d.caller, d.admins) ? (['admin'] as const) : [])];
}

/** A pending request whose decision window has passed is expired, whatever its stored state says. */
export function isOverdue(request: AccessRequest, now: Date): boolean {
  return request.state === 'pending' && now.getTime() > Date.parse(request.decideBy);
}

function checkDecidable(request: AccessRequest, d: Decision): void {
  if (isOverdue(request, d.now)) refuse('RequestExpired', `request ${request.id} was not decided by ${request.decideBy} and has expired; the requester can ask again`);
  if (request.state === 'expired') refuse('RequestExpired', `request ${request.id} has expired`);
  if (request.state !== 'pending') refuse('InvalidTransition', `request ${request.id} is ${request.state}; only a pending request can be decided`);
  if (d.revision !== request.revision) {
    refuse('StaleDecision', `the decision was made on revision ${d.revision} of request ${request.id}, which is now at revision ${request.revision}; read it again before deciding`);
  }
  // Deciding a grant to one's own role or user, from any session of it, is deciding for oneself.
  if (d.caller.arn === request.requester || samePrincipal(d.caller.principal, request.grant.principal)) {
    refuse('SelfApproval', `${d.caller.arn} would decide a grant to its own principal ${request.grant.principal} (request ${request.id}); another owner must`);
  }
}

/** Whether the approvals given satisfy the request: an owner, and for the top class also a different admin. */
export function approvalsComplete(request: Pick<AccessRequest, 'needsAdmin'>, approvals: readonly Approval[]): boolean {
  const owners = approvals.filter((a) => a.as.includes('owner'));
  if (owners.length === 0) return false;
  if (!request.needsAdmin) return true;
  const admins = approvals.filter((a) => a.as.includes('admin'));
  // Two people: some owner and some admin who are not the same identity.
  return owners.some((o) => admins.some((a) => a.by !== o.by));
}

export function approve(request: AccessRequest, d: Decision): { request: AccessRequest; complete: boolean } {
  checkDecidable(request, d);
  const as = rolesOf(d);
  if (as.length === 0) {
    refuse('NotAnApprover', `${d.caller.arn} is neither an owner of product '${request.product}' (its contract's team) nor a governance admin, so it cannot approve request ${request.id}`);
  }
  if (!as.includes('owner') && !request.needsAdmin) {
    refuse('NotAnApprover', `request ${request.id} is decided by the owners of product '${request.product}'; ${d.caller.arn} is a governance admin, not an owner`);
  }
  if (request.approvals.some((a) => a.by === d.caller.arn)) refuse('AlreadyApproved', `${d.caller.arn} has approved request ${request.id} already; it needs ${missing(request)}`);
  const approvals = [...request.approvals, { by: d.caller.arn, as, at: d.now.toISOString() }];
  const complete = approvalsComplete(request, approvals);
  const next: AccessRequest = { ...request, approvals, revision: request.revision + 1, ...(complete ? { state: 'approved' as const, decidedBy: d.caller.arn } : {}) };
  return { request: next, complete };
}

/** What approval is still missing, for messages. */
export function missing(request: AccessRequest): string {
  const hasOwner = request.approvals.some((a) => a.as.includes('owner'));
  if (!hasOwner) return request.needsAdmin ? 'an owner and a governance admin' : 'an owner';
  return approvalsComplete(request, request.approvals) ? 'nothing more' : 'a governance admin other than the approving owner';
}

export function deny(request: AccessRequest, d: Decision): AccessRequest {
  checkDecidable(request, d);
  if (rolesOf(d).length === 0) refuse('NotAnApprover', `${d.caller.arn} is neither an owner of product '${request.product}' nor a governance admin, so it cannot deny request ${request.id}`);
  return { ...request, state: 'denied', revision: request.revision + 1, decidedBy: d.caller.arn, endedAt: d.now.toISOString(), ...(d.note ? { note: d.note } : {}) };
}

/** The grant is in place: the clock starts now. */
export function activate(request: AccessRequest, now: Date): AccessRequest {
  if (request.state !== 'approved') refuse('InvalidTransition', `request ${request.id} is ${request.state}; only an approved request becomes active`);
  return { ...request, state: 'active', revision: request.revision + 1, activatedAt: now.toISOString(), expiresAt: new Date(now.getTime() + request.durationSeconds * 1000).toISOString() };
}

/** Owners, admins and the requester (giving access up) may revoke an active or approved request. */
export function revoke(request: AccessRequest, d: Decider): AccessRequest {
  if (request.state !== 'active' && request.state !== 'approved') refuse('InvalidTransition', `request ${request.id} is ${request.state}; only an active request can be revoked`);
  if (rolesOf(d).length === 0 && d.caller.arn !== request.requester) {
    refuse('NotAllowed', `${d.caller.arn} may not revoke request ${request.id}: only the product's owners, the governance admins and the requester may`);
  }
  return { ...request, state: 'revoked', revision: request.revision + 1, endedAt: d.now.toISOString(), endedBy: d.caller.arn };
}

/**
 * Ends a request whose time is up: an active one at `expiresAt` (the schedule's call), a pending
 * one after its decision window. Anything else is left as it is (null): the schedule may fire for
 * a request revoked meanwhile, and firing twice must do nothing the second time.
 */
export function expire(request: AccessRequest, now: Date): AccessRequest | null {
  const due = (request.state === 'active' && request.expiresAt !== undefined && now.getTime() >= Date.parse(request.expiresAt)) || isOverdue(request, now);
  if (!due) return null;
  return { ...request, state: 'expired', revision: request.revision + 1, endedAt: now.toISOString(), endedBy: 'schedule' };
}

/** A renewal asks for the same scope again, by the same requester, while the grant is active. */
export function checkRenewable(request: AccessRequest, caller: Caller): void {
  if (request.state !== 'active') refuse('InvalidTransition', `request ${request.id} is ${request.state}; only an active request can be renewed`);
  if (caller.arn !== request.requester) refuse('NotAllowed', `only ${request.requester}, who asked for request ${request.id}, may renew it`);
}
