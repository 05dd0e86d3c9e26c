/**
 * Every rule type the planner compiles (test/fixtures/trino/every-rule.odcs.yaml: library metrics,
 * schema rules, logicalTypeOptions on numbers, decimals, dates and timestamps, sql rules, a
 * relationship, SLAs, `scope: latest` alone and mixed), as Athena statements on Trino and DuckDB
 * statements on DuckDB over the same Parquet files: the same verdict and value for every check.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadContract } from '../../lib/contract/load.js';
import type { DataContract } from '../../lib/contract/model.js';
import { DuckDbEngine } from '../../lib/engines/duckdb.js';
import { registerContractData } from '../../lib/engines/local-data.js';
import { glueTableInput } from '../../lib/glue/table-input.js';
import { compilePlan } from '../../lib/quality/compile.js';
import { athena } from '../../lib/quality/dialects.js';
import { duckdb } from '../../lib/quality/duckdb-dialect.js';
import { planQuality } from '../../lib/quality/plan.js';
import { runQualityPlan, type QualityReport } from '../../lib/quality/run.js';
import { TrinoClient } from '../support/trino.js';
import { trinoReady } from './ready.js';
import { createMeshTables } from '../support/trino-mesh.js';
import { verdicts } from '../support/compare.js';

const tier = inject('trino');
const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'];
const AS_OF = '2026-11-25';

describe.skipIf(tier.skip !== undefined)('every rule type: Trino agrees with DuckDB', () => {
  let contract: DataContract;
  const dataRoot = join(tier.workDir ?? '', 'every-rule');
  beforeAll(() => trinoReady(tier), 900_000);
  beforeAll(async () => {
    const loaded = loadContract(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'trino', 'every-rule.odcs.yaml'), 'utf8'), 'every-rule.odcs.yaml');
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    contract = loaded.contract!;
    // 200 events with defects in every column, 3 known sources and one unknown; written by DuckDB.
    mkdirSync(join(dataRoot, 'telemetry', 'sources'), { recursive: true });
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`CREATE TABLE e AS SELECT
        'E' || lpad(CAST(CASE WHEN i % 50 = 49 THEN i - 1 ELSE i END AS VARCHAR), 4, '0') AS id,
        CASE WHEN i % 37 = 0 THEN 'zzz' ELSE ['a', 'b', 'c'][i % 3 + 1] END AS kind,
        CASE WHEN i % 23 = 0 THEN NULL WHEN i % 29 = 0 THEN '' WHEN i % 31 = 0 THEN 'not-an-email' ELSE 'u' || i || '@example.com' END AS email,
        CAST(CASE WHEN i % 41 = 0 THEN 120 WHEN i % 43 = 0 THEN -1 ELSE i % 100 END AS INTEGER) AS score,
        CAST(CASE WHEN i % 19 = 0 THEN 0 ELSE i * 1.25 END AS DECIMAL(10,2)) AS amount,
        CASE WHEN i % 47 = 0 THEN 'ABCD' ELSE 'ABC' END AS code,
        CASE WHEN i % 53 = 0 THEN 'S9' ELSE ['S1', 'S2', 'S3'][i % 3 + 1] END AS source_id,
        CAST(CASE WHEN i % 61 = 0 THEN TIMESTAMP '2026-11-19 23:59:59.5' ELSE CAST(${"['" + DAYS.join("','") + "']"}[i % 5 + 1] AS TIMESTAMP) + INTERVAL (i % 24) HOUR END AS TIMESTAMP) AS ts,
        CAST(${"['" + DAYS.join("','") + "']"}[i % 5 + 1] AS DATE) AS day
      FROM range(200) t(i)`);
    await c.run(`COPY e TO '${join(dataRoot, 'telemetry', 'events')}' (FORMAT PARQUET, PARTITION_BY (day))`);
    await c.run(`COPY (SELECT unnest(['S1', 'S2', 'S3']) AS source_id) TO '${join(dataRoot, 'telemetry', 'sources', 'data_0.parquet')}' (FORMAT PARQUET)`);
    c.closeSync();
    db.closeSync();
    const tables = contract.tables.map((table) => {
      const { input, projection } = glueTableInput(contract, table, { locationRoot: `local://${join(dataRoot, 'telemetry')}/`, classifications: ['public', 'internal', 'confidential', 'restricted'] });
      return { database: 'telemetry', input, projected: projection.enabled };
    });
    await createMeshTables(new TrinoClient(tier.endpoint!), tables, { registered: 'awsdatacatalog', projected: 'projected' });
  });

  const onDuckDb = async (): Promise<QualityReport> => {
    const engine = await DuckDbEngine.create();
    try {
      const plan = planQuality(contract);
      const { database } = await registerContractData(engine, contract, dataRoot);
      return await runQualityPlan(plan, compilePlan(plan, duckdb, { database, asOf: AS_OF }), engine, { now: new Date(`${AS_OF}T06:00:00Z`) });
    } finally {
      engine.close();
    }
  };

  it('on partitions registered in the metastore', async () => {
    const plan = planQuality(contract);
    const statements = compilePlan(plan, athena, { database: 'telemetry', asOf: AS_OF });
    expect(new Set(statements.map((s) => s.kind))).toEqual(new Set(['aggregate', 'sql', 'reference']));
    const report = await runQualityPlan(plan, statements, new TrinoClient(tier.endpoint!, { schema: 'telemetry' }), { now: new Date(`${AS_OF}T06:00:00Z`) });
    expect(report.statements.filter((s) => s.error).map((s) => `${s.id}: ${s.error}`)).toEqual([]);
    const local = await onDuckDb();
    expect(verdicts(report)).toEqual(verdicts(local));
    // Both verdicts occur, and the latest-scoped checks measured something.
    expect(report.summary.passed).toBeGreaterThan(0);
    expect(report.summary.failed).toBeGreaterThan(0);
    expect(report.results.find((r) => r.name === 'recent_rows')?.value).toBe(80);
  });

  it('with Athena partition projection: the same verdicts, the retention check included', async () => {
    // The retention SLA is 3 days and the data is older: a projection range that ended at the
    // retention window would hide every row, and the retention check would pass unmeasured.
    const plan = planQuality(contract);
    const statements = compilePlan(plan, athena, { database: 'telemetry', asOf: AS_OF });
    const report = await runQualityPlan(plan, statements, new TrinoClient(tier.endpoint!, { catalog: 'projected', schema: 'telemetry' }), { now: new Date(`${AS_OF}T06:00:00Z`) });
    expect(report.statements.filter((s) => s.error).map((s) => `${s.id}: ${s.error}`)).toEqual([]);
    expect(verdicts(report)).toEqual(verdicts(await onDuckDb()));
    expect(report.results.find((r) => r.id === 'events.day.retention')?.status).toBe('fail');
  });
});
