import { describe, expect, it } from 'vitest';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { compilePlan } from '../../lib/quality/compile.js';
import { athena, type SqlDialect } from '../../lib/quality/dialects.js';
import { duckdb } from '../../lib/quality/duckdb-dialect.js';
import { meetsThreshold } from '../../lib/quality/evaluate.js';
import { PlanError, planQuality } from '../../lib/quality/plan.js';
import { checkReadOnlySelect, parsesAsTrino } from '../../lib/quality/sql-guard.js';
import { contractFrom, readRepoFile, root } from './constructs/helpers.js';

const widgets = readRepoFile('test/fixtures/contracts/valid/widgets.odcs.yaml');
const options = { database: 'catalog', asOf: '2026-11-25' };

describe('the example mesh plans', async () => {
  const { mesh } = await loadMeshFile(`${root}/mesh/mesh.yaml`);
  const products = mesh!.products;

  it.each(products.map((p) => [p.contract.id, p] as const))('%s: exactly one aggregate statement per table, in both dialects', (_id, product) => {
    const plan = planQuality(product.contract);
    for (const dialect of [athena, duckdb]) {
      const statements = compilePlan(plan, dialect, { database: product.domain, asOf: '2026-11-25' });
      for (const table of product.contract.tables) {
        expect(statements.filter((s) => s.kind === 'aggregate' && s.table === table.name)).toHaveLength(1);
      }
    }
  });

  it('emits only statements a Trino parser accepts, for every product (Athena dialect)', () => {
    for (const product of products) {
      const statements = compilePlan(planQuality(product.contract), athena, { database: product.domain, asOf: '2026-11-25' });
      for (const s of statements) expect(parsesAsTrino(s.sql), `${s.id}: ${s.sql}`).toEqual({ ok: true });
    }
  });

  it('plans every contract rule (nothing silently dropped)', () => {
    for (const product of products) {
      const plan = planQuality(product.contract);
      const named = new Set(plan.tables.flatMap((t) => t.checks.map((c) => c.name)));
      const rules = product.contract.tables.flatMap((t) => [...t.quality, ...t.columns.flatMap((c) => c.quality)]);
      for (const rule of rules) expect(named.has(rule.name!) || plan.skipped.some((s) => s.name === rule.name), `${product.contract.id}: ${rule.name}`).toBe(true);
    }
  });
});

