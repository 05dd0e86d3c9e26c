/** `tessera import`: a contract skeleton from Parquet or Glue; its code (DuckDB, the SDK) loads when it runs. */
import type { Command } from 'commander';
import { MAX_SUGGESTED_VALUES } from '../../../lib/contract/skeleton.js';
import type { CliIo, ExitCode } from '../io.js';
import type { ImportOptions } from '../import.js';

export function registerImport(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('import')
    .summary('write a contract skeleton from Parquet data or a Glue table: schema, partitions, suggested quality rules')
    .description(
      'Write an ODCS v3.1 contract skeleton from Parquet files: columns and types from the Parquet metadata, ' +
        'Hive partition folders (day=2026-11-24) as partition keys, and quality rules suggested by a profile of the ' +
        'data: required where no value is null, unique where every value differs, minimum and maximum of numbers, ' +
        `the allowed values of strings with at most ${MAX_SUGGESTED_VALUES} distinct values, and a non-empty table. ` +
        'What only a person can decide (domain, owners, support, classifications, SLAs) is marked # TODO; ' +
        '`tessera validate` reports each as a readiness finding until it is filled in. ' +
        'With --glue instead of <data>, the skeleton comes from an existing Glue table (GetTable): its columns and ' +
        'Glue types, partition keys, comments, S3 location and parameters; no data is read, so no rules are suggested.',
    )
    .argument('[data]', 'a folder of Parquet files (with or without partition folders), or one .parquet file')
    .option('--glue <database.table>', 'read the schema from this Glue table instead of Parquet data')
    .option('--region <region>', 'with --glue: the Glue region (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'with --glue: send the Glue call to this endpoint (a local emulator)')
    .option('--id <id>', 'the contract id (default: from the folder name)')
    .option('--table <name>', 'the table name (default: from the folder name; with --glue the table keeps its Glue name)')
    .option('-o, --out <file>', 'write the contract here instead of printing it')
    .option('--force', 'overwrite --out if it exists')
    .addHelpText('after', '\nExamples:\n  $ tessera import .tessera/sample-data/orders/order_lines -o order-lines.odcs.yaml\n  $ tessera import exports/customers.parquet --id customers\n  $ tessera import --glue sales.orders --region eu-west-1 -o orders.odcs.yaml')
    .action(async (data: string | undefined, options: ImportOptions) => {
      const { importFrom } = await import('../import.js');
      setExit(await importFrom(data, options, io));
    });
}
