/**
 * Every quality statement Tessera sends to Athena, run on Trino over the example mesh's sample
 * data, against the DuckDB dialect's statements on DuckDB over the same files: the same result for
 * every check, value by value, once with partitions registered in the metastore and once with
 * Athena partition projection.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DuckDbEngine } from '../../lib/engines/duckdb.js';
import { registerContractData } from '../../lib/engines/local-data.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { compilePlan } from '../../lib/quality/compile.js';
import { athena } from '../../lib/quality/dialects.js';
import { duckdb } from '../../lib/quality/duckdb-dialect.js';
import { planQuality } from '../../lib/quality/plan.js';
import { runQualityPlan, type QualityReport } from '../../lib/quality/run.js';
import { verdicts } from '../support/compare.js';
import { TrinoClient } from '../support/trino.js';
import { trinoReady } from './ready.js';
import { root } from '../unit/constructs/helpers.js';

const tier = inject('trino');

describe.skipIf(tier.skip !== undefined)('quality statements: Trino (Athena dialect) agrees with DuckDB (DuckDB dialect)', async () => {
  const { mesh } = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
  beforeAll(() => trinoReady(tier), 900_000);
  const asOf = tier.asOf!;
  const now = new Date(`${asOf}T08:00:00Z`);
  describe.each(mesh!.products.map((p) => [p.contract.id, p] as const))('%s', (_, product) => {
    const plan = planQuality(product.contract);
    let local: QualityReport;
    const duckReport = async (): Promise<QualityReport> => {
      if (local) return local;
      const engine = await DuckDbEngine.create();
      try {
        const { database } = await registerContractData(engine, product.contract, tier.dataRoot!);
        local = await runQualityPlan(plan, compilePlan(plan, duckdb, { database, asOf }), engine, { now });
        return local;
      } finally {
        engine.close();
      }
    };
    it.each(['awsdatacatalog', 'projected'])('catalog %s', async (catalog) => {
      const database = product.domain;
      const statements = compilePlan(plan, athena, { database, asOf });
      // The quality service runs every statement with the domain's database as the query's
      // context (QueryExecutionContext, constructs/quality-service.ts): contract `sql` rules may
      // name their table bare. The session schema is Trino's equivalent.
      const report = await runQualityPlan(plan, statements, new TrinoClient(tier.endpoint!, { catalog, schema: database }), { now });
      expect(report.statements.filter((s) => s.error).map((s) => `${s.id}: ${s.error}\n${s.sql}`)).toEqual([]);
      expect(report.summary.errors).toBe(0);
      const expected = await duckReport();
      expect(verdicts(report)).toEqual(verdicts(expected));
      expect(report.rowsScanned).toBe(expected.rowsScanned);
    });
  });
});
