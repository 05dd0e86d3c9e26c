/**
 * Hash routes (`#/products/order-lines`): a static bucket behind CloudFront serves one index.html
 * for every page without rewrite rules, and a link works when pasted.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { readonly page: 'mesh' }
  | { readonly page: 'search'; readonly params: URLSearchParams }
  | { readonly page: 'product'; readonly id: string }
  | { readonly page: 'version'; readonly id: string; readonly version: string }
  | { readonly page: 'domain'; readonly name: string }
  | { readonly page: 'missing'; readonly path: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const [first, id, sub, version] = parts;
  if (parts.length === 0) return { page: 'mesh' };
  if (first === 'search' && parts.length === 1) return { page: 'search', params: new URLSearchParams(query) };
  if (first === 'products' && id !== undefined && parts.length === 2) return { page: 'product', id };
  if (first === 'products' && id !== undefined && sub === 'versions' && version !== undefined && parts.length === 4) return { page: 'version', id, version };
  if (first === 'domains' && id !== undefined && parts.length === 2) return { page: 'domain', name: id };
  return { page: 'missing', path };
}

export const href = {
  mesh: (): string => '#/',
  search: (params: Readonly<Record<string, string | undefined>> = {}): string => {
    const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();
    return `#/search${query ? `?${query}` : ''}`;
  },
  product: (id: string): string => `#/products/${encodeURIComponent(id)}`,
  version: (id: string, version: string): string => `#/products/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`,
  domain: (name: string): string => `#/domains/${encodeURIComponent(name)}`,
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
