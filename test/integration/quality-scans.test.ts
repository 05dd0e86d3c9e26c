/**
 * "One statement, one scan per table": every aggregate statement the DuckDB dialect compiles reads
 * its table's files once, counted in DuckDB's own physical plan (EXPLAIN), also when the table has
 * several DISTINCT-based (duplicates) measures; the Athena statement is one SELECT over one table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../lib/contract/load.js';
import { DuckDbEngine } from '../../lib/engines/duckdb.js';
import { registerContractData } from '../../lib/engines/local-data.js';
import { compilePlan } from '../../lib/quality/compile.js';
import { athena } from '../../lib/quality/dialects.js';
import { duckdb } from '../../lib/quality/duckdb-dialect.js';
import { planQuality } from '../../lib/quality/plan.js';
import { runQualityPlan } from '../../lib/quality/run.js';
import { writeParquet } from '../support/parquet.js';
import { contractHeader } from '../support/contract-text.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-scans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const contract = loadContract(
  `${contractHeader('keys', 'keys')}schema:
  - name: pairs
    physicalType: table
    quality:
      - {name: pair_unique, metric: duplicateValues, arguments: {properties: [a, b]}, mustBe: 0}
    properties:
      - {name: a, logicalType: string, unique: true, required: true, classification: public}
      - {name: b, logicalType: string, unique: true, classification: public}
      - {name: n, logicalType: integer, physicalType: int, logicalTypeOptions: {minimum: 0}, classification: public}
`,
  'keys.odcs.yaml',
).contract!;

beforeAll(async () => {
  await writeParquet({ [join(dir, 'keys', 'pairs', 'data.parquet')]: "SELECT 'A' || (i % 4) AS a, 'B' || (i % 5) AS b, CAST(i - 1 AS INTEGER) AS n FROM range(10) t(i)" });
});

function readsOfFiles(plan: unknown): number {
  if (Array.isArray(plan)) return plan.reduce((n: number, p) => n + readsOfFiles(p), 0);
  const node = plan as { name?: string; children?: unknown[] };
  return (node.name === 'READ_PARQUET' ? 1 : 0) + readsOfFiles(node.children ?? []);
}

describe('one scan per table', () => {
  it('reads the files once for all aggregate checks, three DISTINCT measures included, and measures them right', async () => {
    const engine = await DuckDbEngine.create();
    try {
      const plan = planQuality(contract);
      const { database } = await registerContractData(engine, contract, dir);
      const statements = compilePlan(plan, duckdb, { database, asOf: '2026-11-25' }).filter((s) => s.kind === 'aggregate');
      expect(statements).toHaveLength(1);
      const explained = await engine.run(`EXPLAIN (FORMAT JSON) ${statements[0]!.sql}`);
      expect(readsOfFiles(JSON.parse(String(explained.rows[0]![1])))).toBe(1);
      const report = await runQualityPlan(plan, statements, engine, { now: new Date('2026-11-25T00:00:00Z') });
      const value = (id: string) => report.results.find((r) => r.id === id)?.value;
      // 10 rows; a takes 4 values (6 surplus rows), b 5 values (5 surplus); i % 4 and i % 5 repeat
      // together only every 20 rows, so no (a, b) pair repeats; n = -1 once.
      expect([value('pairs.a.unique'), value('pairs.b.unique'), value('pairs.*.duplicateValues'), value('pairs.n.minimum')]).toEqual([6, 5, 0, 1]);
    } finally {
      engine.close();
    }
  });

  it('gives Athena one SELECT over the table', () => {
    const [statement] = compilePlan(planQuality(contract), athena, { database: 'keys', asOf: '2026-11-25' });
    expect(statement!.sql.match(/ FROM "keys"\."pairs"/g)).toHaveLength(1);
    expect(statement!.sql).not.toMatch(/CROSS JOIN|WITH /);
  });
});
