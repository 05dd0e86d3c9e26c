/**
 * The catalog API as the pages call it. The API's base URL comes from `config.json` beside the
 * pages (relative, `api/`, when `tessera catalog serve --local` serves both), so one build works
 * locally and deployed. The response types are the API's own (lib/catalog/api-schema.ts), imported
 * as types only: no schema code reaches the browser.
 */
import type { SignInConfig } from './sign-in.js';
import type { ApiErrorBody, ProductDetail, ProductSummary, QualityHistory, SearchResponse, VersionDetail, VersionList } from '../../lib/catalog/api-schema.js';

export type { ProductDetail, ProductSummary, QualityHistory, SearchResponse, VersionDetail, VersionList };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface SiteConfig {
  /** The catalog API's base URL, relative to the page or absolute; ends with a slash. */
  readonly api: string;
  /** Deployed: sign-in and request signing (`sign-in.ts`, loaded only then). */
  readonly signIn?: SignInConfig;
}

let config: Promise<SiteConfig> | undefined;
export function siteConfig(): Promise<SiteConfig> {
  config ??= fetch('config.json')
    .then((r) => (r.ok ? (r.json() as Promise<SiteConfig>) : { api: 'api/' }))
    .catch(() => ({ api: 'api/' }));
  return config;
}

export async function getJson<T>(path: string): Promise<T> {
  const { api, signIn } = await siteConfig();
  const relative = path.replace(/^\//, '');
  let headers: Record<string, string> = { accept: 'application/json' };
  if (signIn) {
    const { readerCredentials, signedHeaders } = await import('./sign-in.js');
    headers = await signedHeaders(relative, signIn, await readerCredentials(signIn));
  }
  const response = await fetch(`${api}${relative}`, { headers });
  const body = (await response.json().catch(() => ({}))) as Partial<ApiErrorBody> & { message?: string };
  if (!response.ok) throw new ApiError(response.status, body.message ?? `the catalog answered ${response.status}`);
  return body as T;
}

/** RFC 3986 percent-encoding (a space as %20), as the API's SigV4 signing expects it. */
export function queryString(params: Readonly<Record<string, string | undefined>>): string {
  const encode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const pairs = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;
}

export const productPath = (id: string): string => `products/${encodeURIComponent(id)}`;

/** Every product that passes the filters, following the API's pages (100 a page). */
export async function allProducts(filters: Readonly<Record<string, string | undefined>> = {}): Promise<ProductSummary[]> {
  const items: ProductSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await getJson<SearchResponse>(`products${queryString({ ...filters, limit: '100', cursor })}`);
    items.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
  return items;
}
