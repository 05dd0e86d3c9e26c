/**
 * A measure a statement did not return is an error, never 0: a `sql` rule whose query yields NULL,
 * and an aggregate statement whose result lacks an output column (as when an engine or a proxy
 * returns fewer columns than asked), must not pass `mustBe: 0`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../lib/contract/load.js';
import type { DataContract } from '../../lib/contract/model.js';
import { DuckDbEngine } from '../../lib/engines/duckdb.js';
import { registerContractData } from '../../lib/engines/local-data.js';
import { compilePlan, type CompiledStatement } from '../../lib/quality/compile.js';
import { duckdb } from '../../lib/quality/duckdb-dialect.js';
import { planQuality } from '../../lib/quality/plan.js';
import { runQualityPlan, type QualityReport } from '../../lib/quality/run.js';
import { writeParquet } from '../support/parquet.js';
import { contractHeader } from '../support/contract-text.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-unmeasured-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const contractText = `${contractHeader('parcels', 'post')}schema:
  - name: parcels
    physicalType: table
    quality:
      - {name: no_heavy_parcels, type: sql, query: 'SELECT sum(weight) FROM \${table} WHERE weight > 1000', mustBe: 0, severity: warning}
    properties:
      - {name: id, logicalType: string, required: true, classification: public}
      - name: weight
        logicalType: integer
        physicalType: int
        classification: public
        quality: [{name: weight_present, metric: nullValues, mustBe: 0}, {name: weight_mostly_present, metric: nullValues, unit: percent, mustBeLessThan: 5}]
`;

let contract: DataContract;
beforeAll(async () => {
  contract = loadContract(contractText, 'parcels.odcs.yaml').contract!;
  // Two rows, weights 10 and NULL: one null weight, no weight above 1000.
  await writeParquet({ [join(dir, 'post', 'parcels', 'data.parquet')]: "SELECT * FROM (VALUES ('P1', 10), ('P2', NULL)) AS t(id, weight)" });
});

async function run(tamper: (s: CompiledStatement) => CompiledStatement = (s) => s): Promise<QualityReport> {
  const engine = await DuckDbEngine.create();
  try {
    const plan = planQuality(contract);
    const { database } = await registerContractData(engine, contract, dir);
    return await runQualityPlan(plan, compilePlan(plan, duckdb, { database, asOf: '2026-11-25' }).map(tamper), engine, { now: new Date('2026-11-25T08:00:00Z') });
  } finally {
    engine.close();
  }
}
const byName = (report: QualityReport, name: string) => report.results.find((r) => r.name === name)!;

describe('unmeasured checks', () => {
  it('measures normally when every output comes back', async () => {
    const report = await run();
    expect(byName(report, 'weight_present')).toMatchObject({ status: 'fail', value: 1 });
    expect(byName(report, 'weight_mostly_present')).toMatchObject({ status: 'fail', value: 50 });
  });

  it('a sql rule returning NULL is an error naming the check, not a 0 that passes mustBe: 0', async () => {
    const r = byName(await run(), 'no_heavy_parcels');
    expect(r.status).toBe('error');
    expect(r.actual).toBe('not measured');
    expect(r.message).toContain('parcels.*.sql');
    expect(r.message).toMatch(/NULL/);
  });

  it('a missing output column is an error naming the check and the column', async () => {
    let dropped = '';
    const report = await run((s) => {
      if (s.kind !== 'aggregate') return s;
      const output = s.outputs.find((o) => o.checks.some((id) => id.endsWith('.nullValues')))!;
      dropped = output.alias;
      return { ...s, sql: s.sql.replace(`AS "${output.alias}"`, 'AS "renamed"') };
    });
    const r = byName(report, 'weight_present');
    expect(r.status).toBe('error');
    expect(r.message).toContain(`column "${dropped}"`);
    expect(r.message).toContain('parcels.weight.nullValues');
    expect(report.summary.errors).toBeGreaterThanOrEqual(1);
  });

  it('a percent check without its row count is an error, not 0 %', async () => {
    const report = await run((s) => (s.kind === 'aggregate' ? { ...s, sql: s.sql.replace('AS "rows"', 'AS "no_rows"') } : s));
    const r = byName(report, 'weight_mostly_present');
    expect(r.status).toBe('error');
    expect(r.message).toContain('column "rows"');
  });

  it('tessera test exits 1 when a check could not be measured, even at warning severity', async () => {
    const { runTessera } = await import('../support/cli.js');
    const file = join(dir, 'only-sql.odcs.yaml');
    const { writeFileSync } = await import('node:fs');
    // Only the warning-severity sql rule: nothing else could fail the run.
    writeFileSync(file, contractText.replace(/ {6}- name: weight\n[\s\S]*$/, '      - {name: weight, logicalType: integer, physicalType: int, classification: public}\n'));
    const { code, out } = await runTessera(dir, 'test', file, '--data', dir);
    expect(out).toMatch(/no_heavy_parcels: unmeasured/);
    expect(code).toBe(1);
  });
});
