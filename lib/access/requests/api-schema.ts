/**
 * The access-request routes of the catalog API as zod schemas: the request bodies the handler
 * validates, the records it returns, and the route list the OpenAPI document is generated from
 * (`lib/catalog/openapi.ts`). The requester and approver are never fields here: they are the
 * caller's IAM identity.
 */
import { z } from 'zod';
import { productId } from '../../catalog/api-schema.js';
import { ACCESS_REQUEST_ERRORS } from './errors.js';
import { REQUEST_STATES } from './model.js';

export const REQUEST_ID = /^ar-[0-9a-f]{16}$/;
export const requestId = z.string().regex(REQUEST_ID, 'an access request id is ar- and 16 hexadecimal digits').meta({ description: 'An access request id.', example: 'ar-3f2a9c0d1b4e5f60' });

const duration = z.string().regex(/^\d{1,5}[hdw]$/, 'a duration is a number of hours, days or weeks, such as 12h, 30d or 2w').meta({ example: '30d' });
const reason = z.string().min(10, 'say why access is needed (at least 10 characters)').max(1000);

export const createRequestBody = z
  .strictObject({
    product: productId,
    classification: z.string().min(1).optional().meta({ description: 'Every column of the product classified at most this.' }),
    columns: z.array(z.string().min(1)).min(1).max(500).optional().meta({ description: 'Named columns, `column` or `table.column`.' }),
    rowFilter: z.string().min(1).max(2048).optional().meta({ description: 'Rows to see: comparisons of columns with literals, AND, OR, NOT, IN, IS NULL.' }),
    table: z.string().min(1).optional().meta({ description: 'The table the row filter applies to, when the product has several.' }),
    reason,
    duration,
  })
  .refine((b) => (b.classification === undefined) !== (b.columns === undefined), { message: 'give either classification or columns, not both and not neither', path: ['classification'] })
  .meta({ description: 'A request for access to a product.' });
export type CreateRequestBody = z.infer<typeof createRequestBody>;

export const decisionBody = z
  .strictObject({
    revision: z.number().int().min(1).meta({ description: 'The revision of the request the decision was made on (from GET); a stale one is refused.' }),
    note: z.string().max(1000).optional(),
  })
  .meta({ description: 'An approval or a denial.' });

export const revokeBody = z.strictObject({ note: z.string().max(1000).optional() }).meta({ description: 'Ends an active grant now.' });

export const renewBody = z.strictObject({ reason, duration }).meta({ description: 'Asks for the same access again, for a new duration; decided like a new request.' });

const grantEntrySchema = z.object({ resource: z.record(z.string(), z.unknown()), permissions: z.array(z.string()) });

export const accessRequestSchema = z
  .object({
    id: requestId,
    product: z.string(),
    domain: z.string(),
    requester: z.string().meta({ description: 'The verified IAM identity that asked.' }),
    reason: z.string(),
    scope: z.union([z.object({ kind: z.literal('classification'), classification: z.string() }), z.object({ kind: z.literal('columns'), columns: z.array(z.string()) })]),
    rowFilter: z.object({ table: z.string(), expression: z.string() }).optional(),
    durationSeconds: z.number().int(),
    grant: z.object({
      principal: z.string(),
      method: z.enum(['lf-tag-expression', 'named-columns', 'data-cells-filter']),
      classes: z.array(z.string()),
      columns: z.record(z.string(), z.array(z.string())),
      entries: z.array(grantEntrySchema),
      filters: z.array(z.object({ catalog: z.string(), database: z.string(), table: z.string(), name: z.string(), columns: z.array(z.string()), rowFilter: z.string() })),
    }),
    needsAdmin: z.boolean().meta({ description: 'The most sensitive class is asked for: an owner and a different governance admin must approve.' }),
    approvals: z.array(z.object({ by: z.string(), as: z.array(z.enum(['owner', 'admin'])), at: z.string() })),
    state: z.enum(REQUEST_STATES),
    revision: z.number().int(),
    createdAt: z.string(),
    decideBy: z.string(),
    decidedBy: z.string().optional(),
    activatedAt: z.string().optional(),
    expiresAt: z.string().optional(),
    endedAt: z.string().optional(),
    endedBy: z.string().optional(),
    note: z.string().optional(),
    renews: z.string().optional(),
  })
  .meta({ description: 'An access request, the grant it maps to and where it stands.' });

