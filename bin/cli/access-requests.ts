/**
 * `tessera access request|approve|deny|revoke|renew|list|audit|drift`: access requests through the
 * catalog API, signed with SigV4 and the user's AWS credentials (the API takes the requester and
 * approver from that signature), or, with `--local`, through the same handlers on a local moto
 * server whose state lasts between runs (`.tessera/access-requests.moto.jsonl`), where `--as` plays
 * the identity API Gateway would verify.
 */
import { resolve } from 'node:path';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import type { z } from 'zod';
import { analyzeAccess, type PermissionStep } from '../../lib/access/index.js';
import { compareGrants, expectedGrants, formatSeconds, missing, type AccessRequest, type AuditEvent, type DriftRow } from '../../lib/access/requests/index.js';
import { createRequestBody, renewBody } from '../../lib/access/requests/api-schema.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { lakeFormationPort } from '../../lambdas/access/aws.js';
import type { LakeFormationPort } from '../../lambdas/access/ports.js';
import { CatalogUnreachable, signedApiCall, stackEndpoint, type ApiCall } from './catalog-api.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';
import { meshFileOf } from './paths.js';

export interface AccessApiOptions {
  readonly local?: boolean;
  readonly endpoint?: string;
  readonly region?: string;
  readonly mesh?: string;
  /** --local only: the caller's IAM ARN, as API Gateway would report it. */
  readonly as?: string;
  readonly json?: boolean;
}

export interface RequestCommandOptions extends AccessApiOptions {
  readonly reason?: string;
  readonly duration?: string;
  readonly classification?: string;
  readonly columns?: string;
  readonly rowFilter?: string;
  readonly table?: string;
}

interface Session {
  readonly mesh: Mesh;
  readonly call: ApiCall;
  readonly lakeFormation: LakeFormationPort;
}

/** The local state between `--local` runs, under the working folder. */
export const LOCAL_STATE = '.tessera/access-requests.moto.jsonl';

export async function accessRequestCommand(product: string, options: RequestCommandOptions, io: CliIo): Promise<ExitCode> {
  if ((options.classification === undefined) === (options.columns === undefined)) throw new UsageError('give --classification <class> (every column up to it) or --columns a,b (named columns), one of the two');
  const body = usage(createRequestBody, {
    product,
    ...(options.columns !== undefined ? { columns: options.columns.split(',').map((c) => c.trim()).filter(Boolean) } : { classification: options.classification }),
    ...(options.rowFilter !== undefined ? { rowFilter: options.rowFilter } : {}),
    ...(options.table !== undefined ? { table: options.table } : {}),
    reason: options.reason,
    duration: options.duration,
  });
  return withSession(options, io, async ({ call }) => show(await call('POST', '/access-requests', body), options, io));
}

export async function accessDecisionCommand(verb: 'approve' | 'deny', id: string, options: AccessApiOptions & { note?: string }, io: CliIo): Promise<ExitCode> {
  return withSession(options, io, async ({ call }) => {
    // The decision names the revision it was made on: a request that moved on meanwhile refuses it.
    const current = await call('GET', `/access-requests/${encodeURIComponent(id)}`);
    if (current.status !== 200) return refused(current, io);
    const revision = (current.body as AccessRequest).revision;
    return show(await call('POST', `/access-requests/${encodeURIComponent(id)}/${verb}`, { revision, ...(options.note ? { note: options.note } : {}) }), options, io);
  });
}

export async function accessRevokeCommand(id: string, options: AccessApiOptions & { note?: string }, io: CliIo): Promise<ExitCode> {
  return withSession(options, io, async ({ call }) => show(await call('POST', `/access-requests/${encodeURIComponent(id)}/revoke`, options.note ? { note: options.note } : {}), options, io));
}

export async function accessRenewCommand(id: string, options: AccessApiOptions & { reason?: string; duration?: string }, io: CliIo): Promise<ExitCode> {
  const body = usage(renewBody, { reason: options.reason, duration: options.duration });
  return withSession(options, io, async ({ call }) => show(await call('POST', `/access-requests/${encodeURIComponent(id)}/renew`, body), options, io));
}

