/**
 * The catalog API (API Gateway REST, IAM auth, one `{proxy+}` integration): search, product pages,
 * versions with their breaking-change reports, quality history, and the OpenAPI document. Every
 * parameter is validated at the edge with the schemas of `lib/catalog/api-schema.ts`; a bad request
 * gets a 4xx saying what was wrong and where, anything unexpected a 500 that discloses nothing.
 */
import middy from '@middy/core';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import {
  DEFAULT_LIMIT,
  productId,
  semverString,
  type Access,
  type ProductDetail,
  type QualityHistory,
  type SearchResponse,
  type VersionDetail,
  type VersionList,
} from '../../lib/catalog/api-schema.js';
import { CursorError, decodeCursor, defaultCursorKey, encodeCursor, type CursorPosition } from '../../lib/catalog/cursor.js';
import { buildOpenApiDocument, CATALOG_ROUTES, type RouteName, type RouteSpec } from '../../lib/catalog/openapi.js';
import { accessFor, freshnessOf } from '../../lib/catalog/records.js';
import { slaMet } from '../../lib/catalog/trust.js';
import type { MeshConfig } from '../../lib/mesh/config.js';
import { requireEnv } from '../shared/input.js';
import { logger, observed, tracer } from '../shared/powertools.js';
import { DynamoCatalogStore } from './dynamo-store.js';
import { HttpError, httpErrors, jsonResponse } from './http.js';
import { productLineage } from './lineage-route.js';
import { s3SnapshotStore, SearchCache } from './search-cache.js';
import { versionSummaryOf, type CatalogStore, type StoredQualityRun } from './store.js';


export interface ApiDeps {
  readonly store: CatalogStore;
  readonly search: SearchCache;
  /** Signs pagination cursors (integrity, not secrecy). */
  readonly cursorKey: string;
}

/** A request as the business code sees it: no API Gateway types. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  /** Every value of every query parameter, as sent. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly body?: string | null;
}

export interface ApiResult {
  readonly status: number;
  readonly body: unknown;
}

/** Rejections shown on a product page, newest first. */
const REJECTIONS_SHOWN = 20;
const ROUTE_LIST = CATALOG_ROUTES.map((r) => `GET ${r.path}`).join(', ');

