/** `tessera query`: cross-product SQL on Athena, or locally. */
import { Option, type Command } from 'commander';
import type { QueryOptions } from '../query.js';
import { DEFAULT_QUERY_ROWS, MAX_QUERY_ROWS } from '../query-rows.js';
import { wholeNumber } from '../options.js';
import type { CliIo, ExitCode } from '../io.js';

export function registerQuery(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('query')
    .summary("run cross-product SQL over the mesh: in the analysts' Athena workgroup, or locally with --local")
    .description(
      "Run one SQL statement (Athena/Trino dialect) over the data products of the mesh. By default it runs in the " +
        "analysts' Athena workgroup of the governance account (tessera-<mesh>-analysts) with your AWS credentials, " +
        'printing progress while it runs, then the result, the bytes scanned and an estimated cost ($5 per TB, ' +
        'at least 10 MB); Ctrl-C stops the query in Athena. A failed or cancelled query is reported with ' +
        "Athena's reason and exits 1. With --local it runs on DuckDB over the local sample data, every product " +
        'table registered under the same name as in Athena (<domain>.<table>, e.g. orders.order_lines), so a ' +
        "query tried locally runs unchanged in the analysts' workgroup.\n\n" +
        'With --local exactly one SELECT (WITH ... SELECT included) runs, reading only product tables, the mesh views ' +
        '(<mesh>_views.<view>) and its own CTEs; DDL, COPY, several statements and table functions reading files ' +
        '(read_csv, read_parquet, glob ...) are refused. The SQL runs as written for Athena: date_add, date_diff, ' +
        'date_trunc (a DATE for a DATE), day_of_week, approx_percentile, element_at, cardinality, regexp_like and ' +
        'integer division keep Trino\'s meaning; a function that would not is refused as "not supported locally: ' +
        '<function>". Values keep their column types (a digit-only VARCHAR stays a string in JSON and CSV).',
    )
    .argument('<sql>', 'the SQL statement')
    .option('--local', 'run on DuckDB over local Parquet instead of Athena')
    .option('--data <path>', 'the sample-data root (with --local)', '.tessera/sample-data')
    .option('--mesh <dir>', 'the folder holding mesh.yaml', 'mesh')
    .option('--workgroup <name>', "the Athena workgroup (default: the mesh's analyst workgroup)")
    .option('--region <region>', "the AWS region (default: AWS_REGION, else the mesh's region)")
    .option('--reuse <minutes>', 'let Athena reuse the result of an identical query up to this old (query result reuse)', '60')
    .option('--no-reuse', 'always run the query afresh')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--limit <rows>', `print at most this many rows (a note says when more exist; up to ${MAX_QUERY_ROWS})`, wholeNumber(1, MAX_QUERY_ROWS), DEFAULT_QUERY_ROWS)
    .action(async (sql: string, options: QueryOptions) => {
      const { queryCommand } = await import('../query.js');
      setExit(await queryCommand(sql, options, io));
    });
}
