/** `tessera validate`: ODCS contracts and mesh configs. */
import { Option, type Command } from 'commander';
import type { ValidateOptions } from '../validate.js';
import type { CliIo, ExitCode } from '../io.js';

export function registerValidate(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
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
      const { validateCommand } = await import('../validate.js');
      setExit(await validateCommand(paths, options, io));
    });
}
