/**
 * The `tessera` command line: one commander program; each command lives in its own module and
 * returns an exit code. Errors a user can fix are printed plainly; anything unexpected says it is a
 * bug, with the stack trace only under TESSERA_DEBUG=1.
 */
import { Command, CommanderError, Option } from 'commander';
import { catalogSearchCommand, catalogShowCommand, type CatalogOptions, type CatalogSearchOptions } from './catalog.js';
import { accessExplainCommand, accessMatrixCommand, type AccessExplainOptions, type AccessMatrixOptions } from './access.js';
import { diffCommand, rulesHelp, type DiffCommandOptions } from './diff.js';
import { registerImport } from './import.js';
import { processIo, UsageError, type CliIo, type ExitCode } from './io.js';
import { lockCommand, type LockCommandOptions } from './lock.js';
import { qualityTestCommand, type QualityTestOptions } from './quality-test.js';
import { queryCommand, type QueryOptions } from './query.js';
import { validateCommand, type ValidateOptions } from './validate.js';

const VERSION = '0.1.0';

export function buildProgram(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const program = new Command('tessera')
    .description(
      'Tessera: a data mesh for AWS. Data products are described by ODCS v3.1 data contracts (YAML); ' +
        'a mesh config (mesh.yaml) names the governance account, the domains with their accounts and ' +
        'products, and the consumers. This CLI checks them and works with a mesh locally or on AWS.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ tessera validate mesh/                          validate the example mesh: config and every contract
  $ tessera validate --profile odcs contract.yaml   only the ODCS standard (for contracts made elsewhere)
  $ tessera diff old.odcs.yaml mesh/orders/orders.odcs.yaml   breaking, warning and compatible changes
  $ tessera lock mesh/ --check                      is the lock of deployed versions up to date?
  $ tessera test mesh/orders/order-lines.odcs.yaml --data .tessera/sample-data   quality checks on DuckDB
  $ tessera access explain mesh/ --principal analysts   who can read which column, and why
  $ tessera query --local "SELECT count(*) FROM orders.order_lines"   cross-product SQL, locally

Exit codes: 0 success, 1 the input is invalid (or a check failed), 2 the command was misused.
Docs: README.md; the contract rules are listed under "Contract rules".`,
    );

  program
    .command('validate')
    .summary('validate ODCS data contracts and mesh configs')
    .description(
      'Validate data contracts (ODCS v3.1 YAML, kind: DataContract) and mesh configs (kind: Mesh).\n\n' +
        "Each contract is checked against the official ODCS v3.1.0 JSON Schema, then against Tessera's " +
        'rules: unique table and column names, consistent primary- and partition-key positions, quality ' +
        'rules and SLA elements that name existing columns, types that map to Glue/Athena, a domain, a ' +
        'semver version, a classification on every column, an owner and a support channel. ' +
        "A mesh config is checked, then every contract it lists, with the mesh's classifications. " +
        'Folders are searched recursively for .yaml/.yml files of either kind.\n\n' +
        'Every finding names file:line:column, the YAML path, what is wrong and how to fix it.',
    )
    .argument('<paths...>', 'contract files, mesh configs or folders')
    .addOption(
      new Option('--profile <profile>', "'product': a contract must be deployable as a Tessera data product (the default for a mesh); 'odcs': only the standard and self-consistency are errors, readiness findings are listed apart (the default for a contract alone)")
        .choices(['product', 'odcs']),
    )
    .option('--json', 'print the findings as JSON')
    .option('--no-warnings', 'hide warnings (they never fail the run)')
    .action(async (paths: string[], options: ValidateOptions) => {
      setExit(await validateCommand(paths, options, io));
    });

  program
    .command('diff')
    .summary('compare two versions of a contract: breaking, warning, compatible changes')
    .description(
      'Compare two versions of a data contract and classify every change from the side of its consumers ' +
        'and of the data already written: breaking (a query, a reader or a grant can fail), warning (may ' +
        'surprise someone; review it) or compatible (reported for the catalog).\n\n' +
        'Tables and columns are matched by name, ignoring case, then by physicalName; a column removed and ' +
        'another added at the same position with the same type is one rename. Quality rules match by id, ' +
        'then name, then metric and target.\n\n' +
        'Any breaking change needs a major version bump (semver): the command exits 1 when one comes ' +
        'without it, or when the version went down, and 0 otherwise. Each change names its rule id, the ' +
        'subject (table.column, sla.<property>, <target>/quality/<rule>), before → after and its line in the ' +
        'new file (or in the old one, for what was removed).',
    )
    .argument('<old>', 'the contract as it was (e.g. from git: git show main:mesh/orders/orders.odcs.yaml > /tmp/old.yaml)')
    .argument('<new>', 'the contract as it is now')
    .addOption(
      new Option('--profile <profile>', "how both contracts are validated first: 'odcs' (the standard only: any valid ODCS contract) or 'product' (a deployable Tessera data product)")
        .choices(['product', 'odcs'])
        .default('odcs'),
    )
    .option('--json', 'print the diff as JSON: changes, breaking, versionBump, requiresMajor, ok, files')
    .addHelpText(
      'after',
      `
The rules, by severity:
${rulesHelp()}

Examples:
  $ tessera diff old/orders.odcs.yaml mesh/orders/orders.odcs.yaml
  $ tessera diff --json before.yaml after.yaml

Exit codes: 0 the new version may replace the old one, 1 it may not (or a contract is invalid), 2 misuse.`,
    )
    .action(async (oldPath: string, newPath: string, options: DiffCommandOptions) => {
      setExit(await diffCommand(oldPath, newPath, options, io));
    });

  program
    .command('lock')
    .summary('record the deployed contract versions in contracts.lock.json (or --check it)')
    .description(
      'Lock the contract of every product of a mesh in contracts.lock.json, beside mesh.yaml: its ' +
        'domain, version, sha256 and the whole contract document, as stable JSON to commit and review.\n\n' +
        'Before writing, each changed contract is compared with its locked version as `tessera diff` does; ' +
        'a breaking change without a major version bump, a lower version, or a locked product that left ' +
        'the mesh (unless it was retired) refuses the lock (exit 1) unless --force. New products are fine.\n\n' +
        'With --check nothing is written, and the command fails when the lock is out of date or a change ' +
        'cannot replace its locked version: run it in CI so that a contract change always comes with its ' +
        'lock update.',
    )
    .argument('[mesh]', 'the mesh config, or the folder holding mesh.yaml', 'mesh')
    .option('--check', 'write nothing; exit 1 when the lock is out of date or a change lacks a major version bump')
    .option('--force', 'write the lock even when a change lacks a major version bump or a product was removed')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tessera lock mesh/            check every changed contract, then write mesh/contracts.lock.json
  $ tessera lock mesh/ --check    in CI: fail when the lock is stale or a change lacks a major bump

Exit codes: 0 written (or up to date), 1 refused or check failed (or the mesh is invalid), 2 misuse.`,
    )
    .action(async (mesh: string | undefined, options: LockCommandOptions) => {
      setExit(await lockCommand(mesh, options, io));
    });

  program
    .command('test')
    .summary("run a contract's quality rules on local Parquet data (DuckDB)")
    .description(
      "Run every quality check of a data contract on local Parquet data with DuckDB: the contract's library rules " +
        '(rowCount, nullValues, missingValues, invalidValues, duplicateValues), its sql rules, what the schema implies ' +
        '(required, unique, primary key, logicalTypeOptions minimum/maximum/minLength/maxLength/pattern) and its ' +
        'latency and retention SLAs. All aggregate checks of a table run as ONE query, the same plan Athena runs.\n\n' +
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
        'folder, or one .parquet file; Hive partition folders (order_date=2026-11-24) are understood.\n\n' +
        'Exit codes: 0 when every error-severity check passes, 1 when one fails or cannot be measured, 2 on misuse.',
    )
    .argument('<contract>', 'the ODCS contract file')
    .requiredOption('--data <path>', 'folder or Parquet file holding the data')
    .option('--json', 'print the report as JSON')
    .option('--now <iso-date-time>', 'measure SLAs as of this moment instead of now')
    .option('--show-sql', 'print the statements that ran')
    .action(async (contract: string, options: QualityTestOptions) => {
      setExit(await qualityTestCommand(contract, options, io));
    });

  const access = program
    .command('access')
    .summary('who can read what: explain Lake Formation access offline from the mesh config')
    .description(
      'Evaluate the mesh\'s Lake Formation grants offline, the way Lake Formation evaluates tag-based access: ' +
        'each consumer grant becomes the LF-tag expression `domain in (...) AND classification in (...)` (`*` = every ' +
        'domain), giving SELECT and DESCRIBE on matching tables and DESCRIBE on the domains\' databases. A column is ' +
        'readable when an expression matches its own classification (else its table\'s, the most sensitive of its ' +
        'columns) and its database\'s domain; a table is listed when at least one column is readable.\n\n' +
        'The grants are also validated: tags and values that do not exist, an account where a role was meant, ' +
        'permissions Lake Formation rejects, and the most sensitive classification granted through domains: ["*"]. ' +
        'Findings name their mesh.yaml line and fail the command.',
    );
  access
    .command('explain')
    .summary("explain one consumer's access, table by table and column by column")
    .argument('[mesh]', 'the mesh config, or the folder holding mesh.yaml', 'mesh')
    .requiredOption('--principal <consumer>', "the consumer's name in the mesh config, or its role ARN")
    .option('--product <id>', 'only this product')
    .option('--json', 'print the explanation as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tessera access explain mesh/ --principal analysts
  $ tessera access explain mesh/ --principal arn:aws:iam::111111111111:role/TesseraAnalyst --product orders --json

Exit codes: 0 explained, 1 the mesh is invalid or an access finding is an error, 2 misuse (e.g. an unknown principal).`,
    )
    .action(async (mesh: string | undefined, options: AccessExplainOptions) => {
      setExit(await accessExplainCommand(mesh, options, io));
    });
  access
    .command('matrix')
    .summary('every consumer against every table: all, N of M columns, or none')
    .argument('[mesh]', 'the mesh config, or the folder holding mesh.yaml', 'mesh')
    .option('--json', 'print the matrix as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tessera access matrix mesh/
  $ tessera access matrix mesh/ --json

Exit codes: 0 printed, 1 the mesh is invalid or an access finding is an error, 2 misuse.`,
    )
    .action(async (mesh: string | undefined, options: AccessMatrixOptions) => {
      setExit(await accessMatrixCommand(mesh, options, io));
    });

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
        "query tried locally runs unchanged in the analysts' workgroup.",
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
    .action(async (sql: string, options: QueryOptions) => {
      setExit(await queryCommand(sql, options, io));
    });

  const catalog = program
    .command('catalog')
    .summary('search the catalog of data products and show one: the deployed catalog API, or the example mesh with --local')
    .description(
      'Find data products and see whether you can trust them and how to query them. By default the deployed ' +
        "catalog API answers (requests signed with SigV4 and your AWS credentials; the endpoint from --endpoint or " +
        "the CatalogApiUrl output of the stack tessera-<mesh>-governance). With --local, Tessera's own catalog " +
        'handlers run over a local moto server: the mesh is published into it, and when local sample data exists ' +
        'its quality is measured on DuckDB and reported, so the trust signals are real.',
    );
  const remoteOptions = (command: Command): Command =>
    command
      .option('--local', 'the example mesh in a local catalog (no AWS account)')
      .option('--endpoint <url>', 'the catalog API base URL (default: the CatalogApiUrl stack output)')
      .option('--region <region>', "the API's region (default: from the endpoint, else the mesh's)")
      .option('--mesh <dir>', 'the folder holding mesh.yaml', 'mesh')
      .option('--data <path>', 'sample data to measure quality on (with --local)', '.tessera/sample-data')
      .option('--json', 'the API response as JSON');
  remoteOptions(
    catalog
      .command('search')
      .summary('search products by name, tag, table, column, owner or description; small typos are fine')
      .argument('[words...]', 'what to look for; leave out to list every product')
      .option('--domain <domain>', 'only products of this domain')
      .option('--tag <tag>', 'only products with this tag')
      .option('--classification <class>', 'only products with a column of this classification')
      .option('--owner <owner>', 'only products of this team or owner')
      .option('--limit <n>', 'products per page (1-100)')
      .option('--cursor <cursor>', 'the next page, as the previous page printed it')
      .addHelpText('after', '\nExamples:\n  tessera catalog search --local shipmnts\n  tessera catalog search --local stock --domain inventory\n  tessera catalog search "order lines" --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com/v1/'),
  ).action(async (words: string[], options: CatalogSearchOptions) => {
    setExit(await catalogSearchCommand(words, options, io));
  });
  remoteOptions(
    catalog
      .command('show')
      .summary('one product: schema and classifications, owners, SLAs, trust, quality and freshness, how to query it and who can read it, versions')
      .argument('<product>', 'the product id, e.g. order-lines')
      .addHelpText('after', '\nExamples:\n  tessera catalog show --local stock-levels\n  tessera catalog show order-lines --json'),
  ).action(async (product: string, options: CatalogOptions) => {
    setExit(await catalogShowCommand(product, options, io));
  });

  registerImport(program, io, setExit);

  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  let code: ExitCode = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its message for the rest.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n(run with --help for usage)\n`);
      return 2;
    }
    io.err(`internal error: ${(error as Error).message ?? String(error)}\nThis is a bug in tessera; please report it with the command you ran.\n`);
    if (process.env.TESSERA_DEBUG === '1') io.err(`${(error as Error).stack ?? ''}\n`);
    else io.err('Run with TESSERA_DEBUG=1 for the stack trace.\n');
    return 1;
  }
}
