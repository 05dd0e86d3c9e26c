/**
 * `tessera import <parquet-folder-or-file>`: writes a contract skeleton from Parquet data: the
 * schema from the Parquet metadata (through DuckDB), Hive partition folders as partition keys, and
 * quality rules suggested by the data's profile (nulls, uniqueness, ranges, the values of
 * low-cardinality strings). DuckDB is loaded only when the command runs, so `tessera --help` stays light;
 * the command's options and help are in commands/import.ts.
 * `tessera import --glue <database>.<table>` writes one from an existing Glue table (import-glue.ts).
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { contractSkeleton, glueName, type ProfiledColumn } from '../../lib/contract/skeleton.js';
import { importGlueCommand } from './import-glue.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';

export interface ImportOptions {
  readonly id?: string;
  readonly table?: string;
  readonly out?: string;
  readonly force?: boolean;
  readonly glue?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
}

export async function importFrom(data: string | undefined, options: ImportOptions, io: CliIo): Promise<ExitCode> {
  if (options.glue !== undefined) {
    if (data !== undefined) throw new UsageError(`give either <data> or --glue, not both (got '${data}' and --glue ${options.glue})`);
    if (options.table !== undefined) throw new UsageError('--table does not apply to --glue: the table keeps its Glue name');
    return importGlueCommand({ ...options, glue: options.glue }, io);
  }
  if (data === undefined) throw new UsageError('give a folder or file of Parquet data, or --glue <database>.<table>');
  if (options.region !== undefined || options.endpointUrl !== undefined) throw new UsageError('--region and --endpoint-url apply only to --glue');
  return importCommand(data, options, io);
}

export async function importCommand(data: string, options: ImportOptions, io: CliIo): Promise<ExitCode> {
  const path = isAbsolute(data) ? data : resolve(io.cwd, data);
  if (!existsSync(path)) throw new UsageError(`file not found: ${data}`);
  const isFile = statSync(path).isFile();
  const stem = basename(path).replace(/\.parquet$/i, '');
  const table = options.table ?? glueName(stem);
  const id = options.id ?? stem.replaceAll('_', '-').toLowerCase();
  const out = options.out === undefined ? undefined : resolve(io.cwd, options.out);
  if (out && existsSync(out) && !options.force) throw new UsageError(`${options.out} exists; pass --force to overwrite it`);
  const glob = isFile ? path : join(path, '**', '*.parquet');
  const { profileParquet } = await import('../../lib/engines/parquet-profile.js');
  const profile = await profileParquet(glob);
  if (profile.columns.length === 0) {
    io.err(`error: no Parquet files with columns found in ${data}\n`);
    return 1;
  }
  const text = contractSkeleton({ id, table, columns: profile.columns, rows: profile.rows, source: relative(io.cwd, path) || path });
  if (out) {
    writeFileSync(out, text);
    io.out(`wrote ${relative(io.cwd, out)}: ${profile.columns.length} columns, ${profile.columns.filter((c: ProfiledColumn) => c.partition).length} partition keys, from ${profile.rows} rows\nnext: fill in the # TODO fields, then tessera validate ${relative(io.cwd, out)}\n`);
  } else {
    io.out(text);
  }
  return 0;
}
