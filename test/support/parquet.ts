/** Writes small Parquet fixtures with a DuckDB of the test's own (not the engine under test). */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Runs `COPY (<select>) TO <file>` for each entry; the SELECT is literal SQL the test wrote. */
export async function writeParquet(files: Readonly<Record<string, string>>): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    for (const [file, select] of Object.entries(files)) {
      mkdirSync(dirname(file), { recursive: true });
      await c.run(`COPY (${select}) TO '${file.replaceAll("'", "''")}' (FORMAT PARQUET)`);
    }
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
