/**
 * The SQL each quality measure and condition compiles to, written out by hand for Athena (Trino)
 * and DuckDB. Function signatures are the engines' own:
 * - Trino `regexp_like(string, pattern)`: https://trino.io/docs/current/functions/regexp.html
 * - DuckDB `regexp_matches(string, regex)`: https://duckdb.org/docs/stable/sql/functions/regular_expressions
 * - Trino `TIMESTAMP 'YYYY-MM-DD HH:MM:SS[.fff]'` literals: https://trino.io/docs/current/language/types.html#timestamp
 */
import { describe, expect, it } from 'vitest';
import { compilePlan, conditionSql } from '../../lib/quality/compile.js';
import { athena, quoteIdent, sqlLiteral } from '../../lib/quality/dialects.js';
import { duckdb } from '../../lib/quality/duckdb-dialect.js';
import type { AggregateCheck, Measure, QualityPlan, Scope } from '../../lib/quality/plan-types.js';

const options = { database: 'shop', asOf: '2026-11-25' };

function check(id: string, measure: Measure, scope: Scope = { kind: 'full' }): AggregateCheck {
  return { id, name: id, table: 'orders', physicalTable: 'orders', dimension: 'completeness', severity: 'error', source: 'contract', kind: 'aggregate', measure, scope, threshold: { operator: 'mustBe', value: 0 }, unit: 'rows' };
}

function plan(...checks: AggregateCheck[]): QualityPlan {
  return { product: 'p', version: '1.0.0', domain: 'd', tables: [{ table: 'orders', physicalTable: 'orders', checks }], skipped: [] };
}

describe('literals', () => {
  it('writes TIMESTAMP literals with their time of day, and dates at midnight', () => {
    expect(sqlLiteral({ kind: 'timestamp', value: '2026-11-25T13:45:07Z' })).toBe("TIMESTAMP '2026-11-25 13:45:07'");
    expect(sqlLiteral({ kind: 'timestamp', value: '2026-11-25 13:45:07.125' })).toBe("TIMESTAMP '2026-11-25 13:45:07.125'");
    expect(sqlLiteral({ kind: 'timestamp', value: '2026-11-25T13:45:07+00:00' })).toBe("TIMESTAMP '2026-11-25 13:45:07'");
    expect(sqlLiteral({ kind: 'timestamp', value: '2026-11-25T13:45:07-0000' })).toBe("TIMESTAMP '2026-11-25 13:45:07'");
    expect(sqlLiteral({ kind: 'timestamp', value: '2026-11-25T13:45:07.123456789' })).toBe("TIMESTAMP '2026-11-25 13:45:07.123456789'");
    expect(sqlLiteral({ kind: 'timestamp', value: '2026-11-25' })).toBe("TIMESTAMP '2026-11-25 00:00:00'");
  });

  it('refuses timestamps that are not UTC or not timestamps, naming the value', () => {
    expect(() => sqlLiteral({ kind: 'timestamp', value: '2026-11-25T13:45:07+02:00' })).toThrow('not a UTC timestamp (YYYY-MM-DD HH:MM:SS): "2026-11-25T13:45:07+02:00"');
    expect(() => sqlLiteral({ kind: 'timestamp', value: 'x2026-11-25T13:45:07' })).toThrow(/not a UTC timestamp/);
    expect(() => sqlLiteral({ kind: 'timestamp', value: '2026-11-25T13:45:07Zx' })).toThrow(/not a UTC timestamp/);
    expect(() => sqlLiteral({ kind: 'timestamp', value: '2026-11-25T13:45' })).toThrow(/not a UTC timestamp/);
    expect(() => sqlLiteral({ kind: 'timestamp', value: '2026-11-25T13:45:07.' })).toThrow(/not a UTC timestamp/);
    expect(() => sqlLiteral({ kind: 'timestamp', value: '2026-11-25T13:45:07.1234567890' })).toThrow(/not a UTC timestamp/);
    expect(() => sqlLiteral({ kind: 'timestamp', value: '2026-11-25x' })).toThrow(/not a UTC timestamp/);
  });

  it('writes dates, numbers, strings and NULL, escaping quotes', () => {
    expect(sqlLiteral({ kind: 'date', value: '2026-01-31' })).toBe("DATE '2026-01-31'");
    expect(() => sqlLiteral({ kind: 'date', value: '2026-01-31T00:00:00' })).toThrow('not a date (YYYY-MM-DD): "2026-01-31T00:00:00"');
    expect(() => sqlLiteral({ kind: 'date', value: ' 2026-01-31' })).toThrow(/not a date/);
    expect(() => sqlLiteral({ kind: 'date', value: '2026-1-31' })).toThrow(/not a date/);
    expect(sqlLiteral({ kind: 'number', value: -2.5 })).toBe('-2.5');
    expect(() => sqlLiteral({ kind: 'number', value: Number.NaN })).toThrow('not a finite number: NaN');
    expect(() => sqlLiteral({ kind: 'number', value: Number.POSITIVE_INFINITY })).toThrow(/not a finite number/);
    expect(sqlLiteral({ kind: 'string', value: "O'Brien" })).toBe("'O''Brien'");
    expect(() => sqlLiteral({ kind: 'string', value: 'a\u0000b' })).toThrow('string literal contains a NUL character: "a\\u0000b"');
    expect(sqlLiteral({ kind: 'null' })).toBe('NULL');
  });

  it('quotes identifiers, doubling inner quotes, and refuses NUL', () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(() => quoteIdent('a\u0000')).toThrow('identifier contains a NUL character: "a\\u0000"');
    expect(athena.table('shop', 'order lines')).toBe('"shop"."order lines"');
    expect(duckdb.table('shop', 'order lines')).toBe('"shop"."order lines"');
  });
});

