/**
 * Column lineage derived from SQL: every expectation is written by hand from the SQL and the
 * OpenLineage column lineage facet's definitions (DIRECT IDENTITY / TRANSFORMATION / AGGREGATION,
 * INDIRECT JOIN / GROUP_BY / FILTER / SORT / WINDOW / CONDITIONAL).
 */
import { describe, expect, it } from 'vitest';
import { viewColumnLineage } from '../../lib/lineage/columns.js';
import type { ColumnInput, ViewColumnLineage } from '../../lib/lineage/model.js';
import type { TableCatalog } from '../../lib/lineage/sql-lineage.js';

const TABLES: Record<string, readonly string[]> = { 'd.t': ['a', 'b', 'c', 'd'], 'd.u': ['a', 'x', 'y'], 'e.Mixed': ['Id', 'val'] };
const catalog: TableCatalog = (database, table) => {
  const key = Object.keys(TABLES).find((k) => k.toLowerCase() === `${database}.${table}`.toLowerCase());
  if (!key) return undefined;
  const [db, name] = key.split('.') as [string, string];
  return { database: db, table: name, columns: TABLES[key]! };
};

/** `d.t.a DIRECT IDENTITY` per input and transformation: a compact form to write expectations in. */
function lines(inputs: readonly ColumnInput[]): string[] {
  return inputs.flatMap((i) => i.transformations.map((t) => `${i.database}.${i.table}.${i.column} ${t.type} ${t.subtype}`));
}

function lineage(sql: string): { columns: Record<string, string[]>; dataset: string[] } {
  const l: ViewColumnLineage = viewColumnLineage('v', 'view', sql, catalog);
  return { columns: Object.fromEntries(Object.entries(l.columns).map(([k, v]) => [k, lines(v)])), dataset: lines(l.dataset) };
}

