/**
 * `tessera test` compares the data files' schema with the contract before it measures, and reads
 * only the contract's table: schema drift is a failed check naming the column (never a crash, never
 * a pass), and files outside the table's layout are refused with the path searched. The fixtures
 * are written by a DuckDB of the test's own; expected numbers are counted by hand from the rows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../lib/contract/load.js';
import type { DataContract } from '../../lib/contract/model.js';
import { runLocalQuality } from '../../lib/quality/local.js';
import type { QualityReport } from '../../lib/quality/run.js';
import { runTessera } from '../support/cli.js';
import { writeParquet } from '../support/parquet.js';
import { contractHeader } from '../support/contract-text.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const contractText = `${contractHeader('parcels', 'post')}schema:
  - name: parcels
    physicalType: table
    properties:
      - {name: id, logicalType: string, required: true, classification: public}
      - {name: weight, logicalType: integer, physicalType: int, logicalTypeOptions: {minimum: 0, maximum: 100}, classification: public}
      - {name: day, logicalType: date, partitioned: true, partitionKeyPosition: 1, classification: public}
`;
const contractFile = join(dir, 'parcels.odcs.yaml');
let contract: DataContract;

// Three rows on 2026-11-24: weights 10, 20 and 500 (one above the maximum of 100).
const ROWS = "('P1', 10), ('P2', 20), ('P3', 500)";
const root = (name: string) => join(dir, name);
const partition = (name: string, folder = 'parcels') => join(root(name), 'post', folder, 'day=2026-11-24', 'data.parquet');

beforeAll(async () => {
  writeFileSync(contractFile, contractText);
  contract = loadContract(contractText, contractFile).contract!;
  await writeParquet({
    [partition('good')]: `SELECT id, CAST(weight AS INTEGER) AS weight FROM (VALUES ${ROWS}) AS t(id, weight)`,
    [partition('missing')]: `SELECT id FROM (VALUES ${ROWS}) AS t(id, weight)`,
    [partition('text')]: `SELECT id, CAST(weight AS VARCHAR) AS weight FROM (VALUES ${ROWS}) AS t(id, weight)`,
    [partition('extra')]: `SELECT id, CAST(weight AS INTEGER) AS weight, 'x' AS secret FROM (VALUES ${ROWS}) AS t(id, weight)`,
    [partition('backup', 'parcels_backup')]: `SELECT id, CAST(weight AS INTEGER) AS weight FROM (VALUES ${ROWS}) AS t(id, weight)`,
    [partition('stray')]: `SELECT id, CAST(weight AS INTEGER) AS weight FROM (VALUES ${ROWS}) AS t(id, weight)`,
    [join(root('stray'), 'post', 'parcels', 'old', 'data.parquet')]: `SELECT id, CAST(weight AS INTEGER) AS weight FROM (VALUES ${ROWS}) AS t(id, weight)`,
    [partition('hidden')]: `SELECT id, CAST(weight AS INTEGER) AS weight FROM (VALUES ${ROWS}) AS t(id, weight)`,
    [join(root('hidden'), 'post', 'parcels', '_temporary', 'data.parquet')]: "SELECT 'junk' AS nothing",
  });
});

const run = (name: string): Promise<QualityReport> => runLocalQuality(contract, root(name), new Date('2026-11-25T08:00:00Z'));
const result = (report: QualityReport, name: string) => {
  const r = report.results.find((x) => x.name === name);
  if (!r) throw new Error(`no result '${name}' among ${report.results.map((x) => x.name).join(', ')}`);
  return r;
};

describe('schema drift is a finding', () => {
  it('matching files: no drift, the checks measure', async () => {
    const report = await run('good');
    expect(report.results.filter((r) => r.kind === 'schema')).toEqual([]);
    expect(result(report, 'weight <= 100')).toMatchObject({ status: 'fail', value: 1 });
  });

  it('a declared column missing from the files fails naming it, and reads as NULL as on Athena', async () => {
    const report = await run('missing');
    const drift = report.results.filter((r) => r.kind === 'schema');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ column: 'weight', status: 'fail', severity: 'error', actual: 'missing' });
    expect(drift[0]!.message).toContain('column weight (int) is not in the data files');
    // No weight above 100 when there is no weight: the other checks still measure.
    expect(result(report, 'weight <= 100'), result(report, 'weight <= 100').message).toMatchObject({ status: 'pass', value: 0 });
    expect(result(report, 'id is never null (required)')).toMatchObject({ status: 'pass', value: 0 });
  });

  it('text stored under an int contract fails naming the column, and no check reading it passes', async () => {
    const report = await run('text');
    const drift = report.results.filter((r) => r.kind === 'schema');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ column: 'weight', status: 'fail', actual: 'VARCHAR' });
    expect(drift[0]!.message).toContain('weight is VARCHAR in the data files, but the contract declares int');
    for (const name of ['weight >= 0', 'weight <= 100']) {
      expect(result(report, name).status).toBe('error');
      expect(result(report, name).message).toContain('weight');
    }
    expect(report.results.filter((r) => r.status === 'pass')).toEqual([]);
  });

  it('an undeclared column in the files is a warning naming it', async () => {
    const report = await run('extra');
    const drift = report.results.filter((r) => r.kind === 'schema');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ column: 'secret', status: 'fail', severity: 'warning', actual: 'VARCHAR' });
  });

  it('tessera test reports a missing column as drift, not "internal error: Binder Error"', async () => {
    const { code, out, err } = await runTessera(dir, 'test', contractFile, '--data', root('missing'));
    expect(err).not.toMatch(/Binder Error|internal error/);
    expect(out).toContain('parcels.weight: column weight (int) is not in the data files');
    expect(code).toBe(1);
  });
});

describe('tessera test --data reads the contract table only', () => {
  it('says which files it read for each table', async () => {
    const { out } = await runTessera(dir, 'test', contractFile, '--data', root('good'));
    expect(out).toContain(`parcels: 1 file, `);
    expect(out).toContain(`in ${join(root('good'), 'post', 'parcels')}: ${join('day=2026-11-24', 'data.parquet')}`);
    const json = JSON.parse((await runTessera(dir, 'test', contractFile, '--data', root('good'), '--json')).out) as QualityReport;
    expect(json.sources).toHaveLength(1);
    expect(json.sources![0]).toMatchObject({ table: 'parcels', path: join(root('good'), 'post', 'parcels'), files: [join('day=2026-11-24', 'data.parquet')] });
  });

  it('refuses a *_backup folder, naming the paths it searched and the files it found', async () => {
    const { code, err } = await runTessera(dir, 'test', contractFile, '--data', join(root('backup'), 'post'));
    expect(code).toBe(1);
    expect(err).toContain(`searched ${join(root('backup'), 'post', 'post', 'parcels')}, ${join(root('backup'), 'post', 'parcels')}, ${join(root('backup'), 'post')}`);
    expect(err).toContain(join('parcels_backup', 'day=2026-11-24', 'data.parquet'));
  });

  it('refuses a table folder that also holds Parquet files outside its partitions', async () => {
    const { code, err } = await runTessera(dir, 'test', contractFile, '--data', root('stray'));
    expect(code).toBe(1);
    expect(err).toContain(join('old', 'data.parquet'));
    expect(err).toContain(join(root('stray'), 'post', 'parcels'));
  });

  it('skips _-prefixed folders, as Athena does', async () => {
    const report = await run('hidden');
    expect(report.sources?.[0]?.files).toEqual([join('day=2026-11-24', 'data.parquet')]);
    expect(report.results.filter((r) => r.kind === 'schema')).toEqual([]);
  });
});
