/**
 * The lock of deployed contract versions (mesh/contracts.lock.json): its file format, reading it
 * back, checking a changed mesh against it, and `tessera lock` on copies of the example mesh.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTessera } from '../support/cli.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import {
  blocksLock,
  buildLock,
  checkAgainstLock,
  emptyLock,
  formatLock,
  lockChanges,
  lockPath,
  parseLock,
  readLock,
  writeLock,
  type ContractLock,
} from '../../lib/mesh/lock.js';

const root = join(import.meta.dirname, '../..');
const meshDir = join(root, 'mesh');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-lock-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A copy of the example mesh (with its committed lock), with contract files edited. */
function meshCopy(edits: Record<string, (text: string) => string> = {}): string {
  const dir = join(scratch, `mesh-${counter++}`);
  cpSync(meshDir, dir, { recursive: true, filter: (src) => !src.includes('generator') });
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`test setup: the edit of ${file} changed nothing`);
    writeFileSync(path, after);
  }
  return dir;
}

async function loadMesh(dir: string): Promise<Mesh> {
  const result = await loadMeshFile(join(dir, 'mesh.yaml'));
  if (!result.mesh) throw new Error(`test setup: invalid mesh:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  return result.mesh;
}

async function lockOf(dir: string): Promise<ContractLock> {
  const { lock } = await readLock(join(dir, 'mesh.yaml'));
  if (!lock) throw new Error('test setup: unreadable lock');
  return lock;
}

/** Drops the mesh's views: an edit that removes a product they read would make them (rightly) invalid. */
const withoutViews = (edit: (text: string) => string) => (text: string): string => edit(text).replace(/\n# Cross-product views[\s\S]*$/, '\n');

function replace(from: string, to: string): (text: string) => string {
  return (text) => {
    if (!text.includes(from)) throw new Error(`test setup: '${from}' not found`);
    return text.replace(from, () => to);
  };
}

const ORDERS = 'orders/orders.odcs.yaml';
const removeLineCount = replace(
  '      - name: line_count\n        logicalType: integer\n        physicalType: int\n        description: Number of distinct lines in the order.\n        classification: internal\n        required: true\n        logicalTypeOptions:\n          minimum: 1\n          maximum: 100\n',
  '',
);
const version = (v: string): ((text: string) => string) => replace('version: 1.0.0', `version: ${v}`);
const both =
  (...edits: ((text: string) => string)[]) =>
  (text: string): string =>
    edits.reduce((t, e) => e(t), text);

describe('the committed lock', () => {
  it('matches the example mesh (run `tessera lock mesh` after changing a contract)', async () => {
    const mesh = await loadMesh(meshDir);
    const committed = readFileSync(lockPath(mesh.file), 'utf8');
    expect(committed).toBe(formatLock(buildLock(mesh)));
  });
});

describe('the lock file', () => {
  it('records domain, version, sha256, file relative to mesh.yaml and the contract document of every product', async () => {
    const mesh = await loadMesh(meshDir);
    const lock = buildLock(mesh);
    expect(Object.keys(lock.products).sort()).toEqual(mesh.products.map((p) => p.contract.id).sort());
    const orders = mesh.products.find((p) => p.contract.id === 'orders')!;
    expect(lock.products.orders).toEqual({
      domain: 'orders',
      version: orders.contract.version,
      sha256: orders.contract.source.sha256,
      file: 'orders/orders.odcs.yaml',
      contract: orders.contract.document,
    });
  });

  it('is stable JSON: sorted keys at every level, 2-space indent, trailing newline', () => {
    const lock: ContractLock = {
      lockVersion: 1,
      products: { b: { version: '1.0.0', domain: 'd', sha256: 'a'.repeat(64), file: 'b.yaml', contract: { z: 1, a: { y: [2, 1], x: null } } }, a: { version: '2.0.0', domain: 'd', sha256: 'b'.repeat(64), file: 'a.yaml', contract: {} } },
    };
    const text = formatLock(lock);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.indexOf('"a": {')).toBeLessThan(text.indexOf('"b": {'));
    expect(text).toContain('"contract": {\n        "a": {\n          "x": null,\n          "y": [\n            2,\n            1\n          ]\n        },\n        "z": 1\n      },');
    expect(formatLock(JSON.parse(text) as ContractLock)).toBe(text);
  });

  it('reads a missing lock as empty, and round-trips a written one', async () => {
    const dir = mkdtempSync(join(scratch, 'empty-'));
    const meshFile = join(dir, 'mesh.yaml');
    expect(await readLock(meshFile)).toEqual({ lock: emptyLock(), file: join(dir, 'contracts.lock.json'), exists: false, diagnostics: [] });
    const lock = buildLock(await loadMesh(meshDir));
    expect(await writeLock(meshFile, lock)).toBe(join(dir, 'contracts.lock.json'));
    expect((await readLock(meshFile)).lock).toEqual(JSON.parse(formatLock(lock)));
  });

  it('reports a corrupt lock with file, line and column', () => {
    const syntax = parseLock('{\n  "lockVersion": 1,\n  "products": {\n}\n', 'mesh/contracts.lock.json');
    expect(syntax.lock).toBeUndefined();
    expect(syntax.diagnostics[0]).toMatchObject({ code: 'lock-syntax', file: 'mesh/contracts.lock.json', position: { line: 5 } });

    const text = formatLock({ lockVersion: 1, products: { orders: { domain: 'orders', version: '1.0.0', sha256: 'xyz', file: 'o.yaml', contract: {} } } });
    const shape = parseLock(text, 'mesh/contracts.lock.json');
    expect(shape.diagnostics).toHaveLength(1);
    expect(shape.diagnostics[0]).toMatchObject({ code: 'lock-schema', path: 'products.orders.sha256', position: { line: text.split('\n').findIndex((l) => l.includes('"sha256"')) + 1 } });
    expect(shape.diagnostics[0]!.message).toContain('must be a sha256');

    const future = parseLock('{"lockVersion": 2, "products": {}}', 'l.json');
    expect(future.diagnostics[0]!.message).toContain('written by another version of tessera');
  });
});

describe('checkAgainstLock', () => {
  it('finds every product unchanged in the example mesh', async () => {
    const mesh = await loadMesh(meshDir);
    const checks = checkAgainstLock(mesh, await lockOf(meshDir));
    expect(checks.map((c) => c.status)).toEqual(mesh.products.map(() => 'unchanged'));
    expect(checks.some(blocksLock)).toBe(false);
  });

  it('diffs a changed contract against the locked one: a compatible change is ok', async () => {
    const dir = meshCopy({ [ORDERS]: both(version('1.1.0'), replace('physicalType: int\n', 'physicalType: bigint\n')) });
    const checks = checkAgainstLock(await loadMesh(dir), await lockOf(dir));
    const orders = checks.find((c) => c.product === 'orders')!;
    expect(orders).toMatchObject({ status: 'changed', lockedVersion: '1.0.0', version: '1.1.0', diff: { ok: true, breaking: false, versionBump: 'minor' } });
    expect(orders.diff!.changes.map((c) => [c.severity, c.rule, c.subject])).toEqual([['compatible', 'type-widened', 'orders.line_count']]);
    expect(blocksLock(orders)).toBe(false);
  });

  it('blocks a breaking change without a major bump, and accepts it with one', async () => {
    const minor = checkAgainstLock(...(await meshAndLock(meshCopy({ [ORDERS]: both(version('1.1.0'), removeLineCount) }))));
    const orders = minor.find((c) => c.product === 'orders')!;
    expect(orders.diff).toMatchObject({ ok: false, breaking: true, versions: { suggested: '2.0.0' } });
    expect(blocksLock(orders)).toBe(true);

    // The shipments product consumes orders 1.0.0 (an ODPS input port): a major bump breaks it too.
    const consumer = { 'shipping/shipments.odps.yaml': replace('    contractId: orders\n    version: 1.0.0', '    contractId: orders\n    version: 2.0.0') };
    const major = checkAgainstLock(...(await meshAndLock(meshCopy({ [ORDERS]: both(version('2.0.0'), removeLineCount), ...consumer }))));
    expect(blocksLock(major.find((c) => c.product === 'orders')!)).toBe(false);
  });

  it('a product removed from the mesh is a breaking removal, unless it was retired; a new product is fine', async () => {
    const dir = meshCopy({ 'mesh.yaml': withoutViews(replace('      - orders/order-lines.odcs.yaml\n', '')) });
    const [mesh, lock] = await meshAndLock(dir);
    const removed = checkAgainstLock(mesh, lock).find((c) => c.product === 'order-lines')!;
    expect(removed).toMatchObject({ status: 'removed', lockedVersion: '1.0.0', domain: 'orders' });
    expect(removed.problem).toContain('retire it first');
    expect(blocksLock(removed)).toBe(true);

    const retired: ContractLock = { ...lock, products: { ...lock.products, 'order-lines': { ...lock.products['order-lines']!, contract: { ...lock.products['order-lines']!.contract, status: 'retired' } } } };
    expect(blocksLock(checkAgainstLock(mesh, retired).find((c) => c.product === 'order-lines')!)).toBe(false);

    const withoutOrders: ContractLock = { ...lock, products: Object.fromEntries(Object.entries(lock.products).filter(([id]) => id !== 'orders')) };
    const added = checkAgainstLock(mesh, withoutOrders).find((c) => c.product === 'orders')!;
    expect(added).toMatchObject({ status: 'added', version: '1.0.0' });
    expect(blocksLock(added)).toBe(false);
  });

  it('rebuilds a locked contract under the odcs profile, so newer product rules never fail it', async () => {
    const dir = meshCopy({ [ORDERS]: version('1.0.1') });
    const [mesh, lock] = await meshAndLock(dir);
    // A contract locked before support channels were required: not a valid product today.
    const { support: _support, ...old } = lock.products.orders!.contract;
    const oldLock: ContractLock = { ...lock, products: { ...lock.products, orders: { ...lock.products.orders!, contract: old } } };
    const orders = checkAgainstLock(mesh, oldLock).find((c) => c.product === 'orders')!;
    expect(orders.status).toBe('changed');
    expect(orders.diff!.changes.map((c) => c.rule)).toEqual(['support-changed']);
  });

  it('says which lock entries a new lock adds, updates and removes', () => {
    const entry = { domain: 'd', version: '1.0.0', sha256: 'a'.repeat(64), file: 'x.yaml', contract: {} };
    const before: ContractLock = { lockVersion: 1, products: { kept: entry, gone: entry, bumped: entry } };
    const after: ContractLock = { lockVersion: 1, products: { kept: entry, bumped: { ...entry, version: '1.1.0', sha256: 'b'.repeat(64) }, fresh: entry } };
    expect(lockChanges(before, after).map((c) => [c.product, c.change, c.before?.version, c.after?.version])).toEqual([
      ['bumped', 'updated', '1.0.0', '1.1.0'],
      ['fresh', 'added', undefined, '1.0.0'],
      ['gone', 'removed', '1.0.0', undefined],
    ]);
  });
});

async function meshAndLock(dir: string): Promise<[Mesh, ContractLock]> {
  return [await loadMesh(dir), await lockOf(dir)];
}

describe('tessera lock', () => {
  const run = (...argv: string[]): ReturnType<typeof runTessera> => runTessera(root, ...argv);
  const lockText = (dir: string): string => readFileSync(join(dir, 'contracts.lock.json'), 'utf8');

  it('--check passes on the example mesh', async () => {
    const { code, out } = await run('lock', 'mesh', '--check');
    expect(code).toBe(0);
    expect(out).toContain('= 5 products unchanged');
    expect(out).toContain('mesh/contracts.lock.json is up to date');
  });

  it('writes a new lock for a mesh without one, listing every product', async () => {
    const dir = meshCopy();
    rmSync(join(dir, 'contracts.lock.json'));
    const { code, out } = await run('lock', relative(root, dir));
    expect(code).toBe(0);
    expect(out).toContain('+ orders 1.0.0 (domain orders): new product');
    expect(out).toContain('contracts.lock.json: 5 added');
    expect(lockText(dir)).toBe(readFileSync(join(meshDir, 'contracts.lock.json'), 'utf8'));
  });

  it('--check fails on a stale lock and names the product; writing it updates the lock', async () => {
    const dir = meshCopy({ [ORDERS]: both(version('1.1.0'), replace('physicalType: int\n', 'physicalType: bigint\n')) });
    const check = await run('lock', relative(root, dir), '--check');
    expect(check.code).toBe(1);
    expect(check.out).toContain('~ orders 1.0.0 → 1.1.0 (domain orders): ok, 1 change: 0 breaking, 0 warnings, 1 compatible');
    expect(check.out).toMatch(/orders\.odcs\.yaml:\d+:\d+ orders\.line_count \[type-widened\]/);
    expect(check.out).toMatch(/check failed: .*contracts\.lock\.json is out of date \(orders updated\); run `tessera lock/);

    const write = await run('lock', relative(root, dir));
    expect(write.code).toBe(0);
    expect(write.out).toMatch(/wrote .*contracts\.lock\.json: 1 updated/);
    expect((JSON.parse(lockText(dir)) as ContractLock).products.orders!.version).toBe('1.1.0');
    expect((await run('lock', relative(root, dir), '--check')).code).toBe(0);
  });

  it('refuses a breaking change without a major bump, and writes it with --force', async () => {
    const dir = meshCopy({ [ORDERS]: both(version('1.1.0'), removeLineCount) });
    const before = lockText(dir);
    const refused = await run('lock', relative(root, dir));
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('~ orders 1.0.0 → 1.1.0 (domain orders): BLOCKED');
    expect(refused.out).toContain('(locked) orders schema[0].properties[7] orders.line_count [column-removed]');
    expect(refused.out).toContain('verdict: breaking changes without a major version bump: 1.0.0 → 1.1.0; bump to 2.0.0');
    expect(refused.out).toMatch(/refusing to write .*: 1 product cannot replace the locked contract: orders \(1\.0\.0 → 1\.1\.0; bump to 2\.0\.0\)/);
    expect(lockText(dir)).toBe(before);

    const check = await run('lock', relative(root, dir), '--check');
    expect(check.code).toBe(1);
    expect(check.out).toContain('check failed: 1 product cannot replace the locked contract');

    const forced = await run('lock', relative(root, dir), '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('--force: accepted as they are: orders (1.0.0 → 1.1.0)');
    expect(lockText(dir)).not.toBe(before);
  });

  it('refuses to drop a product that was not retired', async () => {
    const dir = meshCopy({ 'mesh.yaml': withoutViews(replace('      - orders/order-lines.odcs.yaml\n', '')) });
    const { code, out } = await run('lock', join(relative(root, dir), 'mesh.yaml'));
    expect(code).toBe(1);
    expect(out).toContain('- order-lines 1.0.0 (domain orders): removed from the mesh');
    expect(out).toContain('BLOCKED: product \'order-lines\' 1.0.0 (domain orders) is locked but no longer in the mesh');
  });

  it('prints JSON with --json', async () => {
    const dir = meshCopy({ [ORDERS]: both(version('1.1.0'), removeLineCount) });
    const { code, out } = await run('lock', relative(root, dir), '--check', '--json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as { ok: boolean; upToDate: boolean; written: boolean; products: { product: string; status: string; diff?: { ok: boolean } }[] };
    expect(report).toMatchObject({ ok: false, upToDate: false, written: false });
    expect(report.products.find((p) => p.product === 'orders')).toMatchObject({ status: 'changed', diff: { ok: false } });
  });

  it('reports an invalid mesh or a corrupt lock, and exits 1', async () => {
    const broken = meshCopy({ [ORDERS]: replace('logicalType: timestamp', 'logicalType: timestampp') });
    const invalid = await run('lock', relative(root, broken));
    expect(invalid.code).toBe(1);
    expect(invalid.out).toMatch(/orders\.odcs\.yaml:\d+:\d+ error \[odcs-schema\]/);
    expect(invalid.out).toContain('cannot lock: the mesh');

    const corrupt = meshCopy();
    writeFileSync(join(corrupt, 'contracts.lock.json'), '{ "lockVersion": 1, "products": ');
    const result = await run('lock', relative(root, corrupt));
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/contracts\.lock\.json:\d+:\d+ error \[lock-syntax\]/);
    expect(existsSync(join(corrupt, 'contracts.lock.json'))).toBe(true);
    const forced = await run('lock', relative(root, corrupt), '--force');
    expect(forced.code).toBe(0);
    expect(lockText(corrupt)).toBe(readFileSync(join(meshDir, 'contracts.lock.json'), 'utf8'));
  });
});
