/**
 * A contract's quality checks on local Parquet data with DuckDB: plan, register the product's tables
 * under their Athena names, compile to DuckDB's dialect, run. `tessera test` and the local catalog
 * of the demo share it.
 */
import type { DataContract } from '../contract/model.js';
import { DuckDbEngine } from '../engines/duckdb.js';
import { registerContractData } from '../engines/local-data.js';
import { compilePlan } from './compile.js';
import { duckdb } from './duckdb-dialect.js';
import { planQuality } from './plan.js';
import { runQualityPlan, type QualityReport } from './run.js';

/** Throws `LocalDataError` when the data is missing and `PlanError` when the contract cannot be planned. */
export async function runLocalQuality(contract: DataContract, dataPath: string, now: Date): Promise<QualityReport> {
  const engine = await DuckDbEngine.create();
  try {
    const plan = planQuality(contract);
    const { database } = await registerContractData(engine, contract, dataPath);
    const statements = compilePlan(plan, duckdb, { database, asOf: now.toISOString().slice(0, 10) });
    return await runQualityPlan(plan, statements, engine, { now });
  } finally {
    engine.close();
  }
}
