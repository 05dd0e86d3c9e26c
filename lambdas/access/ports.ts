/**
 * What the access-request service depends on, as interfaces: the request store (DynamoDB), the
 * products (the catalog), Lake Formation, the expiry schedule (EventBridge Scheduler) and the
 * owners' notification (SNS). `aws.ts` implements them on the AWS SDK; tests run them on moto.
 */
import type { PermissionResource } from '../../lib/access/plan.js';
import type { AccessRequest, AuditEvent, CellsFilter, GrantEntry, HeldPermission } from '../../lib/access/requests/index.js';
import type { ProductPage } from '../../lib/catalog/api-schema.js';
import type { MeshConfig } from '../../lib/mesh/config.js';

export interface AccessStore {
  get(id: string): Promise<AccessRequest | undefined>;
  /**
   * Writes `request` and its audit event in one transaction: the request only if its stored
   * revision is still `request.revision - 1` (absent for a new one), the event only if no event of
   * that revision exists. Throws `StaleDecision` when another change came first.
   */
  save(request: AccessRequest, event: AuditEvent): Promise<void>;
  list(filter: { product?: string; state?: string }): Promise<AccessRequest[]>;
  audit(id: string): Promise<AuditEvent[]>;
}

export interface ProductSource {
  config(): Promise<MeshConfig>;
  page(product: string): Promise<ProductPage | undefined>;
  /** The latest page of every product in the catalog. */
  pages(): Promise<ProductPage[]>;
}

/** A request's grant entry, or a step of the mesh config's grant plan. */
export type LfGrant = GrantEntry | { readonly resource: PermissionResource; readonly permissions: GrantEntry['permissions'] };

export interface LakeFormationPort {
  /** Creates the filters (if absent), then grants every entry to `principal`. */
  grant(principal: string, entries: readonly LfGrant[], filters: readonly CellsFilter[]): Promise<void>;
  /** Revokes the entries from `principal`, then deletes the filters. */
  revoke(principal: string, entries: readonly LfGrant[], filters: readonly CellsFilter[]): Promise<void>;
  /** Every permission the governance account's catalog holds. */
  list(): Promise<HeldPermission[]>;
}

export interface ExpiryScheduler {
  /** A one-time schedule at `at` that invokes the expiry handler with the request id. */
  schedule(requestId: string, at: Date): Promise<void>;
  /** Deletes the schedule; nothing happens when it ran (and deleted itself) already. */
  cancel(requestId: string): Promise<void>;
}

export interface Notifier {
  notify(subject: string, message: string, attributes: Readonly<Record<string, string>>): Promise<void>;
}

export interface AccessDeps {
  readonly store: AccessStore;
  readonly products: ProductSource;
  readonly lakeFormation: LakeFormationPort;
  readonly scheduler: ExpiryScheduler;
  readonly notifier: Notifier;
  readonly now: () => Date;
  readonly newId: () => string;
}