describe('column lineage from SQL', () => {
  it('resolves table aliases, and a column named by its table', () => {
    expect(lineage('SELECT t.a AS x, t.b FROM d.t AS t')).toEqual({ columns: { x: ['d.t.a DIRECT IDENTITY'], b: ['d.t.b DIRECT IDENTITY'] }, dataset: [] });
    expect(lineage('SELECT t.a FROM d.t')).toEqual({ columns: { a: ['d.t.a DIRECT IDENTITY'] }, dataset: [] });
  });

  it('names inputs by their physical spelling whatever case the SQL uses', () => {
    expect(lineage('SELECT m.id, upper(m.VAL) AS v FROM e.mixed AS m')).toEqual({ columns: { id: ['e.Mixed.Id DIRECT IDENTITY'], v: ['e.Mixed.val DIRECT TRANSFORMATION'] }, dataset: [] });
  });

  it('follows nested CTEs back to the base table, an aggregation staying one through later steps', () => {
    const sql = `WITH f AS (SELECT t.a, t.b FROM d.t AS t WHERE t.c > 0),
                      g AS (SELECT f.a, sum(f.b) AS s FROM f GROUP BY f.a)
                 SELECT g.a, g.s * 2 AS s2 FROM g`;
    expect(lineage(sql)).toEqual({
      columns: { a: ['d.t.a DIRECT IDENTITY'], s2: ['d.t.b DIRECT AGGREGATION'] },
      dataset: ['d.t.a INDIRECT GROUP_BY', 'd.t.c INDIRECT FILTER'],
    });
  });

  it('renames CTE columns by the CTE column list', () => {
    expect(lineage('WITH x (p, q) AS (SELECT t.a, t.b + 1 FROM d.t AS t) SELECT x.p, x.q FROM x').columns).toEqual({ p: ['d.t.a DIRECT IDENTITY'], q: ['d.t.b DIRECT TRANSFORMATION'] });
  });

  it('follows a subquery in FROM, and ORDER BY through it', () => {
    const sql = 'SELECT x.k, x.n FROM (SELECT t.a AS k, count(t.b) AS n FROM d.t AS t GROUP BY t.a) AS x ORDER BY x.n';
    expect(lineage(sql)).toEqual({
      columns: { k: ['d.t.a DIRECT IDENTITY'], n: ['d.t.b DIRECT AGGREGATION'] },
      dataset: ['d.t.a INDIRECT GROUP_BY', 'd.t.b INDIRECT SORT'],
    });
  });

  it('splits CASE into conditions (INDIRECT CONDITIONAL) and results (DIRECT TRANSFORMATION)', () => {
    expect(lineage('SELECT CASE WHEN t.a > 0 THEN t.b ELSE t.c END AS k FROM d.t AS t').columns).toEqual({
      k: ['d.t.a INDIRECT CONDITIONAL', 'd.t.b DIRECT TRANSFORMATION', 'd.t.c DIRECT TRANSFORMATION'],
    });
  });

  it('counts COALESCE arguments as both value and condition, CAST as a transformation', () => {
    expect(lineage('SELECT coalesce(t.a, t.b) AS f, CAST(t.c AS varchar) AS g FROM d.t AS t').columns).toEqual({
      f: ['d.t.a DIRECT TRANSFORMATION', 'd.t.a INDIRECT CONDITIONAL', 'd.t.b DIRECT TRANSFORMATION', 'd.t.b INDIRECT CONDITIONAL'],
      g: ['d.t.c DIRECT TRANSFORMATION'],
    });
  });

  it('splits IF into its condition and its values', () => {
    expect(lineage('SELECT if(t.c > 0, t.d, 0) AS z FROM d.t AS t').columns).toEqual({ z: ['d.t.c INDIRECT CONDITIONAL', 'd.t.d DIRECT TRANSFORMATION'] });
  });

  it('puts window partitions and orders at dataset level, the windowed aggregate at the column', () => {
    const sql = 'SELECT t.a, sum(t.b) OVER (PARTITION BY t.c ORDER BY t.d) AS running, row_number() OVER (PARTITION BY t.c) AS rn FROM d.t AS t';
    expect(lineage(sql)).toEqual({
      columns: { a: ['d.t.a DIRECT IDENTITY'], running: ['d.t.b DIRECT AGGREGATION'], rn: [] },
      dataset: ['d.t.c INDIRECT WINDOW', 'd.t.d INDIRECT WINDOW'],
    });
  });

  it('merges UNION ALL branches column by column', () => {
    expect(lineage('SELECT t.a AS v FROM d.t AS t UNION ALL SELECT u.x FROM d.u AS u WHERE u.y = 1')).toEqual({
      columns: { v: ['d.t.a DIRECT IDENTITY', 'd.u.x DIRECT IDENTITY'] },
      dataset: ['d.u.y INDIRECT FILTER'],
    });
  });

  it('follows a UNION inside a subquery', () => {
    expect(lineage('SELECT x.b FROM (SELECT t.b FROM d.t AS t UNION SELECT u.x FROM d.u AS u) AS x').columns).toEqual({ b: ['d.t.b DIRECT IDENTITY', 'd.u.x DIRECT IDENTITY'] });
  });

  it('takes join keys from ON and USING, and an unqualified column from the table that has it', () => {
    expect(lineage('SELECT b, y FROM d.t AS t JOIN d.u AS u ON t.d = u.x')).toEqual({
      columns: { b: ['d.t.b DIRECT IDENTITY'], y: ['d.u.y DIRECT IDENTITY'] },
      dataset: ['d.t.d INDIRECT JOIN', 'd.u.x INDIRECT JOIN'],
    });
    expect(lineage('SELECT t.b FROM d.t AS t JOIN d.u AS u USING (a)').dataset).toEqual(['d.t.a INDIRECT JOIN', 'd.u.a INDIRECT JOIN']);
  });

  // node-sql-parser's Trino grammar refuses a scalar subquery among the columns and EXISTS (the
  // view check reports both as syntax errors), so only IN subqueries are covered here.
  it('reads an IN subquery as a filter', () => {
    expect(lineage('SELECT t.a FROM d.t AS t WHERE t.b IN (SELECT u.x FROM d.u AS u WHERE u.y > 0)')).toEqual({
      columns: { a: ['d.t.a DIRECT IDENTITY'] },
      dataset: ['d.t.b INDIRECT FILTER', 'd.u.x INDIRECT FILTER', 'd.u.y INDIRECT FILTER'],
    });
  });

  it('resolves GROUP BY by position and ORDER BY by output alias, HAVING as a filter', () => {
    expect(lineage('SELECT t.a AS k, count(*) AS n FROM d.t AS t GROUP BY 1 HAVING sum(t.b) > 1 ORDER BY k')).toEqual({
      columns: { k: ['d.t.a DIRECT IDENTITY'], n: [] },
      dataset: ['d.t.a INDIRECT GROUP_BY', 'd.t.a INDIRECT SORT', 'd.t.b INDIRECT FILTER'],
    });
  });
});