describe('compilePlan', () => {
  it('fuses every aggregate of a table into one SELECT and computes a shared measure once', () => {
    const plan = planQuality(contractFrom(widgets));
    const [statement, ...rest] = compilePlan(plan, athena, options);
    expect(rest).toEqual([]);
    expect(statement!.sql.startsWith('SELECT count(*) AS "rows", ')).toBe(true);
    expect(statement!.sql.endsWith(' FROM "catalog"."widgets"')).toBe(true);
    // widget_id is both required and the primary key: one null count serves both checks.
    const nullCounts = statement!.sql.match(/count_if\("widget_id" IS NULL\)/g) ?? [];
    expect(nullCounts).toHaveLength(1);
  });

  it('gives DuckDB a sub-select per DISTINCT measure over one materialized read of the table, and Athena one SELECT', () => {
    const plan = planQuality(contractFrom(widgets));
    const [local, ...moreLocal] = compilePlan(plan, duckdb, options);
    const [remote] = compilePlan(plan, athena, options);
    expect(moreLocal).toEqual([]);
    expect(local!.sql).toMatch(/^WITH "scan" AS MATERIALIZED \(SELECT .* FROM "catalog"\."widgets"\) SELECT \* FROM \(SELECT count\(\*\) AS "rows", .* FROM "scan"\) AS q0 CROSS JOIN \(SELECT \(count\(\*\) FILTER \(WHERE "widget_id" IS NOT NULL\) - count\(DISTINCT/);
    expect(local!.sql.match(/"catalog"\."widgets"/g)).toHaveLength(1);
    expect(remote!.sql).not.toContain('CROSS JOIN');
    expect(local!.outputs.map((o) => o.alias)).toEqual(remote!.outputs.map((o) => o.alias));
  });

  it("splits a table's aggregates only when the text would pass the statement limit", () => {
    const columns = Array.from({ length: 40 }, (_, i) => `      - name: c${i}\n        logicalType: string\n        logicalTypeOptions: {pattern: '^${'x'.repeat(200)}$', maxLength: 300}\n        classification: public\n`).join('');
    const text = widgets.replace('      - name: created_at\n', () => `${columns}      - name: created_at\n`);
    const plan = planQuality(contractFrom(text));
    const tiny: SqlDialect = { ...athena, maxStatementBytes: 4000 };
    const split = compilePlan(plan, tiny, options);
    expect(split.length).toBeGreaterThan(1);
    for (const s of split) expect(Buffer.byteLength(s.sql)).toBeLessThanOrEqual(4000);
    // Every check is computed exactly once across the chunks.
    const served = split.flatMap((s) => s.outputs.flatMap((o) => o.checks));
    expect(new Set(served).size).toBe(served.length);
    expect(new Set(served)).toEqual(new Set(plan.tables[0]!.checks.map((c) => c.id)));
    expect(compilePlan(plan, athena, options)).toHaveLength(1);
  });

  it('escapes literals and quotes identifiers, so contract text cannot change the statement', () => {
    const evil = "x'); DROP TABLE widgets; --";
    const text = widgets.replace('validValues: [red, green, blue]', `validValues: [red, "${evil}"]`).replace('physicalType: table', 'physicalType: table');
    const [statement] = compilePlan(planQuality(contractFrom(text)), athena, options);
    expect(statement!.sql).toContain(`'x''); DROP TABLE widgets; --'`);
    expect(parsesAsTrino(statement!.sql)).toEqual({ ok: true });
  });

  it('restricts a table to its newest partitions with WHERE when every check asks for scope latest', () => {
    const text = widgets
      .replace('      - metric: rowCount\n        mustBeGreaterThan: 0\n', '      - metric: rowCount\n        mustBeGreaterThan: 0\n        customProperties: [{property: scope, value: latest}]\n')
      .replace(/\n {8}quality:\n {10}- metric: invalidValues\n(?: {12}.*\n)+/, '\n')
      .replace(/ {8}required: true\n {8}primaryKey: true\n {8}primaryKeyPosition: 1\n/, '');
    const contract = contractFrom(text.replace(/\nslaProperties:[\s\S]*$/, '\n'), 'w.yaml', { profile: 'odcs' });
    const [statement] = compilePlan(planQuality(contract), athena, options);
    expect(statement!.sql).toMatch(/ WHERE "created_date" >= DATE '2026-11-24'$/);
  });

  it('refuses scope latest on a uniqueness rule', () => {
    const text = widgets.replace(
      '      - metric: rowCount\n        mustBeGreaterThan: 0\n',
      '      - metric: duplicateValues\n        arguments: {properties: [widget_id]}\n        mustBe: 0\n        customProperties: [{property: scope, value: latest}]\n',
    );
    expect(() => planQuality(contractFrom(text))).toThrow(PlanError);
    expect(() => planQuality(contractFrom(text))).toThrow(/duplicates across days go unseen/);
  });
});

describe('sql rule guard', () => {
  it.each([
    ['SELECT count(*) FROM ${table} WHERE ${column} IS NULL', true],
    ['WITH x AS (SELECT 1 AS a) SELECT count(*) FROM x', true],
    ['select count(*) from {object} where {property} < 0', true],
    ['DELETE FROM widgets', false],
    ['SELECT 1; DROP TABLE widgets', false],
    ['DROP TABLE widgets', false],
    ['INSERT INTO widgets VALUES (1)', false],
    ['SELECT count(*) FROM ${tabel}', false],
    ['', false],
  ])('%s → %s', (query, ok) => {
    expect(checkReadOnlySelect(query).ok).toBe(ok);
  });
});

describe('thresholds (ODCS operators)', () => {
  it.each([
    [{ operator: 'mustBe', value: 0 } as const, 0, true],
    [{ operator: 'mustBe', value: 0 } as const, 1, false],
    [{ operator: 'mustNotBe', value: 0 } as const, 1, true],
    [{ operator: 'mustBeGreaterThan', value: 5 } as const, 5, false],
    [{ operator: 'mustBeGreaterOrEqualTo', value: 5 } as const, 5, true],
    [{ operator: 'mustBeLessThan', value: 5 } as const, 5, false],
    [{ operator: 'mustBeLessOrEqualTo', value: 5 } as const, 5, true],
    [{ operator: 'mustBeBetween', range: [1, 10] } as const, 1, false],
    [{ operator: 'mustBeBetween', range: [1, 10] } as const, 5, true],
    [{ operator: 'mustBeBetween', range: [1, 10] } as const, 10, false],
    [{ operator: 'mustNotBeBetween', range: [1, 10] } as const, 1, true],
    [{ operator: 'mustNotBeBetween', range: [1, 10] } as const, 5, false],
    [{ operator: 'mustNotBeBetween', range: [1, 10] } as const, 11, true],
  ])('%o with %d → %s', (threshold, value, ok) => {
    expect(meetsThreshold(value, threshold)).toBe(ok);
  });
});