export async function accessListCommand(options: AccessApiOptions & { product?: string; state?: string }, io: CliIo): Promise<ExitCode> {
  const query = [options.product ? `product=${encodeURIComponent(options.product)}` : '', options.state ? `state=${encodeURIComponent(options.state)}` : ''].filter(Boolean).join('&');
  return withSession(options, io, async ({ call }) => {
    const res = await call('GET', `/access-requests${query ? `?${query}` : ''}`);
    if (res.status !== 200) return refused(res, io);
    const items = (res.body as { items: AccessRequest[] }).items;
    if (options.json) io.out(`${JSON.stringify(res.body, null, 2)}\n`);
    else io.out(renderList(items));
    return 0;
  });
}

export async function accessAuditCommand(id: string, options: AccessApiOptions, io: CliIo): Promise<ExitCode> {
  return withSession(options, io, async ({ call }) => {
    const res = await call('GET', `/access-requests/${encodeURIComponent(id)}/audit`);
    if (res.status !== 200) return refused(res, io);
    const items = (res.body as { items: AuditEvent[] }).items;
    if (options.json) io.out(`${JSON.stringify(res.body, null, 2)}\n`);
    else io.out(`${items.map((e) => `${e.at}  r${e.revision}  ${e.action.padEnd(17)} ${e.state.padEnd(8)} ${e.actor}${typeof e.detail.note === 'string' ? `  (${e.detail.note})` : ''}`).join('\n')}\n`);
    return 0;
  });
}

/** Lake Formation's grants against the mesh config's plus the requests in force. Exit 1 on drift. */
export async function accessDriftCommand(options: AccessApiOptions, io: CliIo): Promise<ExitCode> {
  return withSession(options, io, async ({ mesh, call, lakeFormation }) => {
    const res = await call('GET', '/access-requests?state=active');
    if (res.status !== 200) return refused(res, io);
    const gov = mesh.config.governance.account;
    const steps = analyzeAccess(mesh).plan.steps.filter((s): s is PermissionStep => s.kind === 'permission' && s.purpose === 'consumer' && s.account === gov);
    const report = compareGrants(await lakeFormation.list(), expectedGrants(steps, (res.body as { items: AccessRequest[] }).items, new Date()), { ignorePrincipals: mesh.config.governance.admins });
    if (options.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const row = (r: DriftRow) => `  ${r.principal}  ${r.permission}  ${JSON.stringify(r.resource)}${r.source ? `  (${r.source})` : ''}`;
      io.out(`${report.held} permissions held, ${report.expected} expected\n`);
      io.out(report.extra.length === 0 ? 'no extra grants\n' : `extra (held, asked for by nothing):\n${report.extra.map(row).join('\n')}\n`);
      io.out(report.missing.length === 0 ? 'no missing grants\n' : `missing (asked for, not held):\n${report.missing.map(row).join('\n')}\n`);
    }
    return report.extra.length + report.missing.length === 0 ? 0 : 1;
  });
}


