/**
 * `tessera catalog search <words>` and `tessera catalog show <product>`: the mesh's catalog, either
 * through a deployed catalog API (requests signed with SigV4 and the user's AWS credentials; the
 * endpoint from `--endpoint` or the governance stack's `CatalogApiUrl` output) or, with `--local`,
 * through the same handlers over a local moto server holding the example mesh.
 */
import { resolve } from 'node:path';
import type { ApiErrorBody, ProductDetail, SearchResponse, VersionList } from '../../lib/catalog/api-schema.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { CatalogUnreachable, signedApiCall, stackEndpoint } from './catalog-api.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';
import { meshFileOf } from './paths.js';

export interface CatalogOptions {
  readonly local?: boolean;
  /** The catalog API's base URL. @default the `CatalogApiUrl` output of `tessera-<mesh>-governance` */
  readonly endpoint?: string;
  /** @default the endpoint's region, else the mesh's */
  readonly region?: string;
  readonly mesh?: string;
  /** Sample data the local catalog measures quality on. @default .tessera/sample-data */
  readonly data?: string;
  readonly json?: boolean;
}

export interface CatalogSearchOptions extends CatalogOptions {
  readonly domain?: string;
  readonly tag?: string;
  readonly classification?: string;
  readonly owner?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export type Get = (path: string) => Promise<{ status: number; body: unknown }>;

export async function catalogSearchCommand(words: readonly string[], options: CatalogSearchOptions, io: CliIo): Promise<ExitCode> {
  const params: [string, string][] = [];
  const q = words.join(' ').trim();
  if (q !== '') params.push(['q', q]);
  for (const key of ['domain', 'tag', 'classification', 'owner', 'limit', 'cursor'] as const) {
    const value = options[key];
    if (value !== undefined) params.push([key, String(value)]);
  }
  return withCatalog(options, io, async (get) => {
    const { status, body } = await get(`/products${queryString(params)}`);
    if (status !== 200) return apiError(status, body, io);
    const result = body as SearchResponse;
    if (options.json) {
      io.out(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    io.out(renderSearch(q, result));
    return 0;
  });
}

export async function catalogShowCommand(product: string, options: CatalogOptions, io: CliIo): Promise<ExitCode> {
  if (product.trim() === '') throw new UsageError('name the product to show, e.g. tessera catalog show order-lines');
  return withCatalog(options, io, async (get) => {
    const id = encodeURIComponent(product);
    const detail = await get(`/products/${id}`);
    if (detail.status !== 200) return apiError(detail.status, detail.body, io);
    const versions = await get(`/products/${id}/versions?limit=10`);
    if (versions.status !== 200) return apiError(versions.status, versions.body, io);
    if (options.json) {
      io.out(`${JSON.stringify({ product: detail.body, versions: versions.body }, null, 2)}\n`);
      return 0;
    }
    io.out(renderProduct(detail.body as ProductDetail, versions.body as VersionList));
    return 0;
  });
}

/**
 * A query string as SigV4 canonicalizes it: RFC 3986 percent-encoding, a space as %20. (URLSearchParams
 * writes a space as +, which API Gateway reads back as a literal + and then rejects the signature.)
 */
export function queryString(params: readonly (readonly [string, string])[]): string {
  const encode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return params.length === 0 ? '' : `?${params.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;
}

export async function withCatalog(options: CatalogOptions, io: CliIo, use: (get: Get) => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await openCatalog(options, io, use);
  } catch (e) {
    if (!(e instanceof CatalogUnreachable)) throw e;
    io.err(`error: ${e.message}\n`);
    return 1;
  }
}

async function openCatalog(options: CatalogOptions, io: CliIo, use: (get: Get) => Promise<ExitCode>): Promise<ExitCode> {
  if (options.local && options.endpoint !== undefined) throw new UsageError('--local and --endpoint exclude each other: the local catalog has no endpoint');
  const mesh = await loadMesh(options, io);
  if (options.local) {
    if (!mesh) return 1;
    // Loaded on use: the handlers create their AWS clients when imported, as Lambda code does.
    const { openLocalCatalog } = await import('../local/catalog.js');
    const run = await openLocalCatalog(mesh, { dataRoot: resolve(io.cwd, options.data ?? '.tessera/sample-data') });
    try {
      return await use((path) => run.catalog.get(path));
    } finally {
      await run.close();
    }
  }
  const endpoint = options.endpoint ?? (mesh ? await stackEndpoint(mesh, options.region) : undefined);
  if (endpoint === undefined) {
    io.err('error: no catalog endpoint: pass --endpoint <url> (the CatalogApiUrl output of the governance stack), or --local\n');
    return 1;
  }
  let base: URL;
  try {
    base = new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  } catch {
    throw new UsageError(`--endpoint '${endpoint}' is not a URL; it looks like https://abc123.execute-api.eu-west-1.amazonaws.com/v1/`);
  }
  const region = options.region ?? /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(base.hostname)?.[1] ?? mesh?.config.region;
  if (region === undefined) throw new UsageError('--region is needed: the endpoint does not say its region and there is no mesh config');
  return use(signedGet(base, region));
}

/** The mesh config, when there is one: remote use needs it only to find the stack. */
export async function loadMesh(options: CatalogOptions, io: CliIo): Promise<Mesh | undefined> {
  if (!options.local && options.endpoint !== undefined && options.mesh === undefined) return undefined;
  const meshFile = await meshFileOf(options.mesh ?? 'mesh', io.cwd);
  const loaded = await loadMeshFile(meshFile);
  if (!loaded.mesh) io.err(`${loaded.diagnostics.map(formatDiagnostic).join('\n')}\n${meshFile} is invalid\n`);
  return loaded.mesh;
}

/** GET requests to the deployed API, signed with SigV4. */
function signedGet(base: URL, region: string): Get {
  const call = signedApiCall(base, region);
  return (path) => call('GET', path);
}

export function apiError(status: number, body: unknown, io: CliIo): ExitCode {
  const error = body as Partial<ApiErrorBody> & { Message?: string; message?: string };
  // API Gateway's own refusals (403 without a valid signature) carry `message` or `Message` only.
  const message = error.message ?? error.Message ?? JSON.stringify(body);
  io.err(`error: the catalog answered ${status}${error.error ? ` ${error.error}` : ''}: ${message}\n`);
  return 1;
}

// --- rendering -------------------------------------------------------------------------------------

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)];
}

