/**
 * The access-request routes of the catalog API (`/access-requests...`, in its OpenAPI document),
 * as a function of a plain request: the caller is the IAM identity API Gateway verified, bodies
 * and parameters are validated with the schemas of `lib/access/requests/api-schema.ts`, and a
 * refusal is a 4xx naming what was wrong.
 */
import type { z } from 'zod';
import { AccessRequestError } from '../../lib/access/requests/index.js';
import { ACCESS_ROUTES, createRequestBody, decisionBody, listParams, renewBody, requestId, revokeBody, type AccessRouteSpec } from '../../lib/access/requests/api-schema.js';
import { ACCESS_PREFIX } from '../../lib/access/requests/paths.js';
import type { AccessDeps } from './ports.js';
import { approveAccessRequest, auditTrail, createAccessRequest, denyAccessRequest, getAccessRequest, renewAccessRequest, revokeAccessRequest } from './service.js';


export interface AccessApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly body?: string | null;
  /** `requestContext.identity.userArn`: the SigV4 signer, verified by API Gateway's IAM authorization. */
  readonly caller?: string | null;
}

export interface AccessApiResult {
  readonly status: number;
  readonly body: unknown;
}

/** Refusals at the HTTP edge (route, body, parameters), next to the flow's own. */
export class AccessHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'UnknownRoute' | 'MethodNotAllowed' | 'InvalidBody' | 'InvalidParameter' | 'InvalidPath',
    message: string,
  ) {
    super(message);
    this.name = 'AccessHttpError';
  }
}

export async function handleAccessRequest(request: AccessApiRequest, deps: AccessDeps): Promise<AccessApiResult> {
  try {
    return await route(request, deps);
  } catch (e) {
    if (e instanceof AccessRequestError) return { status: e.status, body: { error: e.code, message: e.message } };
    if (e instanceof AccessHttpError) return { status: e.status, body: { error: e.code, message: e.message } };
    throw e;
  }
}

async function route(request: AccessApiRequest, deps: AccessDeps): Promise<AccessApiResult> {
  const { spec, id } = match(request.method, request.path);
  const caller = request.caller ?? undefined;
  switch (spec.name) {
    case 'access-create':
      return { status: 201, body: await createAccessRequest(caller, parse(createRequestBody, request.body), deps) };
    case 'access-list': {
      const single = Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, v[v.length - 1]]));
      const parsed = listParams.safeParse(single);
      if (!parsed.success) throw new AccessHttpError(400, 'InvalidParameter', `query: ${issues(parsed.error)}`);
      return { status: 200, body: { items: await deps.store.list(parsed.data) } };
    }
    case 'access-get':
      return { status: 200, body: await getAccessRequest(id!, deps) };
    case 'access-approve':
      return { status: 200, body: await approveAccessRequest(caller, id!, parse(decisionBody, request.body), deps) };
    case 'access-deny':
      return { status: 200, body: await denyAccessRequest(caller, id!, parse(decisionBody, request.body), deps) };
    case 'access-revoke':
      return { status: 200, body: await revokeAccessRequest(caller, id!, parse(revokeBody, request.body || '{}').note, deps) };
    case 'access-renew':
      return { status: 201, body: await renewAccessRequest(caller, id!, parse(renewBody, request.body), deps) };
    case 'access-audit':
      return { status: 200, body: await auditTrail(id!, deps) };
  }
}

function match(method: string, path: string): { spec: AccessRouteSpec; id?: string } {
  const segments = path.replace(/\/$/, '').split('/').slice(2);
  const [id, action, ...rest] = segments;
  const template = id === undefined ? ACCESS_PREFIX : action === undefined ? `${ACCESS_PREFIX}/{requestId}` : `${ACCESS_PREFIX}/{requestId}/${action}`;
  const candidates = rest.length === 0 ? ACCESS_ROUTES.filter((r) => r.path === template) : [];
  if (candidates.length === 0) throw new AccessHttpError(404, 'UnknownRoute', `no route matches ${method} ${path}; the access routes are ${ACCESS_ROUTES.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  const spec = candidates.find((r) => r.method === method);
  if (!spec) throw new AccessHttpError(405, 'MethodNotAllowed', `${method} ${path}: use ${candidates.map((r) => r.method).join(' or ')}`);
  if (id !== undefined) {
    const parsed = requestId.safeParse(id);
    if (!parsed.success) throw new AccessHttpError(400, 'InvalidPath', `path segment {requestId} ${JSON.stringify(id.slice(0, 64))}: ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  }
  return { spec, id };
}

function parse<T>(schema: z.ZodType<T>, body: string | null | undefined): T {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    throw new AccessHttpError(400, 'InvalidBody', 'the request body must be a JSON object');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AccessHttpError(400, 'InvalidBody', `body: ${issues(parsed.error)}`);
  return parsed.data;
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}
