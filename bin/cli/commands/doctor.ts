/** `tessera doctor`: the deploy preflight; its code (aws-cdk-lib, the AWS SDK) loads when it runs. */
import type { Command } from 'commander';
import type { DoctorOptions } from '../doctor.js';
import type { CliIo, ExitCode } from '../io.js';

export function registerDoctor(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('doctor')
    .summary('preflight a deploy: order, cross-stack references, principals, account owners; live: bootstrap, LF admins, RAM, grants')
    .description(
      'Check that `cdk deploy --all` can succeed and that Lake Formation governs once it has. Offline, on the ' +
        'synthesized cloud assembly: the order cdk deploys the stacks in; every resource that reaches into another ' +
        'stack or account while it deploys (custom resources\' SDK calls, Lake Formation grants and tag associations, ' +
        'RAM shares, resource links, SAR applications) finds its target created by a stack that deploys earlier, or ' +
        'declared to exist; every IAM principal named is created by the app or declared; account-wide settings, ' +
        'LF-tags and names have one owner per account. Live (read-only, unless --offline): each account is ' +
        'bootstrapped in the region with the bootstrap version the app needs and trusts the deploying account; ' +
        'the declared prerequisite principals exist; the CDK execution role is a Lake Formation admin; RAM sharing ' +
        'with the organization is enabled; the connector applications exist; after a deploy, IAMAllowedPrincipals ' +
        'holds nothing on the databases and tables and every grant is held.\n\n' +
        'Each check prints pass, fail or skip; a fail says what to run or change. A check the endpoint cannot ' +
        "answer is a skip that says so, never a pass. Details: docs/doctor.md.",
    )
    .argument('[mesh]', 'the mesh config, or the folder holding mesh.yaml', 'mesh')
    .option('--offline', 'only the checks on the synthesized assembly; ask no account')
    .option('--assembly <dir>', 'read this cdk.out instead of synthesizing the mesh')
    .option('--prerequisite <arn...>', 'also treat these ARNs as existing before the deploy')
    .option('--profile <name>', 'AWS profile of the deploying account (default: the default credential chain)')
    .option('--role-arn-pattern <pattern>', "role to assume in each account, e.g. 'arn:aws:iam::{account}:role/TesseraDeploy'")
    .option('--region <region>', "the region (default: the mesh's)")
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (a local emulator)')
    .option('--verbose', 'print what passed, too')
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tessera doctor mesh/ --offline                 before the first deploy, without credentials
  $ tessera doctor mesh/ --assembly cdk.out --offline   on what cdk synth wrote
  $ tessera doctor mesh/ --profile deploy --role-arn-pattern 'arn:aws:iam::{account}:role/OrganizationAccountAccessRole'

Exit codes: 0 every check passed (or was skipped), 1 a check failed (or the mesh is invalid), 2 misuse.`,
    )
    .action(async (mesh: string, options: DoctorOptions) => {
      const { doctorCommand } = await import('../doctor.js');
      setExit(await doctorCommand(mesh, options, io));
    });
}
