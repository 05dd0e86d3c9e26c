/**
 * `tessera query` against Athena, on a real local AWS API (moto): results queued through moto's API,
 * a query that cannot start (no such workgroup), and a query cancelled while it runs (moto's state
 * manager holds it in QUEUED until the test stops it). moto never fails a running query, so the
 * FAILED state itself is not exercised here.
 */
import { AthenaClient, CreateWorkGroupCommand, ListQueryExecutionsCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTessera } from '../support/cli.js';
import { queueAthenaResults, motoEnvironment, startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';
import { root } from '../unit/constructs/helpers.js';

let moto: Moto;
let athena: AthenaClient;
const saved = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, motoEnvironment(moto));
  athena = new AthenaClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint });
  await athena.send(new CreateWorkGroupCommand({ Name: 'tessera-ecommerce-analysts', Configuration: { ResultConfiguration: { OutputLocation: 's3://results/' } } }));
});

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
});

describe('tessera query on Athena (moto)', () => {
  it("runs in the mesh's analyst workgroup and prints the result, bytes scanned and cost", async () => {
    await queueAthenaResults(moto.endpoint, [{ columns: ['carrier', 'parcels'], rows: [['DHL', '4609'], ['UPS', '2869']] }]);
    const { code, out, err } = await runTessera(root, 'query', 'SELECT carrier, count(*) AS parcels FROM shipping.shipments GROUP BY 1');
    expect(code).toBe(0);
    expect(out).toContain('carrier  parcels');
    expect(out).toMatch(/DHL\s+4609/);
    expect(err).toMatch(/2 rows in [\d.]+ s; scanned .*, about \$0\.0000\d+ \(workgroup tessera-ecommerce-analysts, query /);
  });

  it('prints CSV with --format csv', async () => {
    await queueAthenaResults(moto.endpoint, [{ columns: ['n'], rows: [['42']] }]);
    const { code, out } = await runTessera(root, 'query', '--format', 'csv', 'SELECT count(*) AS n FROM orders.orders');
    expect(code).toBe(0);
    expect(out).toBe('n\n42\n');
  });

  it('prints at most --limit rows and says that more exist', async () => {
    await queueAthenaResults(moto.endpoint, [{ columns: ['n'], rows: [['1'], ['2'], ['3'], ['4'], ['5']] }]);
    const cut = await runTessera(root, 'query', '--format', 'csv', '--limit', '3', 'SELECT n FROM orders.orders');
    expect(cut.code).toBe(0);
    expect(cut.out).toBe('n\n1\n2\n3\n');
    expect(cut.err).toContain('note: showing the first 3 rows; the query returned more');
    await queueAthenaResults(moto.endpoint, [{ columns: ['n'], rows: [['1'], ['2'], ['3']] }]);
    const whole = await runTessera(root, 'query', '--format', 'csv', '--limit', '3', 'SELECT n FROM orders.orders');
    expect(whole.out).toBe('n\n1\n2\n3\n');
    expect(whole.err).not.toContain('note:');
  });

  it('reports a query that cannot start', async () => {
    const { code, err } = await runTessera(root, 'query', '--workgroup', 'no-such-group', 'SELECT 1');
    expect(code).toBe(1);
    expect(err).toContain('query failed to start in workgroup no-such-group');
    expect(err).toContain('WorkGroup does not exist');
  });

  it('reports a query cancelled while it runs', async () => {
    // Hold new executions in QUEUED until stopped.
    await fetch(`${moto.endpoint}/moto-api/state-manager/set-transition`, { method: 'POST', body: JSON.stringify({ model_name: 'athena::execution', transition: { progression: 'manual', times: 1000 } }) });
    try {
      const before = new Set((await athena.send(new ListQueryExecutionsCommand({ WorkGroup: 'tessera-ecommerce-analysts' }))).QueryExecutionIds ?? []);
      const running = runTessera(root, 'query', 'SELECT * FROM orders.orders');
      let id: string | undefined;
      for (let i = 0; i < 100 && !id; i++) {
        await new Promise((r) => setTimeout(r, 100));
        id = ((await athena.send(new ListQueryExecutionsCommand({ WorkGroup: 'tessera-ecommerce-analysts' }))).QueryExecutionIds ?? []).find((x) => !before.has(x));
      }
      expect(id).toBeDefined();
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      const { code, err } = await running;
      expect(code).toBe(1);
      expect(err).toContain(`query cancelled: Athena query ${id!} was cancelled`);
    } finally {
      await fetch(`${moto.endpoint}/moto-api/state-manager/unset-transition`, { method: 'POST', body: JSON.stringify({ model_name: 'athena::execution' }) });
    }
  });
});

describe('tessera query options', () => {
  it('refuses a --reuse that is not a number of minutes', async () => {
    const { code, err } = await runTessera(root, 'query', '--reuse', 'soon', 'SELECT 1');
    expect(code).toBe(2);
    expect(err).toContain('--reuse must be a whole number of minutes');
  });
});
