/**
 * The `tessera` command line: one commander program; each command lives in its own module and
 * returns an exit code. The modules under commands/ hold only options and help, and import the
 * command's code when it runs: `tessera --help` loads commander and nothing heavy (bench/cli.ts). Errors a user can fix are printed plainly; anything unexpected says it is a
 * bug, with the stack trace only under TESSERA_DEBUG=1.
 */
import { Command, CommanderError } from 'commander';
import { registerValidate } from './commands/validate.js';
import { registerDiff } from './commands/diff.js';
import { registerLineage } from './commands/lineage.js';
import { registerLock } from './commands/lock.js';
import { registerTest } from './commands/test.js';
import { registerAccess } from './commands/access.js';
import { registerQuery } from './commands/query.js';
import { registerCatalog } from './commands/catalog.js';
import { registerDoctor } from './commands/doctor.js';
import { registerImport } from './commands/import.js';
import { MissingFileError, processIo, UsageError, type CliIo, type ExitCode } from './io.js';

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
  $ tessera lineage ecommerce_views.stock_cover.stock_value   a view column's inputs, from the view's SQL
  $ tessera lock mesh/ --check                      is the lock of deployed versions up to date?
  $ tessera test mesh/orders/order-lines.odcs.yaml --data .tessera/sample-data   quality checks on DuckDB
  $ tessera access explain mesh/ --principal analysts   who can read which column, and why
  $ tessera query --local "SELECT count(*) FROM orders.order_lines"   cross-product SQL, locally

Exit codes: 0 success, 1 the input is invalid (or a check failed), 2 the command was misused.
Docs: README.md; the contract rules are listed under "Contract rules".`,
    );

  // One line per command; each command's options, help and action live in bin/cli/commands/.
  registerValidate(program, io, setExit);
  registerDiff(program, io, setExit);
  registerLineage(program, io, setExit);
  registerLock(program, io, setExit);
  registerTest(program, io, setExit);
  registerAccess(program, io, setExit);
  registerQuery(program, io, setExit);
  registerCatalog(program, io, setExit);
  registerDoctor(program, io, setExit);
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
    if (error instanceof MissingFileError) {
      io.err(`error: ${error.message}\n(${error.hint})\n`);
      return 1;
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
