/** `tessera diff`: what changed between two versions of a contract. */
import { Option, type Command } from 'commander';
import { CHANGE_SEVERITIES, DIFF_RULES, type DiffRule } from '../../../lib/contract/diff/rules.js';
import type { DiffCommandOptions } from '../diff.js';
import type { CliIo, ExitCode } from '../io.js';

export function registerDiff(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
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
        'new file (or in the old one, for what was removed).\n\n' +
        'Impact: when <new> is listed by a mesh.yaml in its folder or above (or --mesh names a mesh), every breaking or ' +
        'warning change to a column is followed by who reads that column today: the mesh views and view columns derived ' +
        'from it (from their SQL), the products that consume the contract through an input port, and the consumers whose ' +
        'grants let them read it.',
    )
    .argument('<old>', 'the contract as it was (e.g. from git: git show main:mesh/orders/orders.odcs.yaml > /tmp/old.yaml)')
    .argument('<new>', 'the contract as it is now')
    .addOption(
      new Option('--profile <profile>', "how both contracts are validated first: 'odcs' (the standard only: any valid ODCS contract) or 'product' (a deployable Tessera data product)")
        .choices(['product', 'odcs'])
        .default('odcs'),
    )
    .option('--mesh <path>', 'the mesh whose readers of each removed or changed column are listed (default: the mesh.yaml above <new> that lists it)')
    .option('--json', 'print the diff as JSON: files, changes, breaking, versionBump, ok, versions, and impact when a mesh is known')
    .addHelpText(
      'after',
      `
The rules, by severity:
${rulesHelp()}

Examples:
  $ tessera diff old/orders.odcs.yaml mesh/orders/orders.odcs.yaml
  $ tessera diff --json before.yaml after.yaml
  $ tessera diff --mesh mesh/ mesh/orders/order-lines.odcs.yaml /tmp/order-lines.odcs.yaml   with the impact on the mesh

Exit codes: 0 the new version may replace the old one, 1 it may not (or a contract is invalid), 2 misuse.`,
    )
    .action(async (oldPath: string, newPath: string, options: DiffCommandOptions) => {
      const { diffCommand } = await import('../diff.js');
      setExit(await diffCommand(oldPath, newPath, options, io));
    });
}

/** What counts as breaking, warning and compatible, for --help. */
function rulesHelp(): string {
  const lines: string[] = [];
  for (const severity of CHANGE_SEVERITIES) {
    lines.push(`${severity[0]!.toUpperCase()}${severity.slice(1)}:`);
    for (const [rule, info] of Object.entries(DIFF_RULES) as [DiffRule, (typeof DIFF_RULES)[DiffRule]][]) {
      const severities: readonly string[] = info.severity;
      if (severities[0] !== severity) continue;
      lines.push(`  ${rule.padEnd(30)} ${info.summary}`);
    }
  }
  return lines.join('\n');
}
