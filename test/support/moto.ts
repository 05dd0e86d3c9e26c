/**
 * A real local AWS API server for integration tests: moto (pinned in requirements-dev.txt, installed
 * by `npm test`'s pretest), started on a free loopback port for one test file and stopped after it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Moto {
  readonly endpoint: string;
  /** Clears every service's state. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const TEST_REGION = 'eu-west-1';

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto server exited (${child.exitCode}); is moto[server] installed (pip install -r requirements-dev.txt)?\n${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`moto server did not start within 20 s\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Queues the rows moto's Athena returns for the next GetQueryResults calls (moto's own API). */
export async function queueAthenaResults(endpoint: string, results: { columns: string[]; rows: (string | null)[][] }[], region = TEST_REGION): Promise<void> {
  const body = {
    region,
    results: results.map((r) => ({
      rows: [{ Data: r.columns.map((c) => ({ VarCharValue: c })) }, ...r.rows.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) }))],
      column_info: r.columns.map((c) => ({ Name: c, Label: c, Type: 'varchar', CatalogName: 'hive', SchemaName: '', TableName: '', Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })),
    })),
  };
  const res = await fetch(`${endpoint}/moto-api/static/athena/query-results`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`queueing Athena results failed: ${res.status} ${await res.text()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