function usage<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(JSON.parse(JSON.stringify(value)));
  if (parsed.success) return parsed.data;
  const flag = (path: string) => `--${path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  throw new UsageError(parsed.error.issues.map((i) => `${i.path.length > 0 ? flag(String(i.path[0])) : 'request'}: ${i.message}`).join('; '));
}

function show(res: { status: number; body: unknown }, options: AccessApiOptions, io: CliIo): ExitCode {
  if (res.status >= 300) return refused(res, io);
  if (options.json) io.out(`${JSON.stringify(res.body, null, 2)}\n`);
  else io.out(renderRequest(res.body as AccessRequest));
  return 0;
}

function refused(res: { status: number; body: unknown }, io: CliIo): ExitCode {
  const body = res.body as { error?: string; message?: string; Message?: string };
  io.err(`error: ${res.status}${body.error ? ` ${body.error}` : ''}: ${body.message ?? body.Message ?? JSON.stringify(body)}\n`);
  return 1;
}

export function renderRequest(r: AccessRequest): string {
  const lines = [
    `${r.id}  ${r.state}  ${r.product} (revision ${r.revision})`,
    `  asked by ${r.requester} on ${r.createdAt} for ${formatSeconds(r.durationSeconds)}: ${r.reason}`,
    `  grants ${r.grant.principal} by ${r.grant.method}: ${Object.entries(r.grant.columns).map(([t, cs]) => `${t}(${cs.join(', ')})`).join('; ')}${r.rowFilter ? ` where ${r.rowFilter.expression}` : ''}`,
    `  classes ${r.grant.classes.join(', ')}${r.needsAdmin ? ' (the most sensitive: an owner and a governance admin approve)' : ''}`,
    ...r.approvals.map((a) => `  approved by ${a.by} as ${a.as.join(' and ')} at ${a.at}`),
  ];
  if (r.state === 'pending') lines.push(`  needs ${missing(r)}; decide by ${r.decideBy}`);
  if (r.expiresAt) lines.push(`  ${r.state === 'active' ? 'expires' : 'was to expire'} ${r.expiresAt}`);
  if (r.endedAt) lines.push(`  ended ${r.endedAt}${r.endedBy ? ` by ${r.endedBy}` : ''}`);
  return `${lines.join('\n')}\n`;
}

function renderList(items: readonly AccessRequest[]): string {
  if (items.length === 0) return 'no access requests\n';
  return `${items.map((r) => `${r.id}  ${r.state.padEnd(8)} ${r.product.padEnd(20)} ${(r.scope.kind === 'classification' ? `up to ${r.scope.classification}` : r.scope.columns.join(',')).padEnd(24)} ${r.requester}${r.expiresAt && r.state === 'active' ? `  until ${r.expiresAt}` : ''}`).join('\n')}\n`;
}

async function withSession(options: AccessApiOptions, io: CliIo, use: (session: Session) => Promise<ExitCode>): Promise<ExitCode> {
  if (options.local && options.endpoint !== undefined) throw new UsageError('--local and --endpoint exclude each other: the local catalog has no endpoint');
  if (options.local && options.as === undefined) throw new UsageError('with --local, say who is calling: --as <IAM user or assumed-role ARN> (on AWS, the request signature says it)');
  if (!options.local && options.as !== undefined) throw new UsageError('--as is for --local only: on AWS the API takes your identity from your credentials');
  const meshFile = await meshFileOf(options.mesh ?? 'mesh', io.cwd);
  const loaded = await loadMeshFile(meshFile);
  if (!loaded.mesh) {
    io.err(`${loaded.diagnostics.map(formatDiagnostic).join('\n')}\n${meshFile} is invalid\n`);
    return 1;
  }
  const mesh = loaded.mesh;
  if (options.local) {
    const { openLocalAccess } = await import('../local/access.js');
    const run = await openLocalAccess(mesh, resolve(io.cwd, LOCAL_STATE));
    try {
      return await use({ mesh, call: (method, path, body) => run.access.call(method, path, { as: options.as, body }), lakeFormation: run.access.deps.lakeFormation });
    } finally {
      await run.close();
    }
  }
  const region = options.region ?? mesh.config.region;
  try {
    const endpoint = options.endpoint ?? (await stackEndpoint(mesh, region));
    if (endpoint === undefined) {
      io.err('error: no catalog endpoint: pass --endpoint <url> (the CatalogApiUrl output of the governance stack), or --local\n');
      return 1;
    }
    return await use({ mesh, call: signedApiCall(new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`), region), lakeFormation: lakeFormationPort(new LakeFormationClient({ region })) });
  } catch (e) {
    if (!(e instanceof CatalogUnreachable)) throw e;
    io.err(`error: ${e.message}\n`);
    return 1;
  }
}

