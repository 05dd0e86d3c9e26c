/** `tessera test`: a contract's quality checks on local Parquet. */
import type { Command } from 'commander';
import type { QualityTestOptions } from '../quality-test.js';
import type { CliIo, ExitCode } from '../io.js';

export function registerTest(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('test')
    .summary("run a contract's quality rules on local Parquet data (DuckDB)")
    .description(
      "Run every quality check of a data contract on local Parquet data with DuckDB: the contract's library rules " +
        '(rowCount, nullValues, missingValues, invalidValues, duplicateValues), its sql rules, what the schema implies ' +
        '(required, unique, primary key, logicalTypeOptions minimum/maximum/minLength/maxLength/pattern) and its ' +
        'latency and retention SLAs. All aggregate checks of a table run as ONE statement that reads the table once, ' +
        'the same plan Athena runs.\n\n' +
        "First the data files' schema is compared with the contract: a declared column missing from the files (Athena " +
        'reads it as NULL), a stored type Athena cannot read as declared (text under int, say: every query reading it ' +
        'fails) and an undeclared column (a warning) are reported as failed checks naming the column. A check whose ' +
        'measure the statement did not return (no column, or NULL where a count is due) is an error, never 0.\n\n' +
        'Thresholds follow the ODCS operators: mustBe (=), mustNotBe (!=), mustBeGreaterThan (>), ' +
        'mustBeGreaterOrEqualTo (>=), mustBeLessThan (<), mustBeLessOrEqualTo (<=), mustBeBetween [a, b] ' +
        '(a < value < b, bounds excluded as the standard writes), mustNotBeBetween [a, b] (value <= a or value >= b). ' +
        'With unit: percent the value is the share of rows, 0 to 100; with unit: rows (the default) a count. ' +
        'nullValues counts nulls; missingValues counts nulls and the listed arguments.missingValues; invalidValues ' +
        'counts non-null values outside arguments.validValues or not matching arguments.pattern; duplicateValues ' +
        'counts surplus rows (rows whose value, or key across arguments.properties, already appeared). A latency SLA ' +
        'passes when the newest value of its element is at most that old (a date counts as complete at the end of its ' +
        'day); a retention SLA when the oldest is. Rules run on the whole table unless they set the custom property ' +
        'scope: latest.\n\n' +
        '--data is the sample-data root (<dir>/<domain>/<table>/...), a domain folder (<dir>/<table>/...), a table ' +
        'folder, or one .parquet file. A table is the .parquet files in its folder or in its Hive partition folders ' +
        '(order_date=2026-11-24/, the partition keys in order); names starting with _ or . are skipped. A folder that ' +
        'also holds other Parquet files (a orders_backup/ beside the partitions) is refused, naming the paths searched. ' +
        'The report lists the files read for each table.\n\n' +
        'Exit codes: 0 when every error-severity check passes and every check was measured, 1 when one fails or ' +
        'cannot be measured, 2 on misuse.',
    )
    .argument('<contract>', 'the ODCS contract file')
    .requiredOption('--data <path>', 'folder or Parquet file holding the data')
    .option('--json', 'print the report as JSON')
    .option('--now <iso-date-time>', 'measure SLAs as of this moment instead of now')
    .option('--show-sql', 'print the statements that ran')
    .action(async (contract: string, options: QualityTestOptions) => {
      const { qualityTestCommand } = await import('../quality-test.js');
      setExit(await qualityTestCommand(contract, options, io));
    });
}
