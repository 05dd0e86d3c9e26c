/**
 * Account-wide settings and names have one owner. Lake Formation's data lake settings are one
 * document per account and region (PutDataLakeSettings replaces it), LF-tag keys are unique per
 * catalog ("CreateLFTag": AlreadyExistsException), and IAM role, Glue database, bus, queue and
 * function names are unique in their account: a second stack creating the same one fails its deploy
 * (or, for settings, overwrites the first stack's).
 */
import { resourcesOf, type Assembly, type TemplateResource } from './assembly.js';
import { sdkCall } from './reaches.js';
import { checkResult, type CheckResult, type Finding } from './report.js';
import { createdBy, describeTarget, targetKey, type Target } from './targets.js';

const DATA_LAKE_SETTINGS = 'Lake Formation data lake settings';

/** Resource types of which an account (and region) holds exactly one. */
const SINGLETONS: Record<string, string> = {
  'AWS::LakeFormation::DataLakeSettings': DATA_LAKE_SETTINGS,
  'AWS::ApiGateway::Account': 'API Gateway account settings (CloudWatch role)',
};

/**
 * What account-wide setting a resource writes, if any: the CloudFormation types above, and custom
 * resources writing the data lake settings (an AwsCustomResource calling
 * LakeFormation.putDataLakeSettings, or a provider-backed `Custom::...DataLakeSettings`).
 */
export function accountSetting(resource: TemplateResource): string | undefined {
  const known = SINGLETONS[resource.Type];
  if (known) return known;
  if (!resource.Type.startsWith('Custom::')) return undefined;
  if (/DataLakeSettings$/.test(resource.Type) || /^LakeFormation\.putDataLakeSettings$/i.test(sdkCall(resource.Properties ?? {}) ?? '')) return DATA_LAKE_SETTINGS;
  return undefined;
}

export function ownershipCheck(assembly: Assembly): CheckResult {
  const findings: Finding[] = [];
  const owners = new Map<string, { what: string; where: string; holders: string[] }>();
  for (const stack of assembly.stacks) {
    for (const [logical, resource] of resourcesOf(stack)) {
      const what = accountSetting(resource);
      if (!what) continue;
      const key = `${what}|${stack.account}|${stack.region}`;
      const entry = owners.get(key) ?? { what, where: `${stack.account}/${stack.region}`, holders: [] };
      entry.holders.push(`${stack.id}/${logical}`);
      owners.set(key, entry);
    }
  }
  for (const { what, where, holders } of owners.values()) findings.push(ownerFinding(what, where, holders));

  const named = new Map<string, { target: Target; holders: string[] }>();
  for (const stack of assembly.stacks) {
    for (const t of createdBy(stack)) {
      const entry = named.get(targetKey(t)) ?? { target: t, holders: [] };
      entry.holders.push(stack.id);
      named.set(targetKey(t), entry);
    }
  }
  for (const { target: t, holders } of named.values()) {
    if (t.kind === 'lf-tag') findings.push(ownerFinding(`LF-tag key '${t.name}'`, t.region ? `${t.account}/${t.region}` : t.account, holders));
    else if (holders.length > 1) findings.push(ownerFinding(describeTarget(t), '', holders));
  }
  return checkResult('account-owners', 'one owner per account for account-wide settings, LF-tags and names', findings);
}

function ownerFinding(what: string, where: string, holders: readonly string[]): Finding {
  const subject = where ? `${what} in ${where}` : what;
  if (holders.length === 1) return { status: 'pass', subject, stack: holders[0]!.split('/')[0], message: `${subject}: owned by ${holders[0]!}` };
  return {
    status: 'fail',
    subject,
    stack: holders[1]!.split('/')[0],
    message: `${subject} is created by ${holders.length} stacks: ${holders.join(', ')}; the second to deploy fails (or overwrites the first)`,
    fix: `let one stack per account own it (the first to deploy there) and make the others depend on that stack, or give each domain its own account`,
  };
}
