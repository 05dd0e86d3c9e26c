/**
 * Every rule type on real Parquet data with known defects. The expected numbers are computed here
 * in TypeScript from the rows themselves, not by the planner or any SQL; DuckDB only writes the
 * files. Then the same checks over the example mesh's sample data must find exactly its documented
 * defects.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../lib/contract/load.js';
import type { DataContract } from '../../lib/contract/model.js';
import { DuckDbEngine } from '../../lib/engines/duckdb.js';
import { registerContractData } from '../../lib/engines/local-data.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { compilePlan } from '../../lib/quality/compile.js';
import { duckdb } from '../../lib/quality/duckdb-dialect.js';
import { planQuality } from '../../lib/quality/plan.js';
import { runQualityPlan, type QualityReport } from '../../lib/quality/run.js';
import { generateSampleData } from '../../mesh/generator/generate.js';
import { root } from '../unit/constructs/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-quality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'];
interface Event {
  id: string;
  kind: string;
  email: string | null;
  score: number;
  code: string;
  source_id: string;
  ts: string;
  day: string;
}
const events: Event[] = Array.from({ length: 200 }, (_, i) => ({
  id: `E${String(i % 50 === 49 ? i - 1 : i).padStart(4, '0')}`,
  kind: i % 37 === 0 ? 'zzz' : ['a', 'b', 'c'][i % 3]!,
  email: i % 23 === 0 ? null : i % 29 === 0 ? '' : i % 31 === 0 ? 'not-an-email' : `u${i}@example.com`,
  score: i % 41 === 0 ? 120 : i % 43 === 0 ? -1 : i % 100,
  code: i % 47 === 0 ? 'ABCD' : 'ABC',
  source_id: i % 53 === 0 ? 'S9' : ['S1', 'S2', 'S3'][i % 3]!,
  ts: `${DAYS[i % 5]!} 12:00:00`,
  day: DAYS[i % 5]!,
}));
const sources = [{ source_id: 'S1' }, { source_id: 'S2' }, { source_id: 'S3' }];

// Independent expectations.
const count = (p: (e: Event) => boolean): number => events.filter(p).length;
const expected = {
  rows: events.length,
  duplicateIds: events.length - new Set(events.map((e) => e.id)).size,
  invalidKinds: count((e) => !['a', 'b', 'c'].includes(e.kind)),
  nullEmails: count((e) => e.email === null),
  missingEmailsPercent: (count((e) => e.email === null || e.email === '') / events.length) * 100,
  badEmailPattern: count((e) => e.email !== null && !/^[a-z0-9]+@example\.com$/.test(e.email)),
  scoreAbove: count((e) => e.score > 100),
  scoreBelow: count((e) => e.score < 0),
  longCodes: count((e) => e.code.length > 3),
  orphans: count((e) => !sources.some((s) => s.source_id === e.source_id)),
};

const contractText = `apiVersion: v3.1.0
kind: DataContract
id: events
version: 1.0.0
status: active
domain: telemetry
team: {name: t, members: [{username: a, role: Owner}]}
support: [{channel: "#t"}]
schema:
  - name: events
    physicalType: table
    relationships:
      - type: foreignKey
        from: [events.source_id]
        to: [sources.source_id]
    quality:
      - {name: row_count, metric: rowCount, mustBeBetween: [100, 300]}
      - {name: id_unique, metric: duplicateValues, arguments: {properties: [id]}, mustBe: 0}
      - {name: no_negative_scores, type: sql, query: 'SELECT count(*) FROM \${table} WHERE score < 0', mustBe: 0}
    properties:
      - {name: id, logicalType: string, required: true, primaryKey: true, primaryKeyPosition: 1, classification: internal}
      - name: kind
        logicalType: string
        classification: public
        quality: [{name: kind_known, metric: invalidValues, arguments: {validValues: [a, b, c]}, mustBe: 0}]
      - name: email
        logicalType: string
        classification: restricted
        quality:
          - {name: email_present, metric: nullValues, mustBe: 0}
          - {name: email_mostly_there, metric: missingValues, arguments: {missingValues: [null, '']}, unit: percent, mustBeLessThan: 10}
          - {name: email_format, metric: invalidValues, arguments: {pattern: '^[a-z0-9]+@example\\.com$'}, mustBe: 0}
      - {name: score, logicalType: integer, physicalType: int, logicalTypeOptions: {minimum: 0, maximum: 100}, classification: internal}
      - {name: code, logicalType: string, logicalTypeOptions: {minLength: 3, maxLength: 3}, classification: public}
      - {name: source_id, logicalType: string, classification: public}
      - {name: ts, logicalType: timestamp, classification: internal}
      - {name: day, logicalType: date, partitioned: true, partitionKeyPosition: 1, classification: internal}
  - name: sources
    physicalType: table
    properties:
      - {name: source_id, logicalType: string, classification: public}
slaProperties:
  - {property: latency, value: 1, unit: d, element: events.ts}
  - {property: retention, value: 3, unit: d, element: events.day}
`;

let contract: DataContract;
async function run(now: string): Promise<QualityReport> {
  const engine = await DuckDbEngine.create();
  try {
    const plan = planQuality(contract);
    const { database } = await registerContractData(engine, contract, join(dir, 'data'));
    return await runQualityPlan(plan, compilePlan(plan, duckdb, { database, asOf: now.slice(0, 10) }), engine, { now: new Date(now) });
  } finally {
    engine.close();
  }
}

beforeAll(async () => {
  const loaded = loadContract(contractText, 'events.odcs.yaml');
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  contract = loaded.contract!;
  mkdirSync(join(dir, 'data', 'sources'), { recursive: true });
  writeFileSync(join(dir, 'events.json'), events.map((e) => JSON.stringify(e)).join('\n'));
  writeFileSync(join(dir, 'sources.json'), sources.map((e) => JSON.stringify(e)).join('\n'));
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`CREATE TABLE e AS SELECT id, kind, email, score::INTEGER AS score, code, source_id, ts::TIMESTAMP AS ts, day::DATE AS day FROM read_json('${join(dir, 'events.json')}')`);
  await c.run(`COPY e TO '${join(dir, 'data', 'events')}' (FORMAT PARQUET, PARTITION_BY (day))`);
  await c.run(`COPY (SELECT * FROM read_json('${join(dir, 'sources.json')}')) TO '${join(dir, 'data', 'sources', 'data_0.parquet')}' (FORMAT PARQUET)`);
  c.closeSync();
  db.closeSync();
});

describe('every rule type against independently computed expectations', () => {
  let report: QualityReport;
  beforeAll(async () => {
    report = await run('2026-11-25T06:00:00Z');
  });
  const result = (name: string) => {
    const r = report.results.find((x) => x.name === name);
    if (!r) throw new Error(`no result named '${name}' among ${report.results.map((x) => x.name).join(', ')}`);
    return r;
  };

  it('rowCount with mustBeBetween', () => {
    expect(result('row_count')).toMatchObject({ value: expected.rows, status: 'pass' });
  });
  it('duplicateValues across properties (surplus rows)', () => {
    expect(expected.duplicateIds).toBeGreaterThan(0);
    expect(result('id_unique')).toMatchObject({ value: expected.duplicateIds, status: 'fail' });
  });
  it('invalidValues with validValues', () => {
    expect(result('kind_known')).toMatchObject({ value: expected.invalidKinds, status: 'fail' });
  });
  it('nullValues', () => {
    expect(result('email_present')).toMatchObject({ value: expected.nullEmails, status: 'fail' });
  });
  it('missingValues in percent', () => {
    const r = result('email_mostly_there');
    expect(r.value).toBeCloseTo(expected.missingEmailsPercent, 10);
    expect(r.status).toBe(expected.missingEmailsPercent < 10 ? 'pass' : 'fail');
  });
  it('invalidValues with a pattern (nulls are not invalid)', () => {
    expect(result('email_format')).toMatchObject({ value: expected.badEmailPattern, status: 'fail' });
  });
  it('sql rules', () => {
    expect(result('no_negative_scores')).toMatchObject({ value: expected.scoreBelow, status: 'fail' });
  });
  it('logicalTypeOptions minimum and maximum', () => {
    expect(result('score >= 0')).toMatchObject({ value: expected.scoreBelow });
    expect(result('score <= 100')).toMatchObject({ value: expected.scoreAbove, status: 'fail' });
  });
  it('logicalTypeOptions minLength and maxLength', () => {
    expect(result('length(code) >= 3')).toMatchObject({ value: 0, status: 'pass' });
    expect(result('length(code) <= 3')).toMatchObject({ value: expected.longCodes, status: 'fail' });
  });
  it('required and primary key', () => {
    expect(result('id is never null (required)')).toMatchObject({ value: 0, status: 'pass' });
  });
  it('relationships inside the contract (anti-join)', () => {
    const r = report.results.find((x) => x.kind === 'reference')!;
    expect(r).toMatchObject({ value: expected.orphans, status: 'fail' });
  });
  it('latency SLA from the newest timestamp', () => {
    const r = result('latency: newest ts at most 1d old');
    expect(r.value).toBe(Date.parse('2026-11-25T06:00:00Z') - Date.parse('2026-11-24T12:00:00Z'));
    expect(r.status).toBe('pass');
  });
  it('retention SLA from the oldest date (a day counts as complete at its end)', () => {
    const r = result('retention: oldest day at most 3d old');
    expect(r.value).toBe(Date.parse('2026-11-25T06:00:00Z') - Date.parse('2026-11-21T00:00:00Z'));
    expect(r.status).toBe('fail');
  });
  it('runs all aggregates of a table in one statement', () => {
    const aggregates = report.statements.filter((s) => s.kind === 'aggregate');
    // sources has no checks of its own: it is only read by the reference check.
    expect(aggregates.map((s) => s.id)).toEqual(['events.aggregate']);
    expect(report.rowsScanned).toBe(events.length);
  });
  it('fails the latency SLA when the data is older than allowed', async () => {
    const later = await run('2026-11-27T00:00:00Z');
    expect(later.results.find((x) => x.name === 'latency: newest ts at most 1d old')?.status).toBe('fail');
  });
});

describe('the example mesh sample data', () => {
  it('fails exactly the checks its documented defects break', async () => {
    const out = join(dir, 'sample');
    const asOf = '2026-11-25';
    const manifest = await generateSampleData({ meshDir: join(root, 'mesh'), outDir: out, asOf });
    const { mesh } = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
    const failing: string[] = [];
    for (const product of mesh!.products) {
      const engine = await DuckDbEngine.create();
      try {
        const plan = planQuality(product.contract);
        const { database } = await registerContractData(engine, product.contract, out);
        const report = await runQualityPlan(plan, compilePlan(plan, duckdb, { database, asOf }), engine, { now: new Date(`${asOf}T08:00:00Z`) });
        expect(report.summary.errors, JSON.stringify(report.results.filter((r) => r.status === 'error'))).toBe(0);
        for (const r of report.results) if (r.status === 'fail') failing.push(`${r.table}.${r.column ?? '*'}:${r.value}`);
      } finally {
        engine.close();
      }
    }
    const byKind = new Map(manifest.defects.map((d) => [d.kind, d]));
    const nulls = byKind.get('nulls')!;
    const invalid = byKind.get('invalid-value')!;
    const outOfRange = byKind.get('out-of-range')!;
    const duplicates = byKind.get('duplicates')!;
    const stale = byKind.get('stale-partition')!;
    expect(failing.sort()).toEqual(
      [
        `${nulls.table}.${nulls.column}:${nulls.count}`,
        `${invalid.table}.${invalid.column}:${invalid.count}`,
        // the sql rule and logicalTypeOptions.minimum both see the negative quantities
        `${outOfRange.table}.*:${outOfRange.count}`,
        `${outOfRange.table}.${outOfRange.column}:${outOfRange.count}`,
        `${duplicates.table}.*:${duplicates.count}`,
        // stale partition: the newest snapshot is count+1 days before as-of; a day is complete at its end
        `${stale.table}.${stale.column}:${Date.parse(`${asOf}T08:00:00Z`) - (Date.parse(`${asOf}T00:00:00Z`) - stale.count * 86_400_000)}`,
      ].sort(),
    );
  });
});
