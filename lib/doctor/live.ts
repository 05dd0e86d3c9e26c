/**
 * The live doctor: read-only questions to the accounts, asked through a port (`LiveAws`) so the
 * judgement stays here, pure, and the AWS SDK stays in bin/. An answer the endpoint cannot give
 * (an API moto lacks, a call only the management account may make) is a skip that says so, never a
 * pass.
 */
import type { Assembly, AssemblyStack } from './assembly.js';
import { checkResult, skippedCheck, type CheckResult, type Finding } from './report.js';
import { principalsInString } from './targets.js';
import { accountSetting } from './ownership.js';
import { sarApplications } from './reaches.js';
import { placeOf, resolveDeep, stringsIn } from './resolve.js';

/** An answer, or why there is none: `unsupported` = this endpoint lacks the API. */
export type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: 'unsupported' | 'denied' | 'error'; readonly message: string };

export interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly Principal?: string | { readonly AWS?: string | readonly string[] };
}

export interface LakeFormationGrant {
  readonly principal: string;
  readonly permissions: readonly string[];
}

/** What one account answers (with the credentials the deploy would use there). */
export interface AccountAws {
  /** The CDKToolkit stack's BootstrapVersion output; `undefined` when there is no such stack. */
  bootstrapVersion(): Promise<Answer<number | undefined>>;
  /** A role's trust policy statements; `undefined` when the role does not exist. */
  role(name: string): Promise<Answer<{ readonly trust: readonly PolicyStatement[] } | undefined>>;
  dataLakeAdmins(): Promise<Answer<readonly string[]>>;
  /** The stack's status, `undefined` when it does not exist. */
  stackStatus(stackName: string): Promise<Answer<string | undefined>>;
  /** A deployed stack's resources: logical id → type and physical id. */
  stackResources(stackName: string): Promise<Answer<ReadonlyMap<string, { readonly type: string; readonly id: string }>>>;
  /** Lake Formation permissions on one resource (in the ListPermissions `Resource` shape), optionally of one principal. */
  permissions(resource: Record<string, unknown>, principal?: string): Promise<Answer<readonly LakeFormationGrant[]>>;
}

export interface LiveAws {
  /** The account whose credentials run the deploy (STS GetCallerIdentity). */
  callerAccount(): Promise<string>;
  /** `undefined` when there are no credentials for that account. */
  account(id: string): AccountAws | undefined;
  /** The organization the caller's account is in; `undefined` when it is in none. */
  organization(): Promise<Answer<{ readonly id: string; readonly managementAccount: string } | undefined>>;
  /** Service principals with trusted access to the organization (management account only). */
  organizationServiceAccess(): Promise<Answer<readonly string[]>>;
  /** Whether a Serverless Application Repository application has this version in the region. */
  sarApplication(applicationId: string, version: string | undefined, region: string): Promise<Answer<boolean>>;
}

export interface LiveOptions {
  /** ARNs of the prerequisite principals (declared to exist before the deploy). */
  readonly prerequisites: readonly string[];
  /** How the deploy reaches each account, for the fix text. */
  readonly credentialsHint: string;
}

function unanswered(subject: string, answer: Extract<Answer<unknown>, { ok: false }>): Finding {
  const message = answer.why === 'unsupported' ? `not checkable on this endpoint: ${answer.message}` : answer.why === 'denied' ? `not allowed to ask: ${answer.message}` : `could not ask: ${answer.message}`;
  return { status: answer.why === 'error' ? 'fail' : 'skip', subject, message, ...(answer.why === 'error' ? { fix: 'check the credentials and the network, then run tessera doctor again' } : {}) };
}

function accountsOf(assembly: Assembly): Map<string, AssemblyStack[]> {
  const map = new Map<string, AssemblyStack[]>();
  for (const s of assembly.stacks) map.set(s.account, [...(map.get(s.account) ?? []), s]);
  return map;
}

function noCredentials(account: string, hint: string): Finding {
  return { status: 'skip', subject: account, message: `no credentials for account ${account}`, fix: hint };
}

