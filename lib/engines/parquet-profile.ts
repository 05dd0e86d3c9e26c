/**
 * The profile of a Parquet table that `tessera import` suggests rules from: each column's type
 * (Parquet metadata as DuckDB reads it, Hive partition folders included), nulls, distinct values,
 * minimum and maximum, and the values of low-cardinality strings. One aggregate scan of the data.
 */
import { DuckDbEngine } from './duckdb.js';
import type { ProfiledColumn } from '../contract/skeleton.js';
import { MAX_SUGGESTED_VALUES } from '../contract/skeleton.js';

const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;

export async function profileParquet(glob: string): Promise<{ rows: number; columns: ProfiledColumn[] }> {
  const engine = await DuckDbEngine.create({ threads: 2 });
  try {
    const source = `read_parquet('${glob.replaceAll("'", "''")}', hive_partitioning = true, union_by_name = true)`;
    const described = await engine.run(`DESCRIBE SELECT * FROM ${source}`);
    const plain = await engine.run(`DESCRIBE SELECT * FROM read_parquet('${glob.replaceAll("'", "''")}', hive_partitioning = false, union_by_name = true)`);
    const fileColumns = new Set(plain.rows.map((r) => String(r[0])));
    const columns = described.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
    if (columns.length === 0) return { rows: 0, columns: [] };
    const numeric = (type: string): boolean => /INT|DOUBLE|FLOAT|REAL|DECIMAL/i.test(type);
    const parts = columns.flatMap((c) => [
      `count(${q(c.name)})`,
      `count(DISTINCT ${q(c.name)})`,
      numeric(c.type) ? `min(${q(c.name)})::DOUBLE` : 'NULL',
      numeric(c.type) ? `max(${q(c.name)})::DOUBLE` : 'NULL',
    ]);
    const stats = (await engine.run(`SELECT count(*), ${parts.join(', ')} FROM ${source}`)).rows[0]!;
    const rows = Number(stats[0]);
    const profiled: ProfiledColumn[] = [];
    for (const [i, c] of columns.entries()) {
      const [nonNull, distinct, min, max] = stats.slice(1 + i * 4, 5 + i * 4);
      let values: string[] | undefined;
      if (/VARCHAR|STRING/i.test(c.type) && Number(distinct) <= MAX_SUGGESTED_VALUES) {
        values = (await engine.run(`SELECT DISTINCT ${q(c.name)} FROM ${source} WHERE ${q(c.name)} IS NOT NULL`)).rows.map((r) => String(r[0]));
      }
      profiled.push({
        name: c.name,
        type: c.type,
        partition: !fileColumns.has(c.name),
        rows,
        nulls: rows - Number(nonNull),
        distinct: Number(distinct),
        min: typeof min === 'number' ? min : undefined,
        max: typeof max === 'number' ? max : undefined,
        values,
      });
    }
    return { rows, columns: profiled };
  } finally {
    engine.close();
  }
}
