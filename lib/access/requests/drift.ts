/**
 * Drift: what Lake Formation holds against what it should hold, the mesh config's consumer grants
 * (the grant plan) plus the grants of approved, unexpired requests. Compared permission by
 * permission, so a grant that lost one permission shows as that one permission missing.
 */
import type { PermissionStep } from '../plan.js';
import { grantKey, lfResource } from './lake-formation.js';
import type { AccessRequest } from './model.js';

/** One row of ListPermissions, as the API returns it. */
export interface HeldPermission {
  readonly principal: string;
  readonly resource: unknown;
  readonly permissions: readonly string[];
}

export interface DriftRow {
  readonly principal: string;
  readonly resource: unknown;
  readonly permission: string;
  /** Why it is expected: a plan step id or `request <id>`. */
  readonly source?: string;
}

export interface DriftReport {
  /** Held by Lake Formation, asked for by nothing. */
  readonly extra: readonly DriftRow[];
  /** Asked for, not held. */
  readonly missing: readonly DriftRow[];
  readonly expected: number;
  readonly held: number;
}

export function expectedGrants(consumerSteps: readonly PermissionStep[], requests: readonly AccessRequest[], now: Date): Map<string, DriftRow> {
  const expected = new Map<string, DriftRow>();
  for (const step of consumerSteps) {
    const resource = lfResource(step.resource);
    for (const permission of step.permissions) expected.set(grantKey(step.principal, resource, permission), { principal: step.principal, resource, permission, source: step.id });
  }
  for (const request of requests.filter((r) => isInForce(r, now))) {
    for (const entry of request.grant.entries) {
      const resource = lfResource(entry.resource);
      for (const permission of entry.permissions) {
        const key = grantKey(request.grant.principal, resource, permission);
        if (!expected.has(key)) expected.set(key, { principal: request.grant.principal, resource, permission, source: `request ${request.id}` });
      }
    }
  }
  return expected;
}

/** Active and not past its expiry: the schedule may not have fired yet, but the grant is due to go. */
export function isInForce(request: AccessRequest, now: Date): boolean {
  return request.state === 'active' && request.expiresAt !== undefined && Date.parse(request.expiresAt) > now.getTime();
}

export function compareGrants(held: readonly HeldPermission[], expected: ReadonlyMap<string, DriftRow>, options: { ignorePrincipals?: readonly string[] } = {}): DriftReport {
  const ignore = new Set(options.ignorePrincipals ?? []);
  const heldKeys = new Map<string, DriftRow>();
  for (const h of held) {
    if (ignore.has(h.principal)) continue;
    for (const permission of h.permissions) heldKeys.set(grantKey(h.principal, h.resource, permission), { principal: h.principal, resource: h.resource, permission });
  }
  return {
    extra: [...heldKeys].filter(([k]) => !expected.has(k)).map(([, row]) => row),
    missing: [...expected].filter(([k]) => !heldKeys.has(k)).map(([, row]) => row),
    expected: expected.size,
    held: heldKeys.size,
  };
}
