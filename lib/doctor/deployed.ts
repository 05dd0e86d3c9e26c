/**
 * After a deploy: Lake Formation really governs. IAMAllowedPrincipals (the "use only IAM access
 * control" default) must hold nothing on the app's databases and tables, or any IAM principal with
 * Glue and S3 rights reads them past every LF-tag ("Changing the default settings for your data
 * lake", https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html); and every grant
 * the templates make must be held.
 */
import { resourcesOf, type Assembly, type AssemblyStack } from './assembly.js';
import type { AccountAws, LiveAws, LiveOptions } from './live.js';
import { checkResult, type CheckResult, type Finding } from './report.js';
import { deployedPlace, hasMarker, placeOf, resolveDeep } from './resolve.js';
import { createdBy } from './targets.js';

const IAM_ALLOWED = 'IAM_ALLOWED_PRINCIPALS';

/** The deployed stacks, each with its account's port; stacks not deployed (or without credentials) are reported. */
async function deployedStacks(assembly: Assembly, aws: LiveAws, options: LiveOptions, findings: Finding[]): Promise<[AssemblyStack, AccountAws][]> {
  const out: [AssemblyStack, AccountAws][] = [];
  for (const stack of assembly.stacks) {
    const probe = aws.account(stack.account);
    if (!probe) {
      findings.push({ status: 'skip', subject: stack.id, stack: stack.id, message: `no credentials for account ${stack.account}`, fix: options.credentialsHint });
      continue;
    }
    const status = await probe.stackStatus(stack.stackName);
    if (!status.ok) findings.push({ status: 'skip', subject: stack.id, stack: stack.id, message: `not checkable: ${status.message}` });
    else if (status.value === undefined) findings.push({ status: 'skip', subject: stack.id, stack: stack.id, message: `${stack.stackName} is not deployed yet` });
    else if (!/_COMPLETE$/.test(status.value) || /ROLLBACK|DELETE/.test(status.value)) findings.push({ status: 'fail', subject: stack.id, stack: stack.id, message: `${stack.stackName} is ${status.value}`, fix: `read its events: aws cloudformation describe-stack-events --stack-name ${stack.stackName}; fix the first failure, then deploy again` });
    else out.push([stack, probe]);
  }
  return out;
}

export async function iamAllowedPrincipalsCheck(assembly: Assembly, aws: LiveAws, options: LiveOptions): Promise<CheckResult> {
  const findings: Finding[] = [];
  for (const [stack, probe] of await deployedStacks(assembly, aws, options, findings)) {
    for (const t of createdBy(stack)) {
      if (t.kind !== 'glue-database' && t.kind !== 'glue-table') continue;
      const [database, table] = t.name.split('/') as [string, string | undefined];
      const resources: Record<string, unknown>[] =
        table === undefined
          ? [{ Database: { CatalogId: t.account, Name: database } }, { Table: { CatalogId: t.account, DatabaseName: database, TableWildcard: {} } }]
          : [{ Table: { CatalogId: t.account, DatabaseName: database, Name: table } }];
      for (const resource of resources) {
        const held = await probe.permissions(resource, IAM_ALLOWED);
        const what = 'Table' in resource && table === undefined ? `every table of ${database}` : t.name;
        const subject = `${stack.id}: ${what}`;
        if (!held.ok) {
          findings.push({ status: held.why === 'error' ? 'fail' : 'skip', subject, stack: stack.id, message: `not checkable: ${held.message}` });
          continue;
        }
        const grants = held.value.filter((g) => g.principal === IAM_ALLOWED && g.permissions.length > 0);
        findings.push(
          grants.length === 0
            ? { status: 'pass', subject, stack: stack.id, message: `IAMAllowedPrincipals holds nothing on ${what}` }
            : {
                status: 'fail',
                subject,
                stack: stack.id,
                message: `IAMAllowedPrincipals holds ${grants.flatMap((g) => g.permissions).join(', ')} on ${what}: IAM alone opens it, the LF-tags govern nothing`,
                fix: `aws lakeformation revoke-permissions --principal DataLakePrincipalIdentifier=${IAM_ALLOWED} --permissions ALL --resource '${JSON.stringify(resource)}' (in ${t.account})`,
              },
        );
      }
    }
  }
  return checkResult('iam-allowed-principals', 'IAMAllowedPrincipals holds nothing on the databases and tables (after a deploy)', findings);
}

export async function grantsHeldCheck(assembly: Assembly, aws: LiveAws, options: LiveOptions): Promise<CheckResult> {
  const findings: Finding[] = [];
  for (const [stack, probe] of await deployedStacks(assembly, aws, options, findings)) {
    const physical = await probe.stackResources(stack.stackName);
    const place = physical.ok ? deployedPlace(stack, physical.value) : placeOf(stack);
    for (const [logical, resource] of resourcesOf(stack)) {
      if (resource.Type !== 'AWS::LakeFormation::PrincipalPermissions') continue;
      const p = resolveDeep(resource.Properties ?? {}, place) as { Principal?: { DataLakePrincipalIdentifier?: string }; Resource?: Record<string, unknown>; Permissions?: string[] };
      const principal = p.Principal?.DataLakePrincipalIdentifier;
      const subject = `${stack.id}/${logical}`;
      if (typeof principal !== 'string' || hasMarker(principal) || hasMarker(JSON.stringify(p.Resource ?? {}))) {
        findings.push({ status: 'skip', subject, stack: stack.id, resource: logical, message: 'names its principal or resource by a reference the deployed stack does not resolve: not compared' });
        continue;
      }
      const held = await probe.permissions(p.Resource ?? {}, principal);
      if (!held.ok) {
        findings.push({ status: held.why === 'error' ? 'fail' : 'skip', subject, stack: stack.id, resource: logical, message: `not checkable: ${held.message}` });
        continue;
      }
      const have = new Set(held.value.filter((g) => g.principal === principal).flatMap((g) => g.permissions));
      const missing = (p.Permissions ?? []).filter((x) => !have.has(x) && !have.has('ALL'));
      findings.push(
        missing.length === 0
          ? { status: 'pass', subject, stack: stack.id, resource: logical, message: `${principal} holds ${(p.Permissions ?? []).join(', ')}` }
          : { status: 'fail', subject, stack: stack.id, resource: logical, message: `${principal} lacks ${missing.join(', ')} of ${logical}`, fix: `deploy ${stack.stackName} again (cdk deploy ${stack.id}); if it reports no changes, someone revoked the grant: cdk deploy ${stack.id} --force` },
      );
    }
  }
  return checkResult('grants-held', 'every Lake Formation grant of the templates is held (after a deploy)', findings);
}
