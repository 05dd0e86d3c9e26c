/**
 * `tessera catalog serve --local` as a user runs it: the built program in a child process, over the
 * local catalog (moto plus the real handlers). It prints its URL, serves the built pages and the
 * API under the same origin, refuses paths outside the pages, and stops cleanly on SIGTERM, moto
 * included.
 */
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../lib/catalog/api-schema.js';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = join(root, pkg.bin.tessera!);

let child: ChildProcessByStdio<null, Readable, Readable>;
let out = '';
let err = '';
let url: string;
let exited: Promise<number | null>;

beforeAll(async () => {
  child = spawn(process.execPath, [bin, 'catalog', 'serve', '--local', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  // A hang guard: moto and the handlers start slowly on a loaded machine.
  const deadline = Date.now() + 240_000;
  for (;;) {
    const found = /serving the web catalog at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
    if (found) {
      url = found;
      break;
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`tessera catalog serve did not start (exit ${child.exitCode}):\n${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('tessera catalog serve --local', () => {
  it('prints where it serves and how many products it holds', () => {
    expect(out).toMatch(/^5 products \(\d+ quality runs\) in the local catalog; serving the web catalog at http:\/\/127\.0\.0\.1:\d+\/\n/);
    expect(out).toContain(`the API is at ${url}api/products`);
  });

  it('serves the built pages, with the scripts they name', async () => {
    const index = await fetch(url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await index.text();
    const script = /<script type="module" crossorigin src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${url}${script!}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await (await fetch(`${url}config.json`)).json()).toEqual({ api: 'api/' });
  });

  it('answers the API under /api/ with the real handler: a misspelt search finds the product', async () => {
    const response = await fetch(`${url}api/products?q=shipmnts`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as SearchResponse;
    expect(body.items[0]!.id).toBe('shipments');
    const missing = await fetch(`${url}api/products/no-such-product`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('ProductNotFound');
    const post = await fetch(`${url}api/products`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('serves nothing outside the pages', async () => {
    for (const path of ['%2e%2e/package.json', '..%2f..%2fpackage.json', 'assets/%2e%2e%2f%2e%2e%2fpackage.json', 'no-such-file.js']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(404);
    }
  });

  it('stops on SIGTERM, with exit code 0, and stops its moto server', async () => {
    // The moto server is the command's one Python child.
    const children = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(child.pid)], { encoding: 'utf8' });
    const moto = children.split('\n').filter((l) => /python/.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(moto).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/stopped \(SIGTERM\)\n$/);
    await expect(fetch(url)).rejects.toThrow();
    expect(() => process.kill(moto[0]!, 0)).toThrow(/ESRCH/);
  });
});
