/**
 * `tessera catalog serve --local`: the web catalog's pages (built into dist/web by `npm run build`)
 * and the catalog API on one local HTTP server, over the same local catalog `tessera catalog search
 * --local` builds (moto plus the real handlers). The pages find the API at `api/` through
 * `config.json`, relative to themselves, so the same build works behind CloudFront.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAccessPath } from '../../lib/access/requests/paths.js';
import { loadMesh } from './catalog.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';

/** What the server needs of a catalog: the API handler behind `LocalCatalog.get`. */
export interface CatalogApi {
  get(pathAndQuery: string, method?: string): Promise<{ status: number; body: unknown }>;
}

/** The access-request routes as a caller without a verified identity reaches them (`LocalAccess.call`). */
export interface AccessApi {
  call(method: string, pathAndQuery: string): Promise<{ status: number; body: unknown }>;
}

/**
 * One API, as the deployed catalog API is one: `/access-requests...` to the access service, the
 * rest to the catalog. The pages send no identity, so locally they can read requests but not make
 * or decide one (asking is `tessera access request --local`).
 */
export function withAccessRoutes(catalog: CatalogApi, access: AccessApi): CatalogApi {
  return {
    get: (pathAndQuery, method = 'GET') => (isAccessPath(pathAndQuery.split('?')[0]!) ? access.call(method, pathAndQuery) : catalog.get(pathAndQuery, method)),
  };
}

export interface CatalogServerOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default 127.0.0.1: the local catalog is for this machine only */
  readonly host?: string;
  /** The built pages. @default dist/web of this package */
  readonly root?: string;
}

export interface CatalogServer {
  readonly url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** dist/web beside this module: `<root>/dist/web` from the sources, `dist/web` from dist/bin/cli. */
export function defaultWebRoot(): string {
  const packageDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  return basename(packageDir) === 'dist' ? join(packageDir, 'web') : join(packageDir, 'dist', 'web');
}

export async function startCatalogServer(api: CatalogApi, options: CatalogServerOptions = {}): Promise<CatalogServer> {
  const root = resolve(options.root ?? defaultWebRoot());
  if (!(await stat(join(root, 'index.html')).catch(() => undefined))?.isFile()) {
    throw new Error(`the web catalog is not built: ${join(root, 'index.html')} is missing; run npm run build`);
  }
  const server = createServer((req, res) => {
    handle(req, res, api, root).catch(() => {
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ error: 'InternalError', message: 'the local catalog server failed' }));
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}/`, close: () => closeServer(server) };
}

async function handle(req: IncomingMessage, res: ServerResponse, api: CatalogApi, root: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname.startsWith('/api/')) {
    // The handler answers every method itself (405 for anything but GET), as behind API Gateway.
    const { status, body } = await api.get(`${url.pathname.slice('/api'.length)}${url.search}`, req.method ?? 'GET');
    return send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), 'no-store');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'the pages are read-only: use GET\n');
  if (url.pathname === '/config.json') return send(res, 200, CONTENT_TYPES['.json']!, JSON.stringify({ api: 'api/' }), 'no-store');
  const file = staticFile(root, url.pathname);
  const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
  if (file === undefined || !info?.isFile()) return send(res, 404, 'text/plain', `not found: ${url.pathname}\n`);
  // Vite names assets by their content hash: they never change, the page that names them does.
  const cache = url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': info.size, 'cache-control': cache, 'x-content-type-options': 'nosniff' });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

/** The file a URL path names under root, or undefined when the path tries to leave it. */
function staticFile(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = resolve(root, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  return file === root || file.startsWith(`${root}${sep}`) ? file : undefined;
}

function send(res: ServerResponse, status: number, type: string, body: string, cache = 'no-cache'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': cache, 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.close(() => ok());
    // Browsers keep connections open; without this, close waits for them to time out.
    server.closeAllConnections();
  });
}

export interface CatalogServeOptions {
  readonly local?: boolean;
  readonly port?: number;
  readonly mesh?: string;
  readonly data?: string;
}

/** Builds the local catalog, serves it until SIGINT or SIGTERM, then stops the server and moto. */
export async function catalogServeCommand(options: CatalogServeOptions, io: CliIo): Promise<ExitCode> {
  if (!options.local) {
    throw new UsageError('catalog serve runs the local catalog: pass --local (the deployed pages are served by CloudFront, see docs/web-catalog.md)');
  }
  const mesh = await loadMesh({ local: true, mesh: options.mesh }, io);
  if (!mesh) return 1;
  const root = defaultWebRoot();
  if (!(await stat(join(root, 'index.html')).catch(() => undefined))) {
    io.err(`error: the web catalog is not built (${join(root, 'index.html')} is missing); run npm run build\n`);
    return 1;
  }
  const [{ openLocalAccess }, { LOCAL_STATE }] = await Promise.all([import('../local/access.js'), import('./access-requests.js')]);
  // Requests made with `tessera access ... --local` in this folder show on the product pages.
  const run = await openLocalAccess(mesh, resolve(io.cwd, LOCAL_STATE), { catalog: { dataRoot: resolve(io.cwd, options.data ?? '.tessera/sample-data') }, readOnly: true });
  let server: CatalogServer;
  try {
    server = await startCatalogServer(withAccessRoutes(run.catalog.catalog, run.access), { port: options.port, root });
  } catch (e) {
    await run.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.err(`error: cannot listen on port ${options.port ?? 0} (${code}); choose another with --port\n`);
      return 1;
    }
    throw e;
  }
  io.out(`${run.catalog.published} products (${run.catalog.qualityRuns} quality runs) in the local catalog; serving the web catalog at ${server.url}\n`);
  io.out(`the API is at ${server.url}api/products; press Ctrl+C to stop\n`);
  const signal = await stopSignal();
  await server.close();
  await run.close();
  io.out(`stopped (${signal})\n`);
  return 0;
}

function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((ok) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      ok(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
