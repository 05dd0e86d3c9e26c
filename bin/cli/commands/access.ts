/** `tessera access explain|matrix`: who can read what, offline. */
import type { Command } from 'commander';
import type { AccessExplainOptions, AccessMatrixOptions } from '../access.js';
import type { CliIo, ExitCode } from '../io.js';
import { registerAccessRequests } from './access-requests.js';

export function registerAccess(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
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
      const { accessExplainCommand } = await import('../access.js');
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
      const { accessMatrixCommand } = await import('../access.js');
      setExit(await accessMatrixCommand(mesh, options, io));
    });
  registerAccessRequests(access, io, setExit);
}