const trustText = (t: { label: string; score: number | null }): string => (t.score === null ? t.label : `${t.label} (${t.score})`);
const clip = (text: string, n: number): string => (text.length <= n ? text : `${text.slice(0, n - 1)}…`);

export function renderSearch(q: string, result: SearchResponse): string {
  if (result.items.length === 0) return `no products match${q ? ` '${q}'` : ''}\n`;
  const rows = [['product', 'domain', 'version', 'trust', 'description'], ...result.items.map((p) => [p.id, p.domain, p.version, trustText(p.trust), clip(p.description, 60)])];
  const out = table(rows);
  if (q) {
    out.push('');
    for (const p of result.items) out.push(`${p.id}: matched ${p.matched.slice(0, 6).join(', ')}`);
  }
  out.push('', `${result.items.length} product${result.items.length === 1 ? '' : 's'}${result.next ? `; more with --cursor ${result.next}` : ''}`);
  return `${out.join('\n')}\n`;
}

export function renderProduct(p: ProductDetail, versions: VersionList): string {
  const out: string[] = [`${p.name} (${p.id}) ${p.version} — domain ${p.domain}, ${p.status}`];
  if (p.description.purpose) out.push('', p.description.purpose);
  if (p.description.usage) out.push(`Usage: ${p.description.usage}`);
  if (p.description.limitations) out.push(`Limitations: ${p.description.limitations}`);
  out.push('', `Owners: ${[p.team?.name, ...p.owners.map((o) => (o.name ? `${o.name} (${o.username})` : o.username))].filter(Boolean).join(', ')}`);
  if (p.support.length > 0) out.push(`Support: ${p.support.map((s) => `${s.channel}${s.tool ? ` (${s.tool})` : ''}`).join(', ')}`);
  out.push(`Trust: ${trustText(p.trust)} — ${p.trust.explanation}`);
  out.push(`Freshness: ${p.freshness.status}${p.freshness.latency ? ` (latency SLA ${p.freshness.latency})` : ''} — ${p.freshness.detail}`);
  if (p.quality) out.push(`Latest quality run: ${p.quality.at}: ${p.quality.summary.passed} passed, ${p.quality.summary.failed} failed, ${p.quality.summary.errors} not measured`);
  for (const f of p.quality?.failing ?? []) out.push(`  failing: ${f.name} (${f.severity}; expected ${f.expected ?? '?'}, actual ${f.actual ?? '?'})`);
  if (p.slas.length > 0) out.push(`SLAs: ${p.slas.map((s) => `${s.property} ${String(s.value)}${s.unit ? ` ${s.unit}` : ''}`).join(', ')}`);
  for (const t of p.tables) {
    out.push('', `Table ${t.athenaTable}${t.classification ? ` (${t.classification})` : ''}${t.description ? ` — ${t.description}` : ''}`);
    out.push(
      ...table([
        ['column', 'type', 'classification', 'key', 'description'],
        ...t.columns.map((c) => [c.physicalName, c.type ?? c.logicalType ?? '', c.classification ?? '', [c.primaryKeyPosition ? `pk${c.primaryKeyPosition}` : '', c.partitionKeyPosition ? 'partition' : ''].filter(Boolean).join(' '), clip(c.description ?? '', 50)]),
      ]).map((l) => `  ${l}`),
    );
    out.push(`  Try: ${t.sampleQuery}`);
  }
  out.push('', 'Access:');
  if (p.access.available) {
    const readers = p.access.consumers.filter((c) => c.tables.some((t) => t.readableColumns.length > 0));
    for (const c of readers) out.push(`  ${c.name}: ${c.tables.filter((t) => t.readableColumns.length > 0).map((t) => `${t.table} ${t.readableColumns.length === t.totalColumns ? 'all' : `${t.readableColumns.length} of ${t.totalColumns}`} columns`).join(', ')}`);
    if (readers.length === 0) out.push('  no consumer of the mesh can read it yet');
    out.push(`  ${p.access.howTo}`);
  } else {
    out.push(`  ${p.access.reason}`);
  }
  out.push('', 'Versions:');
  for (const v of versions.items) out.push(`  ${v.version}  published ${v.publishedAt}${v.previousVersion ? `  vs ${v.previousVersion}: ${v.changes} change(s)${v.breaking ? ', BREAKING' : ''}` : '  (first)'}`);
  for (const r of p.rejections) out.push(`  refused: ${r.version ?? '?'} at ${r.at} (${r.kind}): ${r.message}`);
  return `${out.join('\n')}\n`;
}
