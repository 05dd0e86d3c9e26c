/**
 * The local engine: DuckDB in memory over Parquet files, with product tables registered as views
 * under the same names as in Athena (`<database>.<table>`). This is an adapter (it does I/O): the
 * quality runner and the CLI use it through the `QueryEngine` port.
 */
import { DuckDBInstance, StatementType, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
import { trinoMacroStatements } from './trino-functions.js';
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
  async registerParquet(schema: string, view: string, files: readonly string[], selectItems: readonly string[], partitionTypes: Readonly<Record<string, string>>): Promise<void> {
    const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;
    const types = Object.entries(partitionTypes).map(([name, type]) => `${q(name)}: '${type.replaceAll("'", "''")}'`);
    const source =
      `read_parquet([${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}], hive_partitioning = ${types.length > 0 ? 'true' : 'false'}` +
      `${types.length > 0 ? `, hive_types = {${types.join(', ')}}` : ''}, union_by_name = true)`;
    const select = `SELECT ${selectItems.join(', ')} FROM ${source}`;
    await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
    await this.connection.run(`CREATE OR REPLACE VIEW ${q(schema)}.${q(view)} AS ${select}`);
    await this.connection.run(`CREATE OR REPLACE VIEW main.${q(view)} AS ${select}`);
  }

  /** The columns the files' Parquet schemas hold (their union by name), with DuckDB's type names. */
  async parquetColumns(files: readonly string[]): Promise<{ name: string; type: string }[]> {
    const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
    const described = await this.run(`DESCRIBE SELECT * FROM read_parquet([${list}], hive_partitioning = false, union_by_name = true)`);
    return described.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  }

  /**
   * Readies the engine for a user's Athena query: Trino's functions as macros, `/` on integers
   * truncating as in Trino, and no file access outside `dataDirs` (the registered tables read
   * there), settings locked so the query cannot undo them.
   * https://duckdb.org/docs/stable/operations_manual/securing_duckdb/overview
   */
  async prepareForAthenaSql(dataDirs: readonly string[]): Promise<void> {
    for (const statement of trinoMacroStatements()) await this.connection.run(statement);
    await this.connection.run('SET integer_division = true');
    const dirs = dataDirs.map((d) => `'${(d.endsWith('/') ? d : `${d}/`).replaceAll("'", "''")}'`).join(', ');
    await this.connection.run(`SET allowed_directories = [${dirs}]`);
    await this.connection.run('SET enable_external_access = false');
    await this.connection.run('SET lock_configuration = true');
  }

  /**
   * Throws `NotOneSelectError` unless DuckDB's own parser sees exactly one SELECT in `sql`. The
   * kind is read from the prepared statement (prepared, never run); a statement that does not
   * prepare fails again, with its reason, when it is run.
   */
  async assertOneSelect(sql: string): Promise<void> {
    const extracted = await this.connection.extractStatements(sql).catch((e: unknown) => {
      throw new NotOneSelectError(`not one SELECT: ${(e as Error).message.split('\n')[0]}`);
    });
    if (extracted.count !== 1) throw new NotOneSelectError(`${extracted.count} statements; --local runs exactly one SELECT`);
    const kind = (await extracted.prepare(0).catch(() => undefined))?.statementType;
    if (kind !== undefined && kind !== StatementType.SELECT) throw new NotOneSelectError(`a ${StatementType[kind]} statement; --local runs exactly one SELECT`);
  }

  /** DuckDB's syntax tree of `sql` as JSON (`json_serialize_sql`); only SELECTs serialize. */
  async syntaxTree(sql: string): Promise<unknown> {
    const prepared = await this.connection.prepare('SELECT json_serialize_sql($1::VARCHAR)');
    prepared.bindVarchar(1, sql);
    const reader = await prepared.runAndReadAll();
    return JSON.parse(String(reader.getRows()[0]![0])) as unknown;
  }

  async run(sql: string): Promise<QueryResult> {
    return this.read(await this.connection.runAndReadAll(sql));
  }

  private read(reader: DuckDBResultReader): QueryResult {
    const columns = reader.columnNames();
    // Only numeric columns become numbers: a VARCHAR of digits (a tracking number with leading
    // zeros) stays the string it is, as Athena returns it.
    const numeric = reader.columnTypes().map((t) => NUMERIC_AS_TEXT.test(String(t)));
    const rows = reader.getRowsJson().map((row) => row.map((value, i) => toCell(value, numeric[i] ?? false)));
    return { columns, rows };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

export class NotOneSelectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotOneSelectError';
  }
}

/** The DuckDB types `getRowsJson` renders as strings although they are numbers. */
const NUMERIC_AS_TEXT = /^(BIGINT|UBIGINT|HUGEINT|UHUGEINT|DECIMAL\b.*)$/;

function toCell(value: unknown, numeric: boolean): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    // getRowsJson renders BIGINT/HUGEINT/DECIMAL as strings: give numbers back when exact.
    if (numeric && /^-?\d+(\.\d+)?$/.test(value)) {
      const n = Number(value);
      if (Number.isSafeInteger(n) || (!Number.isInteger(n) && Number.isFinite(n))) return n;
    }
    return value;
  }
  return JSON.stringify(value);
}
