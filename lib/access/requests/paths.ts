/** Where the access-request routes live in the catalog API (one API Gateway resource tree). */
export const ACCESS_PREFIX = '/access-requests';

/** Whether a request path (without its query) is one of the access-request routes. */
export function isAccessPath(path: string): boolean {
  return path === ACCESS_PREFIX || path.startsWith(`${ACCESS_PREFIX}/`);
}