function trusts(statements: readonly PolicyStatement[], account: string): boolean {
  return statements.some((s) => {
    if (s.Effect !== 'Allow') return false;
    const actions = typeof s.Action === 'string' ? [s.Action] : (s.Action ?? []);
    if (!actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')) return false;
    const p = s.Principal;
    const aws = typeof p === 'string' ? [p] : typeof p?.AWS === 'string' ? [p.AWS] : (p?.AWS ?? []);
    return aws.some((a) => a === '*' || a === account || a.startsWith(`arn:aws`) && a.split(':')[4] === account);
  });
}

/** CDKToolkit in every account and region, new enough, and trusting the deploying account. */
export async function bootstrapCheck(assembly: Assembly, aws: LiveAws, options: LiveOptions): Promise<CheckResult> {
  const caller = await aws.callerAccount();
  const findings: Finding[] = [];
  for (const [account, stacks] of accountsOf(assembly)) {
    const region = stacks[0]!.region;
    const env = `aws://${account}/${region}`;
    const probe = aws.account(account);
    if (!probe) {
      findings.push(noCredentials(account, options.credentialsHint));
      continue;
    }
    const needed = Math.max(0, ...stacks.map((s) => s.requiresBootstrapStackVersion ?? 0));
    const bootstrap = `cdk bootstrap ${env}${account === caller ? '' : ` --trust ${caller} --cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess`}`;
    const version = await probe.bootstrapVersion();
    if (!version.ok) findings.push(unanswered(env, version));
    else if (version.value === undefined) findings.push({ status: 'fail', subject: env, message: `${env} is not bootstrapped (no CDKToolkit stack)`, fix: bootstrap });
    else if (version.value < needed) findings.push({ status: 'fail', subject: env, message: `${env} has bootstrap version ${version.value}; the app needs ${needed}`, fix: bootstrap });
    else findings.push({ status: 'pass', subject: env, message: `${env} is bootstrapped, version ${version.value} (the app needs ${needed})` });
    if (account === caller) continue;
    const deployRole = stacks[0]!.deployRoleArn?.split(':role/')[1];
    if (!deployRole) continue;
    const role = await probe.role(deployRole);
    if (!role.ok) findings.push(unanswered(`${env} trust`, role));
    else if (role.value === undefined) findings.push({ status: 'fail', subject: `${env} trust`, message: `the deploy role ${deployRole} does not exist in ${account}`, fix: bootstrap });
    else if (!trusts(role.value.trust, caller)) findings.push({ status: 'fail', subject: `${env} trust`, message: `the deploy role ${deployRole} does not trust the deploying account ${caller}`, fix: bootstrap });
    else findings.push({ status: 'pass', subject: `${env} trust`, message: `the deploy role ${deployRole} trusts the deploying account ${caller}` });
  }
  return checkResult('bootstrap', 'every account is bootstrapped in the region, new enough, trusting the deploying account', findings);
}

export async function prerequisiteCheck(aws: LiveAws, options: LiveOptions): Promise<CheckResult> {
  const findings: Finding[] = [];
  for (const arn of options.prerequisites) {
    const [principal] = principalsInString(arn);
    if (!principal || principal.kind !== 'iam-role') {
      findings.push({ status: 'skip', subject: arn, message: `${arn} is not a role ARN; only roles are looked up` });
      continue;
    }
    const probe = aws.account(principal.account);
    if (!probe) {
      findings.push({ ...noCredentials(principal.account, options.credentialsHint), subject: arn });
      continue;
    }
    const role = await probe.role(principal.name);
    if (!role.ok) findings.push(unanswered(arn, role));
    else if (role.value === undefined) findings.push({ status: 'fail', subject: arn, message: `the prerequisite role ${arn} does not exist`, fix: `create it before the deploy (aws iam create-role --role-name ${principal.name.split('/').pop()!} --assume-role-policy-document file://trust.json, in account ${principal.account}), or let Tessera create it` });
    else findings.push({ status: 'pass', subject: arn, message: `${arn} exists` });
  }
  return checkResult('prerequisite-principals', 'the declared prerequisite principals exist', findings);
}

/** Stacks creating Lake Formation resources need their CloudFormation execution role to be a data lake admin. */
export async function lakeFormationAdminCheck(assembly: Assembly, aws: LiveAws, options: LiveOptions): Promise<CheckResult> {
  const findings: Finding[] = [];
  for (const [account, stacks] of accountsOf(assembly)) {
    const lfStacks = stacks.filter((s) => Object.values(s.template.Resources ?? {}).some((r) => r.Type.startsWith('AWS::LakeFormation::')));
    const role = lfStacks[0]?.executionRoleArn;
    if (!role) continue;
    const probe = aws.account(account);
    if (!probe) {
      findings.push(noCredentials(account, options.credentialsHint));
      continue;
    }
    const admins = await probe.dataLakeAdmins();
    if (!admins.ok) {
      findings.push(unanswered(account, admins));
      continue;
    }
    const makesAdmin = lfStacks.find((s) =>
      Object.values(s.template.Resources ?? {}).some((r) => accountSetting(r) === 'Lake Formation data lake settings' && stringsIn(resolveDeep(r.Properties ?? {}, placeOf(s))).includes(role)),
    );
    if (admins.value.includes(role)) findings.push({ status: 'pass', subject: account, message: `${role} is a data lake administrator in ${account}` });
    else if (admins.value.length === 0 && makesAdmin) findings.push({ status: 'pass', subject: account, message: `${account} has no data lake administrator yet; ${makesAdmin.id} makes ${role} one when it deploys` });
    else
      findings.push({
        status: 'fail',
        subject: account,
        message: `${role} is not a data lake administrator in ${account} (admins: ${admins.value.join(', ') || 'none'}), so its grants fail`,
        fix: `add it in Lake Formation → Administrative roles and tasks, or: aws lakeformation get-data-lake-settings > s.json, append {"DataLakePrincipalIdentifier":"${role}"} to DataLakeAdmins, aws lakeformation put-data-lake-settings --data-lake-settings file://s.json (in ${account})`,
      });
  }
  return checkResult('lake-formation-admins', 'Lake Formation admins include the CDK execution role', findings);
}

/** Sharing with the organization lets Lake Formation share through RAM without per-account invitations. */
export async function ramSharingCheck(aws: LiveAws): Promise<CheckResult> {
  const org = await aws.organization();
  if (!org.ok) return checkResult('ram-organization-sharing', 'RAM sharing with the organization is enabled', [unanswered('organization', org)]);
  if (org.value === undefined) return skippedCheck('ram-organization-sharing', 'RAM sharing with the organization is enabled', 'the accounts are in no organization: Lake Formation shares to each account by id');
  const access = await aws.organizationServiceAccess();
  if (!access.ok) return checkResult('ram-organization-sharing', 'RAM sharing with the organization is enabled', [{ ...unanswered(org.value.id, access), fix: `run tessera doctor with credentials of the management account ${org.value.managementAccount}` }]);
  const enabled = access.value.includes('ram.amazonaws.com');
  return checkResult('ram-organization-sharing', 'RAM sharing with the organization is enabled', [
    enabled
      ? { status: 'pass', subject: org.value.id, message: `RAM has trusted access to ${org.value.id}` }
      : { status: 'fail', subject: org.value.id, message: `RAM sharing with ${org.value.id} is not enabled: every Lake Formation share waits for an invitation to be accepted`, fix: `aws ram enable-sharing-with-aws-organization (in the management account ${org.value.managementAccount})` },
  ]);
}

export async function sarCheck(assembly: Assembly, aws: LiveAws): Promise<CheckResult> {
  const findings: Finding[] = [];
  for (const app of sarApplications(assembly)) {
    const subject = `${app.applicationId}${app.semanticVersion ? `@${app.semanticVersion}` : ''}`;
    const found = await aws.sarApplication(app.applicationId, app.semanticVersion, app.region);
    if (!found.ok) findings.push({ ...unanswered(subject, found), stack: app.stack, resource: app.resource });
    else if (found.value) findings.push({ status: 'pass', subject, stack: app.stack, message: `${subject} exists in ${app.region}` });
    else
      findings.push({
        status: 'fail',
        subject,
        stack: app.stack,
        resource: app.resource,
        message: `${subject} (${app.stack}/${app.resource}) does not exist in ${app.region}`,
        fix: `pick a version that exists: aws serverlessrepo list-application-versions --application-id ${app.applicationId} --region ${app.region}, and set it as the federated source's connectorVersion`,
      });
  }
  return checkResult('serverless-applications', 'the connector applications and versions exist in the region', findings);
}

/** Every live check, in the order a platform engineer fixes them. */
export async function liveChecks(assembly: Assembly, aws: LiveAws, options: LiveOptions): Promise<CheckResult[]> {
  const { iamAllowedPrincipalsCheck, grantsHeldCheck } = await import('./deployed.js');
  return [
    await bootstrapCheck(assembly, aws, options),
    await prerequisiteCheck(aws, options),
    await lakeFormationAdminCheck(assembly, aws, options),
    await ramSharingCheck(aws),
    await sarCheck(assembly, aws),
    await iamAllowedPrincipalsCheck(assembly, aws, options),
    await grantsHeldCheck(assembly, aws, options),
  ];
}
