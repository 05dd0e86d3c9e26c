/**
 * `tessera doctor [mesh]`: the preflight before the first `cdk deploy --all` and after a failed one.
 * Offline it reads the synthesized cloud assembly (deploy order, deploy-time references, principals,
 * one owner per account); live, read-only, it asks the accounts what the deploy needs to be there.
 * Heavy modules (aws-cdk-lib, the AWS SDK) load inside the command, never at `tessera --help`;
 * the command's options and help are in commands/doctor.ts.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AssemblyError, type Assembly } from '../../lib/doctor/assembly.js';
import { offlineChecks } from '../../lib/doctor/offline.js';
import { prerequisitePrincipals } from '../../lib/mesh/layout.js';
import type { CheckResult } from '../../lib/doctor/report.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';
import { meshFileOf } from './paths.js';

/** The principals the mesh config declares as existing: data lake admins and the consumer roles Tessera does not create. */
const prerequisiteSource = (config: Mesh['config']): string[] => prerequisitePrincipals(config).map((p) => p.arn);

export interface DoctorOptions {
  readonly offline?: boolean;
  readonly assembly?: string;
  readonly prerequisite?: readonly string[];
  readonly profile?: string;
  readonly roleArnPattern?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export async function doctorCommand(meshArg: string, options: DoctorOptions, io: CliIo): Promise<ExitCode> {
  if (options.offline && (options.profile || options.roleArnPattern || options.endpointUrl)) {
    throw new UsageError('--offline asks no account: drop --profile, --role-arn-pattern and --endpoint-url, or drop --offline');
  }
  if (options.roleArnPattern !== undefined && !options.roleArnPattern.includes('{account}')) {
    throw new UsageError(`--role-arn-pattern '${options.roleArnPattern}' has no {account}: write e.g. arn:aws:iam::{account}:role/TesseraDeploy`);
  }
  // With --assembly the mesh is optional: read, when it is there, for its declared prerequisites.
  const given = isAbsolute(meshArg) ? meshArg : resolve(io.cwd, meshArg);
  const meshFile = options.assembly && !existsSync(given) ? given : await meshFileOf(meshArg, io.cwd);
  let mesh: Mesh | undefined;
  if (!options.assembly || existsSync(meshFile)) {
    const loaded = await loadMeshFile(meshFile);
    if (!loaded.mesh) {
      for (const d of loaded.diagnostics) io.err(`${formatDiagnostic(d)}\n`);
      io.err(`\ndoctor stopped: ${meshFile} or one of its contracts is invalid (see above)\n`);
      return 1;
    }
    mesh = loaded.mesh;
  }
  let assembly: Assembly;
  const { readAssemblyDir, synthesizeMesh } = await import('./doctor-assembly.js');
  try {
    assembly = options.assembly
      ? readAssemblyDir(isAbsolute(options.assembly) ? options.assembly : resolve(io.cwd, options.assembly))
      : await synthesizeMesh(mesh!, existsSync(resolve(io.cwd, 'cdk.json')) ? io.cwd : dirname(dirname(meshFile)));
  } catch (error) {
    if (!(error instanceof AssemblyError)) throw error;
    io.err(`error: ${error.message}\n`);
    return 1;
  }
  const prerequisites = [...(mesh ? prerequisiteSource(mesh.config) : []), ...(options.prerequisite ?? [])];
  const checks = offlineChecks(assembly, prerequisites);
  if (!options.offline) {
    const [{ createLiveAws }, { liveChecks }] = await Promise.all([import('./doctor-aws.js'), import('../../lib/doctor/live.js')]);
    const region = options.region ?? mesh?.config.region ?? assembly.stacks[0]!.region;
    const aws = await createLiveAws({ region, profile: options.profile, roleArnPattern: options.roleArnPattern, endpoint: options.endpointUrl });
    const credentialsHint = "pass --role-arn-pattern 'arn:aws:iam::{account}:role/<a role the deploying account may assume>' so every account can be asked";
    checks.push(...(await liveChecks(assembly, aws, { prerequisites, credentialsHint })));
  }
  const failed = checks.some((c) => c.status === 'fail');
  if (options.json) io.out(`${JSON.stringify({ ok: !failed, offline: options.offline ?? false, mesh: mesh?.config.name, checks }, null, 2)}\n`);
  else io.out(renderChecks(checks, options.verbose ?? false, `${mesh ? `mesh '${mesh.config.name}', ` : ''}${assembly.stacks.length} stacks${options.offline ? ', offline' : ''}`));
  return failed ? 1 : 0;
}

export function renderChecks(checks: readonly CheckResult[], verbose: boolean, heading: string): string {
  const lines = [`tessera doctor: ${heading}`, ''];
  for (const check of checks) {
    lines.push(`${check.status.toUpperCase().padEnd(4)}  ${check.id}: ${check.title}`);
    for (const note of check.notes ?? []) lines.push(`      ${note}`);
    let hidden = 0;
    for (const f of check.findings) {
      if (f.status === 'pass' && !verbose) {
        hidden += 1;
        continue;
      }
      lines.push(`      ${f.status === 'fail' ? 'fail' : f.status === 'skip' ? 'skip' : 'ok  '} ${f.message}`);
      if (f.fix) lines.push(`           fix: ${f.fix}`);
    }
    if (hidden > 0) lines.push(`      (${hidden} passed${check.status === 'pass' ? '' : '; --verbose shows them'})`);
  }
  const count = (s: string) => checks.filter((c) => c.status === s).length;
  lines.push('', `${checks.length} checks: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`);
  return `${lines.join('\n')}\n`;
}
