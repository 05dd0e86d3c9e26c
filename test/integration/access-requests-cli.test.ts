/**
 * `tessera access request|approve|list|audit|drift --local`: each command a run of its own on a
 * fresh local moto server, the access state carried from run to run (moto's recording, replayed),
 * as a user of the demo would type them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_STATE } from '../../bin/cli/access-requests.js';
import { withAccessRoutes } from '../../bin/cli/catalog-serve.js';
import { openLocalAccess } from '../../bin/local/access.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { runTessera } from '../support/cli.js';
import { root } from '../unit/constructs/helpers.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
});

const cwd = mkdtempSync(join(tmpdir(), 'tessera-access-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const MESH = ['--mesh', join(root, 'mesh')];
const AS = {
  analyst: 'arn:aws:sts::111111111111:assumed-role/TesseraAnalyst/bob',
  owner: 'arn:aws:sts::555555555555:assumed-role/AWSReservedSSO_DataOwner_0123456789abcdef/kwame.mensah',
  admin: 'arn:aws:sts::111111111111:assumed-role/TesseraDataLakeAdmin/ops',
};
const tessera = (...argv: string[]) => runTessera(cwd, 'access', ...argv, ...MESH);

describe('tessera access requests on the local catalog', () => {
  let id: string;

  it('asks, and the request waits for an owner', async () => {
    const r = await tessera('request', 'shipments', '--columns', 'shipment_id,carrier', '--reason', 'carrier performance review', '--duration', '14d', '--local', '--as', AS.analyst);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    id = /^(ar-[0-9a-f]{16}) {2}pending {2}shipments/m.exec(r.out)![1]!;
    expect(r.out).toContain('grants arn:aws:iam::111111111111:role/TesseraAnalyst by named-columns: shipments(shipment_id, carrier)');
  }, 240_000);

  it('refuses a stranger in a later run, then grants on the owner’s approval', async () => {
    const stranger = await tessera('approve', id, '--local', '--as', AS.admin);
    expect(stranger.code).toBe(1);
    expect(stranger.err).toMatch(/^error: 403 NotAnApprover: .*governance admin, not an owner/);
    const owner = await tessera('approve', id, '--local', '--as', AS.owner);
    expect(owner.code).toBe(0);
    expect(owner.out).toMatch(new RegExp(`^${id}  active  shipments`));
    expect(owner.out).toMatch(/expires \d{4}-\d\d-\d\dT/);
  }, 240_000);

  it('lists it, shows its audit trail, and finds no drift', async () => {
    const list = await tessera('list', '--local', '--as', AS.admin, '--json');
    expect((JSON.parse(list.out) as { items: { id: string; state: string }[] }).items.map((r) => [r.id, r.state])).toEqual([[id, 'active']]);
    const audit = await tessera('audit', id, '--local', '--as', AS.admin);
    expect(audit.out.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(1, 5))).toEqual([
      ['r1', 'requested', 'pending', AS.analyst],
      ['r2', 'approved', 'approved', AS.owner],
      ['r3', 'granted', 'active', AS.owner],
    ]);
    const drift = await tessera('drift', '--local', '--as', AS.admin);
    expect(drift.out).toContain('no extra grants\nno missing grants\n');
    expect(drift.code).toBe(0);
  }, 480_000);

  it('shows the saved requests to `catalog serve --local` without writing the state back', async () => {
    // What `tessera catalog serve --local` opens: the saved state, read-only, behind one API.
    const stateFile = join(cwd, LOCAL_STATE);
    const saved = readFileSync(stateFile);
    const mesh = (await loadMeshFile(join(root, 'mesh', 'mesh.yaml'))).mesh!;
    const run = await openLocalAccess(mesh, stateFile, { readOnly: true });
    try {
      const api = withAccessRoutes(run.catalog.catalog, run.access);
      const listed = await api.get('/access-requests?product=shipments');
      expect(listed.status).toBe(200);
      expect((listed.body as { items: { id: string; state: string; requester: string }[] }).items.map((r) => [r.id, r.state, r.requester])).toEqual([[id, 'active', AS.analyst]]);
      expect((await api.get('/products/shipments')).status).toBe(200);
      // The pages carry no identity: reading works, asking does not.
      expect((await api.get('/access-requests', 'POST')).status).toBe(400);
    } finally {
      await run.close();
    }
    expect(readFileSync(stateFile).equals(saved)).toBe(true);
  }, 240_000);

  it.each<[string, string[], RegExp]>([
    ['--local without --as', ['request', 'shipments', '--columns', 'carrier', '--reason', 'a good reason', '--duration', '1d', '--local'], /with --local, say who is calling/],
    ['--as without --local', ['list', '--as', AS.admin], /--as is for --local only/],
    ['both a class and columns', ['request', 'shipments', '--classification', 'internal', '--columns', 'carrier', '--reason', 'a good reason', '--duration', '1d', '--local', '--as', AS.analyst], /one of the two/],
    ['a duration that is no duration', ['request', 'shipments', '--columns', 'carrier', '--reason', 'a good reason', '--duration', 'a month', '--local', '--as', AS.analyst], /--duration: a duration is a number of hours, days or weeks/],
  ])('exits 2 on %s', async (_, argv, message) => {
    const r = await runTessera(cwd, 'access', ...argv, ...MESH);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
