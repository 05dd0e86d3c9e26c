/**
 * A real local AWS API server for integration tests: moto (pinned in requirements-dev.txt, installed
 * by `npm test`'s pretest), started on a free loopback port for one test file and stopped after it.
 */
import type { Moto } from '../../bin/local/moto-server.js';

export { startMoto, type Moto } from '../../bin/local/moto-server.js';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const TEST_REGION = 'eu-west-1';

/** The environment that points AWS SDK clients (and handlers creating theirs at import) at `moto`. */
export function motoEnvironment(moto: Moto): Record<string, string> {
  return { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: TEST_REGION, AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey };
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
