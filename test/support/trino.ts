/**
 * A real Trino for the test suite's Trino tier (Athena engine v3 is built on Trino): the server that
 * scripts/trino/install.sh unpacked, started on a free loopback port with a Hive catalog named
 * `awsdatacatalog` over a file metastore on the local file system, and a small client for Trino's
 * REST protocol (POST /v1/statement, then follow nextUri).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Cell, QueryEngine, QueryResult } from '../../lib/engines/query-engine.js';

export const TRINO_VERSION = process.env.TESSERA_TRINO_VERSION ?? '476';
/** Trino 476 runs on Java 24 or newer (it refuses the machine's default 17). */
const MIN_JAVA = 24;
const JAVA_CANDIDATES = [process.env.TESSERA_JAVA_HOME, '/usr/lib/jvm/temurin-25-jdk-amd64', process.env.JAVA_HOME].filter((p): p is string => !!p);

export const ENABLE_HINT =
  'to enable it, install a Java 25 JDK (or set TESSERA_JAVA_HOME to one) and run `npm run trino:install` (Trino from Maven Central, cached in ~/.cache/tessera/trino)';

export function trinoHome(): string {
  const cache = process.env.TESSERA_TRINO_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tessera', 'trino');
  return join(cache, `trino-server-${TRINO_VERSION}`);
}

