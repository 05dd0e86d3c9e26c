/**
 * The local engine: DuckDB in memory over Parquet files, with product tables registered as views
 * under the same names as in Athena (`<database>.<table>`). This is an adapter (it does I/O): the
 * quality runner and the CLI use it through the `QueryEngine` port.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Cell, QueryEngine, QueryResult } from './query-engine.js';

export class DuckDbEngine implements QueryEngine {
  readonly name = 'duckdb';

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async create(options: { threads?: number } = {}): Promise<DuckDbEngine> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    if (options.threads !== undefined) await connection.run(`SET threads = ${Math.max(1, Math.floor(options.threads))}`);
    // Local runs read local files only.
    await connection.run('SET autoinstall_known_extensions = false');
    await connection.run("SET TimeZone = 'UTC'");
    return new DuckDbEngine(instance, connection);
  }

  /**
   * Registers Parquet files as `<schema>.<view>` (and as `main.<view>`, so that SQL written with
   * a bare table name, as Athena's session database allows, runs too). `partitionTypes` gives the
   * types of Hive partition columns (`order_date=2026-11-24` folders).
   */
  async registerParquet(schema: string, view: string, glob: string, columns: readonly string[], partitionTypes: Readonly<Record<string, string>>): Promise<void> {
    const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;
    const types = Object.entries(partitionTypes).map(([name, type]) => `${q(name)}: '${type.replaceAll("'", "''")}'`);
    const source =
      `read_parquet('${glob.replaceAll("'", "''")}', hive_partitioning = ${types.length > 0 ? 'true' : 'false'}` +
      `${types.length > 0 ? `, hive_types = {${types.join(', ')}}` : ''}, union_by_name = true)`;
    const select = `SELECT ${columns.map(q).join(', ')} FROM ${source}`;
    await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
    await this.connection.run(`CREATE OR REPLACE VIEW ${q(schema)}.${q(view)} AS ${select}`);
    await this.connection.run(`CREATE OR REPLACE VIEW main.${q(view)} AS ${select}`);
  }

  async run(sql: string): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql);
    const columns = reader.columnNames();
    const rows = reader.getRowsJson().map((row) => row.map(toCell));
    return { columns, rows };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    // getRowsJson renders BIGINT/HUGEINT/DECIMAL as strings: give numbers back when exact.
    if (/^-?\d+(\.\d+)?$/.test(value)) {
      const n = Number(value);
      if (Number.isSafeInteger(n) || (!Number.isInteger(n) && Number.isFinite(n))) return n;
    }
    return value;
  }
  return JSON.stringify(value);
}