export const AUDIT_ACTIONS = ['requested', 'approved', 'granted', 'denied', 'revoked', 'expired', 'renewal-requested'] as const;
export const auditEventSchema = z
  .object({
    requestId,
    /** The request's revision after the change: one event per revision, written once. */
    revision: z.number().int(),
    at: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    actor: z.string(),
    state: z.enum(REQUEST_STATES),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ description: 'One entry of the append-only audit trail.' });
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const accessRequestListSchema = z.object({ items: z.array(accessRequestSchema) }).meta({ description: 'Access requests, newest first.' });
export const auditTrailSchema = z.object({ requestId, items: z.array(auditEventSchema) }).meta({ description: "A request's audit trail, oldest first." });

export const listParams = z.strictObject({
  product: productId.optional(),
  state: z.enum(REQUEST_STATES).optional(),
});
export const noAccessParams = z.strictObject({});

export type AccessRouteName = 'access-create' | 'access-list' | 'access-get' | 'access-approve' | 'access-deny' | 'access-revoke' | 'access-renew' | 'access-audit';

export interface AccessRouteSpec {
  readonly name: AccessRouteName;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly pathParams: Readonly<Record<string, z.ZodType>>;
  readonly query: z.ZodObject;
  /** The request body's component name. */
  readonly body?: string;
  readonly response: string;
  readonly notFound: boolean;
}

const byId = { requestId };
export const ACCESS_ROUTES: readonly AccessRouteSpec[] = [
  { name: 'access-create', method: 'POST', path: '/access-requests', summary: 'Ask for access', description: 'The caller (its IAM identity) asks for a product, its columns up to a classification or named columns, optionally a row filter. The owners are notified.', pathParams: {}, query: noAccessParams, body: 'CreateAccessRequest', response: 'AccessRequest', notFound: true },
  { name: 'access-list', method: 'GET', path: '/access-requests', summary: 'Access requests', description: 'Requests, newest first, optionally of one product or in one state.', pathParams: {}, query: listParams, response: 'AccessRequestList', notFound: false },
  { name: 'access-get', method: 'GET', path: '/access-requests/{requestId}', summary: 'One access request', description: 'The request, the grant it maps to, its approvals and state.', pathParams: byId, query: noAccessParams, response: 'AccessRequest', notFound: true },
  { name: 'access-approve', method: 'POST', path: '/access-requests/{requestId}/approve', summary: 'Approve', description: "An owner of the product (its contract's team) approves; the most sensitive class needs a governance admin as well. The last approval applies the grant and schedules its revocation.", pathParams: byId, query: noAccessParams, body: 'AccessDecision', response: 'AccessRequest', notFound: true },
  { name: 'access-deny', method: 'POST', path: '/access-requests/{requestId}/deny', summary: 'Deny', description: 'An owner or a governance admin denies a pending request.', pathParams: byId, query: noAccessParams, body: 'AccessDecision', response: 'AccessRequest', notFound: true },
  { name: 'access-revoke', method: 'POST', path: '/access-requests/{requestId}/revoke', summary: 'Revoke', description: 'Owners, governance admins or the requester end an active grant now.', pathParams: byId, query: noAccessParams, body: 'AccessRevocation', response: 'AccessRequest', notFound: true },
  { name: 'access-renew', method: 'POST', path: '/access-requests/{requestId}/renew', summary: 'Renew', description: 'The requester asks for the same access for a new duration: a new request, decided like any other.', pathParams: byId, query: noAccessParams, body: 'AccessRenewal', response: 'AccessRequest', notFound: true },
  { name: 'access-audit', method: 'GET', path: '/access-requests/{requestId}/audit', summary: 'Audit trail', description: 'Who asked, why, who decided, what was granted and when it ended: append-only.', pathParams: byId, query: noAccessParams, response: 'AuditTrail', notFound: true },
];

export const ACCESS_HTTP_ERRORS = ['UnknownRoute', 'MethodNotAllowed', 'InvalidBody', 'InvalidParameter', 'InvalidPath', 'InternalError'] as const;
export const accessErrorSchema = z
  .object({ error: z.enum([...ACCESS_HTTP_ERRORS, ...(Object.keys(ACCESS_REQUEST_ERRORS) as (keyof typeof ACCESS_REQUEST_ERRORS)[])]), message: z.string() })
  .meta({ description: 'Why an access-request call was refused (4xx), or that it failed (5xx, nothing internal). Nothing is granted.' });

export const ACCESS_COMPONENTS: Readonly<Record<string, z.ZodType>> = {
  CreateAccessRequest: createRequestBody,
  AccessDecision: decisionBody,
  AccessRevocation: revokeBody,
  AccessRenewal: renewBody,
  AccessRequest: accessRequestSchema,
  AccessRequestList: accessRequestListSchema,
  AuditEvent: auditEventSchema,
  AuditTrail: auditTrailSchema,
  AccessError: accessErrorSchema,
};