/** The `java` binary of the first JDK new enough for Trino, or why there is none. */
export function findJava(): { java: string } | { problem: string } {
  const seen: string[] = [];
  for (const home of JAVA_CANDIDATES) {
    const java = join(home, 'bin', 'java');
    if (!existsSync(java)) continue;
    const out = spawnSync(java, ['-version'], { encoding: 'utf8' });
    const major = Number(/version "(\d+)/.exec(`${out.stderr}${out.stdout}`)?.[1] ?? 0);
    if (major >= MIN_JAVA) return { java };
    seen.push(`${home} is Java ${major}`);
  }
  return { problem: `no Java ${MIN_JAVA}+ found (${seen.length > 0 ? seen.join('; ') : `looked in ${JAVA_CANDIDATES.join(', ')}`})` };
}

export interface TrinoServer {
  readonly endpoint: string;
  readonly pid: number;
  readonly startMs: number;
  /** Resident memory of the JVM right after start, in bytes. */
  rssBytes(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function properties(entries: Record<string, string>): string {
  return `${Object.entries(entries)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/** A Hive catalog over a file metastore in `dir` whose tables may live anywhere on the local disk. */
function hiveCatalog(metastoreDir: string, projected: boolean): string {
  return properties({
    'connector.name': 'hive',
    'hive.metastore': 'file',
    // The metastore goes through Trino's file system layer too, so it takes a local:// URI.
    'hive.metastore.catalog.dir': `local://${metastoreDir}`,
    'fs.native-local.enabled': 'true',
    // A plain path, not a local:// URI; table locations are then local:///<absolute path>.
    'local.location': '/',
    // Athena's `projection.*` table parameters, read as Athena reads them.
    'hive.partition-projection-enabled': 'true',
    // Athena reads Parquet columns by name.
    'hive.parquet.use-column-names': 'true',
    // Athena projects partitions whose folder does not exist and reads no rows from them, without
    // an error (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html, "Considerations
    // and limitations"); Trino fails on an absent partition unless told otherwise.
    ...(projected ? { 'hive.ignore-absent-partitions': 'true' } : {}),
  });
}

/**
 * Starts Trino with its configuration under `workDir`: catalogs `awsdatacatalog` (partitions
 * registered in the metastore) and `projected` (the same tables with Athena partition projection).
 */
export async function startTrino(options: { home: string; java: string; workDir: string; port?: number; timeoutMs?: number }): Promise<TrinoServer> {
  const { home, java, workDir } = options;
  const port = options.port ?? (await freePort());
  const etc = join(workDir, 'etc');
  mkdirSync(join(etc, 'catalog'), { recursive: true });
  writeFileSync(
    join(etc, 'config.properties'),
    properties({
      coordinator: 'true',
      'node-scheduler.include-coordinator': 'true',
      'http-server.http.port': String(port),
      'discovery.uri': `http://127.0.0.1:${port}`,
      'catalog.config-dir': join(etc, 'catalog'),
      'plugin.dir': join(home, 'plugin'),
      'query.max-memory': '1GB',
      'query.max-memory-per-node': '1GB',
    }),
  );
  for (const catalog of ['awsdatacatalog', 'projected']) mkdirSync(join(workDir, 'metastore', catalog), { recursive: true });
  for (const catalog of ['awsdatacatalog', 'projected']) writeFileSync(join(etc, 'catalog', `${catalog}.properties`), hiveCatalog(join(workDir, 'metastore', catalog), catalog === 'projected'));
  const log = join(workDir, 'server.log');
  const out = openSync(log, 'a');
  const args = [
    '-cp',
    `${join(home, 'lib')}/*`,
    // A small heap: the machine has 24 GB and two cores for everything else too.
    '-Xmx2G',
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:TieredStopAtLevel=1',
    '-Duser.timezone=UTC',
    '-Djdk.attach.allowAttachSelf=true',
    '-Dnode.environment=tessera',
    '-Dnode.id=tessera-test',
    `-Dnode.data-dir=${join(workDir, 'data')}`,
    `-Dconfig=${join(etc, 'config.properties')}`,
    '-Dlog.enable-console=true',
    'io.trino.server.TrinoServer',
  ];
  const started = performance.now();
  const child: ChildProcess = spawn(java, args, { cwd: home, stdio: ['ignore', out, out] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = `http://127.0.0.1:${port}`;
  const server: TrinoServer = {
    endpoint,
    pid: child.pid!,
    startMs: 0,
    rssBytes: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  let dead: number | null | undefined;
  void exited.then((code) => (dead = code));
  while (Date.now() < deadline) {
    if (dead !== undefined) throw new Error(`trino exited with ${dead} while starting; its log:\n${tail(log)}`);
    const info = await fetch(`${endpoint}/v1/info`)
      .then((r) => r.json() as Promise<{ starting?: boolean }>)
      .catch(() => undefined);
    if (info && info.starting === false) {
      // A first query proves the catalogs loaded.
      await new TrinoClient(endpoint).query('SELECT 1');
      return { ...server, startMs: performance.now() - started };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await server.stop();
  throw new Error(`trino did not start within ${Math.round((options.timeoutMs ?? 240_000) / 1000)} s; its log:\n${tail(log)}`);
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '(no log)';
}

export interface TrinoColumn {
  readonly name: string;
  readonly type: string;
}

export interface TrinoResult {
  readonly columns: readonly TrinoColumn[];
  /** Values as Trino's protocol sends them: decimals, dates and timestamps as strings. */
  readonly rows: readonly (readonly unknown[])[];
}

export class TrinoError extends Error {
  constructor(
    message: string,
    readonly errorName: string,
  ) {
    super(message);
    this.name = 'TrinoError';
  }
}

interface StatementResponse {
  nextUri?: string;
  columns?: { name: string; type: string }[];
  data?: unknown[][];
  error?: { message: string; errorName: string };
}

/** Trino's client protocol, with the session Athena gives a query: catalog awsdatacatalog, UTC. */
export class TrinoClient implements QueryEngine {
  readonly name = 'trino';

  constructor(
    private readonly endpoint: string,
    private readonly session: { catalog?: string; schema?: string } = {},
  ) {}

  withSession(session: { catalog?: string; schema?: string }): TrinoClient {
    return new TrinoClient(this.endpoint, { ...this.session, ...session });
  }

  /**
   * Runs `sql` to its end. A statement refused with NO_NODES_AVAILABLE is sent again, for up to
   * 60 s: in the first seconds after start the scheduler's node map (refreshed every few seconds)
   * may not yet list the server itself as a worker of the catalog, and table scans fail while
   * metadata queries pass (trinodb/trino#2214; seen here on a quiet machine: 8 to 13 of 32 tests,
   * refused within 4 s of start). The error comes from split scheduling, before the statement does anything.
   */
  async query(sql: string): Promise<TrinoResult> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await this.queryOnce(sql);
      } catch (e) {
        if (!(e instanceof TrinoError) || e.errorName !== 'NO_NODES_AVAILABLE' || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async queryOnce(sql: string): Promise<TrinoResult> {
    const headers: Record<string, string> = { 'X-Trino-User': 'tessera', 'X-Trino-Time-Zone': 'UTC', 'X-Trino-Catalog': this.session.catalog ?? 'awsdatacatalog' };
    if (this.session.schema) headers['X-Trino-Schema'] = this.session.schema;
    let response = (await (await fetch(`${this.endpoint}/v1/statement`, { method: 'POST', body: sql, headers })).json()) as StatementResponse;
    let columns: TrinoColumn[] = [];
    const rows: unknown[][] = [];
    for (;;) {
      if (response.error) throw new TrinoError(response.error.message, response.error.errorName);
      if (response.columns) columns = response.columns.map((c) => ({ name: c.name, type: c.type }));
      if (response.data) rows.push(...response.data);
      if (!response.nextUri) break;
      response = (await (await fetch(response.nextUri, { headers: { 'X-Trino-User': 'tessera' } })).json()) as StatementResponse;
    }
    return { columns, rows };
  }

  /** The `QueryEngine` port: cells as the quality runner reads them (exact numbers as numbers). */
  async run(sql: string): Promise<QueryResult> {
    const result = await this.query(sql);
    return { columns: result.columns.map((c) => c.name), rows: result.rows.map((row) => row.map((v, i) => toCell(v, result.columns[i]!.type))) };
  }
}

/** A cell by its Trino type: exact numbers as numbers (decimals as text when a double would round them), text as text. */
function toCell(value: unknown, type: string): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (type.startsWith('decimal')) {
      const n = Number(value);
      return n.toFixed(value.split('.')[1]?.length ?? 0) === value ? n : value;
    }
    return value;
  }
  return JSON.stringify(value);
}
