/**
 * What DuckDB measures for a contract's quality plan over local sample data: the report `tessera
 * test` would print, and each statement's rows as text, keyed by statement id (the shape Athena's
 * GetQueryResults returns). The quality handler tests judge Athena's side against it.
 */
import type { DataContract } from '../../lib/contract/model.js';
import { DuckDbEngine } from '../../lib/engines/duckdb.js';
import { registerContractData } from '../../lib/engines/local-data.js';
import { compilePlan } from '../../lib/quality/compile.js';
import { duckdb } from '../../lib/quality/duckdb-dialect.js';
import { planQuality } from '../../lib/quality/plan.js';
import { runQualityPlan, type QualityReport } from '../../lib/quality/run.js';

export type TextRows = { columns: string[]; rows: (string | null)[][] };

export async function duckdbReference(contract: DataContract, dataDir: string, now: string): Promise<{ report: QualityReport; valuesById: Map<string, TextRows> }> {
  const engine = await DuckDbEngine.create();
  try {
    const plan = planQuality(contract);
    const { database } = await registerContractData(engine, contract, dataDir);
    const statements = compilePlan(plan, duckdb, { database, asOf: now.slice(0, 10) });
    const report = await runQualityPlan(plan, statements, engine, { now: new Date(now) });
    const valuesById = new Map<string, TextRows>();
    for (const s of statements) {
      const r = await engine.run(s.sql);
      valuesById.set(s.id, { columns: [...r.columns], rows: r.rows.map((row) => row.map((v) => (v === null ? null : String(v)))) });
    }
    return { report, valuesById };
  } finally {
    engine.close();
  }
}
