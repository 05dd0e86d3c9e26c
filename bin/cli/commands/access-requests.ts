/** `tessera access request|approve|deny|revoke|renew|list|audit|drift`: access requests, under `tessera access`. */
import type { Command } from 'commander';
import type * as AccessRequestCommands from '../access-requests.js';
import type { AccessApiOptions, RequestCommandOptions } from '../access-requests.js';
import type { CliIo, ExitCode } from '../io.js';

/** The commands' code, loaded when one runs (it brings the AWS SDK and the local catalog). */
const commands = (): Promise<typeof AccessRequestCommands> => import('../access-requests.js');

const EXIT = 'Exit codes: 0 done, 1 refused by the service (the reason is printed) or, for drift, drift found, 2 misuse.';

function common(command: Command): Command {
  return command
    .option('--local', "the demo's local catalog on moto; its state lasts between runs in .tessera/access-requests.moto.jsonl")
    .option('--as <arn>', 'with --local: the caller, as the IAM user or assumed-role ARN API Gateway would verify')
    .option('--endpoint <url>', 'the catalog API (default: the CatalogApiUrl output of the governance stack)')
    .option('--region <region>', "the API's region (default: the mesh's)")
    .option('--mesh <path>', 'the mesh config, or the folder holding mesh.yaml', 'mesh')
    .option('--json', 'print the answer as JSON');
}

export function registerAccessRequests(access: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  common(access.command('request').summary('ask for access to a product, for a time').argument('<product>', "the product's id"))
    .requiredOption('--reason <text>', 'why you need it (the owners read this)')
    .requiredOption('--duration <span>', 'how long, e.g. 12h, 30d or 2w')
    .option('--classification <class>', 'every column classified at most this')
    .option('--columns <a,b>', 'named columns (column or table.column)')
    .option('--row-filter <sql>', "only these rows, e.g. \"country_code IN ('DE','AT')\"")
    .option('--table <table>', 'the table the row filter applies to, when the product has several')
    .addHelpText('after', `\nExamples:\n  $ tessera access request customer-profiles --classification confidential --reason "churn model" --duration 30d\n  $ tessera access request orders --columns order_id,status --row-filter "status = 'open'" --reason "ops report" --duration 7d --local --as arn:aws:sts::111111111111:assumed-role/TesseraAnalyst/bob\n\n${EXIT}`)
    .action(async (product: string, options: RequestCommandOptions) => setExit(await (await commands()).accessRequestCommand(product, options, io)));
  for (const verb of ['approve', 'deny'] as const) {
    common(access.command(verb).summary(`${verb} a pending request (owners; the most sensitive class also needs a governance admin)`).argument('<id>', 'the request id'))
      .option('--note <text>', 'a note for the audit trail')
      .addHelpText('after', `\n${EXIT}`)
      .action(async (id: string, options: AccessApiOptions & { note?: string }) => setExit(await (await commands()).accessDecisionCommand(verb, id, options, io)));
  }
  common(access.command('revoke').summary('end an active grant now (owners, governance admins, the requester)').argument('<id>', 'the request id'))
    .option('--note <text>', 'a note for the audit trail')
    .addHelpText('after', `\n${EXIT}`)
    .action(async (id: string, options: AccessApiOptions & { note?: string }) => setExit(await (await commands()).accessRevokeCommand(id, options, io)));
  common(access.command('renew').summary('ask for the same access again, for a new duration').argument('<id>', 'the active request'))
    .requiredOption('--reason <text>', 'why you still need it')
    .requiredOption('--duration <span>', 'how long, e.g. 30d')
    .addHelpText('after', `\n${EXIT}`)
    .action(async (id: string, options: AccessApiOptions & { reason?: string; duration?: string }) => setExit(await (await commands()).accessRenewCommand(id, options, io)));
  common(access.command('list').summary('access requests, newest first'))
    .option('--product <id>', 'only this product')
    .option('--state <state>', 'only pending, approved, active, denied, expired or revoked')
    .addHelpText('after', `\n${EXIT}`)
    .action(async (options: AccessApiOptions & { product?: string; state?: string }) => setExit(await (await commands()).accessListCommand(options, io)));
  common(access.command('audit').summary("a request's audit trail: who asked, why, who decided, what was granted, when it ended").argument('<id>', 'the request id'))
    .addHelpText('after', `\n${EXIT}`)
    .action(async (id: string, options: AccessApiOptions) => setExit(await (await commands()).accessAuditCommand(id, options, io)));
  common(access.command('drift').summary("compare Lake Formation's grants with the mesh config's and the active requests'"))
    .addHelpText('after', `\nReads ListPermissions in the governance account (your credentials), the mesh config's grant plan and the active requests,\nand prints the grants held that nothing asks for (extra) and those asked for but not held (missing).\n\n${EXIT}`)
    .action(async (options: AccessApiOptions) => setExit(await (await commands()).accessDriftCommand(options, io)));
}