describe('conditions', () => {
  it('matches a pattern with the value first and the pattern second, in each engine', () => {
    const mismatch = { op: 'regexMismatch', column: 'code', pattern: "^[A-Z]{3}'$" } as const;
    expect(conditionSql(mismatch, athena)).toBe(`"code" IS NOT NULL AND NOT regexp_like("code", '^[A-Z]{3}''$')`);
    expect(conditionSql(mismatch, duckdb)).toBe(`"code" IS NOT NULL AND NOT regexp_matches("code", '^[A-Z]{3}''$')`);
  });

  it('writes each condition', () => {
    expect(conditionSql({ op: 'isNull', column: 'a' }, athena)).toBe('"a" IS NULL');
    expect(conditionSql({ op: 'notNull', column: 'a' }, athena)).toBe('"a" IS NOT NULL');
    expect(conditionSql({ op: 'in', column: 'a', values: [{ kind: 'string', value: 'x' }, { kind: 'number', value: 2 }] }, athena)).toBe(`"a" IN ('x', 2)`);
    expect(conditionSql({ op: 'in', column: 'a', values: [] }, athena)).toBe('FALSE');
    expect(conditionSql({ op: 'compare', column: 'a', comparator: '>=', value: { kind: 'number', value: 3 } }, athena)).toBe('"a" >= 3');
    expect(conditionSql({ op: 'compare', column: 'a', comparator: '<', value: { kind: 'number', value: 3 }, length: true }, athena)).toBe('length("a") < 3');
    expect(conditionSql({ op: 'not', condition: { op: 'isNull', column: 'a' } }, athena)).toBe('NOT ("a" IS NULL)');
    expect(conditionSql({ op: 'and', conditions: [{ op: 'isNull', column: 'a' }, { op: 'isNull', column: 'b' }] }, athena)).toBe('("a" IS NULL) AND ("b" IS NULL)');
    expect(conditionSql({ op: 'or', conditions: [{ op: 'isNull', column: 'a' }, { op: 'isNull', column: 'b' }] }, athena)).toBe('("a" IS NULL) OR ("b" IS NULL)');
  });
});

describe('measures in one aggregate statement', () => {
  it('writes every measure over the full table', () => {
    const statements = compilePlan(
      plan(
        check('c', { op: 'count' }),
        check('n', { op: 'countIf', condition: { op: 'isNull', column: 'a' } }),
        check('d1', { op: 'duplicates', columns: ['a'] }),
        check('d2', { op: 'duplicates', columns: ['a', 'b'] }),
        check('mx', { op: 'max', column: 'at' }),
        check('mn', { op: 'min', column: 'at' }),
      ),
      athena,
      options,
    );
    expect(statements.map((s) => s.sql)).toEqual([
      'SELECT count(*) AS "rows", count(*) AS "m1", count_if("a" IS NULL) AS "m2", ' +
        '(count_if("a" IS NOT NULL) - count(DISTINCT CASE WHEN "a" IS NOT NULL THEN "a" END)) AS "m3", ' +
        '(count_if("a" IS NOT NULL AND "b" IS NOT NULL) - count(DISTINCT CASE WHEN "a" IS NOT NULL AND "b" IS NOT NULL THEN ROW("a", "b") END)) AS "m4", ' +
        'max("at") AS "m5", min("at") AS "m6" FROM "shop"."orders"',
    ]);
  });

  it('limits measures of the newest partitions with a condition, and prunes when every check is limited', () => {
    const latest: Scope = { kind: 'latest', partitionColumn: 'day', days: 3 };
    // 2026-11-25 minus 3 days.
    const since = `"day" >= DATE '2026-11-22'`;
    const mixed = compilePlan(plan(check('all', { op: 'count' }), check('n', { op: 'countIf', condition: { op: 'isNull', column: 'a' } }, latest), check('mx', { op: 'max', column: 'at' }, latest)), athena, options);
    expect(mixed[0]!.sql).toBe(`SELECT count(*) AS "rows", count_if(${since}) AS "rows_latest_day_3", count(*) AS "m1", count_if((${since}) AND ("a" IS NULL)) AS "m2", max(CASE WHEN ${since} THEN "at" END) AS "m3" FROM "shop"."orders"`);
    const onlyLatest = compilePlan(plan(check('c', { op: 'count' }, latest), check('mn', { op: 'min', column: 'at' }, latest)), athena, options);
    expect(onlyLatest[0]!.sql).toBe(`SELECT count(*) AS "rows_latest_day_3", count_if(${since}) AS "m1", min(CASE WHEN ${since} THEN "at" END) AS "m2" FROM "shop"."orders" WHERE ${since}`);
  });
});
