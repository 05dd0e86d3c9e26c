/** `tessera lock`: the lock of deployed contract versions. */
import type { Command } from 'commander';
import type { LockCommandOptions } from '../lock.js';
import type { CliIo, ExitCode } from '../io.js';

export function registerLock(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
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
      const { lockCommand } = await import('../lock.js');
      setExit(await lockCommand(mesh, options, io));
    });
}
