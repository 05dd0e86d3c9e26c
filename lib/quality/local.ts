/**
 * A contract's quality checks on local Parquet data with DuckDB: plan, register the product's tables
 * under their Athena names (comparing the files' schema with the contract's), compile to DuckDB's
 * dialect, run; schema drift leads the report as failed checks naming the column. `tessera test` and the local catalog
 * of the demo share it.
 */
import type { DataContract } from '../contract/model.js';
import { DuckDbEngine } from '../engines/duckdb.js';
import { registerContractData } from '../engines/local-data.js';
import { compilePlan } from './compile.js';
import { duckdb } from './duckdb-dialect.js';
import { planQuality } from './plan.js';
import { driftResults } from './drift.js';
import { runQualityPlan, withResults, type QualityReport } from './run.js';

/** Throws `LocalDataError` when the data is missing and `PlanError` when the contract cannot be planned. */
export async function runLocalQuality(contract: DataContract, dataPath: string, now: Date): Promise<QualityReport> {
  const engine = await DuckDbEngine.create();
  try {
    const plan = planQuality(contract);
    const { database, tables } = await registerContractData(engine, contract, dataPath);
    const statements = compilePlan(plan, duckdb, { database, asOf: now.toISOString().slice(0, 10) });
    const report = await runQualityPlan(plan, statements, engine, { now });
    // Drift first: a column the files lack or store as another type explains the checks that follow.
    const sources = tables.map((t) => ({ table: t.table, path: t.path, files: t.fileList, bytes: t.bytes }));
    return { ...withResults(report, driftResults(tables.flatMap((t) => t.drift))), sources };
  } finally {
    engine.close();
  }
}