export async function handleRequest(request: ApiRequest, deps: ApiDeps): Promise<ApiResult> {
  const { route, params } = match(request.path);
  if (request.method !== 'GET') {
    throw new HttpError(405, 'MethodNotAllowed', `${request.method} ${request.path}: the catalog is read-only; use GET`, { allow: 'GET' });
  }
  if (request.body !== undefined && request.body !== null && request.body !== '') throw new HttpError(400, 'BodyNotAllowed', `GET ${route.path} takes no request body`);
  const id = params.id === undefined ? undefined : parsePath(productId, 'id', params.id);
  const query = parseQuery(route, request.query);
  const binding = [route.name, id ?? '', ...Object.entries(query).filter(([k]) => k !== 'cursor' && k !== 'limit').sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${String(v)}`)].join('\n');
  const cursor = typeof query.cursor === 'string' ? readCursor(query.cursor, binding, deps.cursorKey) : undefined;
  const limit = typeof query.limit === 'number' ? query.limit : DEFAULT_LIMIT;
  const next = (position: CursorPosition | undefined): string | null => (position ? encodeCursor(position, binding, deps.cursorKey) : null);

  switch (route.name) {
    case 'openapi':
      return { status: 200, body: openApiDocument() };
    case 'search':
      return { status: 200, body: await search(query as Record<string, string | undefined>, limit, cursor?.o ?? 0, next, deps) };
    case 'product':
      return { status: 200, body: await productDetail(id!, deps) };
    case 'versions': {
      await requireProduct(id!, deps.store);
      const page = await deps.store.versions(id!, { limit, after: cursor?.k });
      return { status: 200, body: { product: id!, items: [...page.items], next: next(page.last === undefined ? undefined : { k: page.last }) } satisfies VersionList };
    }
    case 'version': {
      const version = parsePath(semverString, 'version', params.version!);
      const record = await deps.store.getVersion(id!, version);
      if (!record) {
        await requireProduct(id!, deps.store);
        throw new HttpError(404, 'VersionNotFound', `product '${id!}' has no version ${version}; GET /products/${id!}/versions lists the published ones`);
      }
      return { status: 200, body: { ...versionSummaryOf(record), location: record.location, diff: record.diff, contract: record.page } satisfies VersionDetail };
    }
    case 'quality': {
      const summary = await requireProduct(id!, deps.store);
      const page = await deps.store.qualityRuns(id!, { limit, after: cursor?.k });
      return {
        status: 200,
        body: { product: id!, trust: summary.summary.trust, items: page.items.map((r) => runView(r, summary.slaCheckIds)), next: next(page.last === undefined ? undefined : { k: page.last }) } satisfies QualityHistory,
      };
    }
    case 'lineage': {
      await requireProduct(id!, deps.store);
      return { status: 200, body: await productLineage(id!, query, deps.store, (await deps.search.get()).summaries) };
    }
  }
}

function match(path: string): { route: RouteSpec; params: Record<string, string> } {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.split('/').slice(1);
  const byName = (name: RouteName): RouteSpec => CATALOG_ROUTES.find((r) => r.name === name)!;
  const [first, id, sub, version, ...rest] = segments;
  if (segments.every((s) => s !== '') && rest.length === 0) {
    if (first === 'openapi.json' && id === undefined) return { route: byName('openapi'), params: {} };
    if (first === 'products') {
      if (id === undefined) return { route: byName('search'), params: {} };
      if (sub === undefined) return { route: byName('product'), params: { id } };
      if (sub === 'versions' && version === undefined) return { route: byName('versions'), params: { id } };
      if (sub === 'versions') return { route: byName('version'), params: { id, version: version! } };
      if (sub === 'quality' && version === undefined) return { route: byName('quality'), params: { id } };
      if (sub === 'lineage' && version === undefined) return { route: byName('lineage'), params: { id } };
    }
  }
  throw new HttpError(404, 'UnknownRoute', `no route matches ${JSON.stringify(path)}; the catalog serves ${ROUTE_LIST}`);
}

function parsePath<T>(schema: z.ZodType<T>, name: string, value: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'InvalidPath', `path segment {${name}} ${JSON.stringify(truncate(value))}: ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data;
}

function parseQuery(route: RouteSpec, query: ApiRequest['query']): Record<string, unknown> {
  const single: Record<string, string> = {};
  for (const [name, values] of Object.entries(query)) {
    if (values.length > 1) throw new HttpError(400, 'RepeatedParameter', `query parameter '${truncate(name)}' is given ${values.length} times; give it once`);
    if (values.length === 1) single[name] = values[0]!;
  }
  const parsed = route.query.safeParse(single);
  if (parsed.success) return parsed.data;
  const allowed = Object.keys(route.query.shape);
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const list = allowed.length > 0 ? `it takes ${allowed.join(', ')}` : 'it takes no query parameters';
    throw new HttpError(400, 'UnknownParameter', `unknown query parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${truncate(k)}'`).join(', ')} for GET ${route.path}; ${list}`);
  }
  const name = String(issue.path[0] ?? '');
  throw new HttpError(400, 'InvalidParameter', `query parameter '${name}' ${JSON.stringify(truncate(single[name] ?? ''))}: ${issue.message}`);
}

function readCursor(cursor: string, binding: string, key: string): CursorPosition {
  try {
    return decodeCursor(cursor, binding, key);
  } catch (e) {
    if (e instanceof CursorError) throw new HttpError(400, 'InvalidCursor', `query parameter 'cursor' ${e.message}`);
    throw e;
  }
}

async function search(query: Record<string, string | undefined>, limit: number, offset: number, next: (p: CursorPosition | undefined) => string | null, deps: ApiDeps): Promise<SearchResponse> {
  const { index, summaries } = await deps.search.get();
  // Only as many hits as this page needs, plus one to know whether another page follows: shaping
  // every hit of a broad query over thousands of products costs more than the ranking itself.
  const hits = index.search(query.q ?? '', { domain: query.domain, tag: query.tag, classification: query.classification, owner: query.owner }, offset + limit + 1);
  const items = hits.slice(offset, offset + limit).flatMap((h) => {
    const summary = summaries.get(h.id);
    return summary ? [{ ...summary, score: h.score, matched: [...h.matched] }] : [];
  });
  return { items, next: next(hits.length > offset + limit ? { o: offset + limit } : undefined) };
}

async function requireProduct(id: string, store: CatalogStore) {
  const summary = await store.getSummary(id);
  if (summary) return summary;
  const [refused] = await store.rejections(id, 1);
  const why = refused ? `: its last publication (version ${refused.version ?? '?'}, ${refused.at}) was refused: ${refused.message}` : '';
  throw new HttpError(404, 'ProductNotFound', `product '${id}' is not in the catalog${why}`);
}

async function productDetail(id: string, deps: ApiDeps): Promise<ProductDetail> {
  const summary = await requireProduct(id, deps.store);
  const [latest, runs, rejections, config] = await Promise.all([
    deps.store.latestVersion(id),
    deps.store.qualityRuns(id, { limit: 1 }),
    deps.store.rejections(id, REJECTIONS_SHOWN),
    meshConfig(deps.store),
  ]);
  if (!latest) throw new Error(`product ${id} has a summary but no version`);
  const quality = runs.items[0] ? runView(runs.items[0], summary.slaCheckIds) : null;
  const access: Access = config.ok ? accessFor(latest.page, config.value) : { available: false, reason: config.reason };
  return { ...latest.page, publishedAt: latest.publishedAt, sha256: latest.sha256, trust: summary.summary.trust, quality, freshness: freshnessOf(latest.page, quality), access, rejections };
}

async function meshConfig(store: CatalogStore): Promise<{ ok: true; value: MeshConfig | undefined } | { ok: false; reason: string }> {
  try {
    return { ok: true, value: await store.getMeshConfig() };
  } catch (e) {
    logger.error('the mesh config item cannot be read', { error: e as Error });
    return { ok: false, reason: 'access information is unavailable: the catalog cannot read its mesh config' };
  }
}

/** A stored run as the API shows it: SLA attainment judged against the current version's SLA checks. */
function runView(run: StoredQualityRun, slaCheckIds: readonly string[]) {
  const { product: _product, ...rest } = run;
  return { ...rest, slaMet: slaMet(run, slaCheckIds) };
}

let openApi: Record<string, unknown> | undefined;
function openApiDocument(): Record<string, unknown> {
  openApi ??= buildOpenApiDocument();
  return openApi;
}

function truncate(value: string, max = 64): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** The request of an API Gateway REST proxy event. */
export function apiRequestOf(event: APIGatewayProxyEvent): ApiRequest {
  const proxy = event.pathParameters?.proxy;
  const path = proxy !== undefined ? `/${proxy}` : event.path;
  const query: Record<string, string[]> = {};
  if (event.multiValueQueryStringParameters) {
    for (const [k, v] of Object.entries(event.multiValueQueryStringParameters)) query[k] = v ?? [];
  } else if (event.queryStringParameters) {
    for (const [k, v] of Object.entries(event.queryStringParameters)) query[k] = v === undefined ? [] : [v];
  }
  return { method: event.httpMethod, path, query, body: event.body };
}

/** The API's middy chain over any dependencies: AWS below, in-memory ones in tests and demos. */
export function createApiHandler(resolveDeps: () => ApiDeps) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(observed())
    .use(httpErrors())
    .handler(async (event) => {
      const result = await handleRequest(apiRequestOf(event), resolveDeps());
      return jsonResponse(result.status, result.body);
    });
}

let defaultDeps: ApiDeps | undefined;
export const handler = createApiHandler(() => {
  if (!defaultDeps) {
    // Clients are created at the first request, not at import: the environment is read then.
    const dynamo = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), { marshallOptions: { removeUndefinedValues: true } });
    const store = new DynamoCatalogStore(dynamo, requireEnv('CATALOG_TABLE'));
    // CATALOG_SEARCH_MAX_AGE_MS: how stale search may be (default 30 s); tests set 0.
    const maxAge = process.env.CATALOG_SEARCH_MAX_AGE_MS;
    // CATALOG_SNAPSHOT_BUCKET: where the search index is persisted between cold starts.
    const bucket = process.env.CATALOG_SNAPSHOT_BUCKET;
    const snapshots = bucket ? s3SnapshotStore(tracer.captureAWSv3Client(new S3Client({})), bucket) : undefined;
    defaultDeps = { store, search: new SearchCache(store, { maxAgeMs: maxAge === undefined ? undefined : Number(maxAge), snapshots }), cursorKey: process.env.CATALOG_CURSOR_KEY ?? defaultCursorKey(requireEnv('MESH_NAME')) };
  }
  return defaultDeps;
});
