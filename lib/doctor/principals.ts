/**
 * Every IAM principal a template names by ARN (grants, trust and resource policies, admins) must
 * exist when CloudFormation applies it: IAM, KMS, S3 and Lake Formation all reject a policy or grant
 * naming a principal that does not exist. So each is created by the app in a stack that deploys
 * earlier (or the same stack), created by `cdk bootstrap`, or declared as a prerequisite.
 * Seen in the field: a role trust policy naming a role not yet created fails with "Invalid principal
 * in policy" (aws-samples/aws-secure-environment-accelerator#1136); a KMS key policy with "Policy
 * contains a statement with one or more invalid principals"
 * (aws-samples/aws-blog-codepipeline-third-party-git-build-status#6); AWS: "make sure that the IAM
 * entity exists" (https://repost.aws/knowledge-center/kms-policy-error-invalid-principals).
 */
import { resourcesOf, type Assembly } from './assembly.js';
import { ancestors } from './order.js';
import { creators, judgeReference } from './reaches.js';
import { checkResult, type CheckResult, type Finding } from './report.js';
import { placeOf, resolveDeep, stringsIn } from './resolve.js';
import { principalsInString, targetKey, type Target } from './targets.js';

// The roles `cdk bootstrap` creates, named cdk-<qualifier>-<purpose>-role-<account>-<region>.
const BOOTSTRAP_ROLE = /^cdk-[a-z0-9]+-(deploy|cfn-exec|file-publishing|image-publishing|lookup)-role-(\d{12})-([a-z0-9-]+)$/;

export interface NamedPrincipal {
  readonly stack: string;
  readonly principal: Target;
  readonly resources: readonly string[];
}

/**
 * A policy's `Condition` values are compared at request time and never resolved to principals, so
 * an ARN there (`aws:PrincipalArn`) may name a role that does not exist yet: the usual way to grant
 * to a role created later (DataDog/terraform-module-datadog-agentless-scanner#43). Left out here.
 */
function withoutConditions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutConditions);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'Condition').map(([k, v]) => [k, withoutConditions(v)]));
}

/** Each principal named in each stack (outside policy conditions), with the resources naming it. */
export function namedPrincipals(assembly: Assembly): NamedPrincipal[] {
  const out: NamedPrincipal[] = [];
  for (const stack of assembly.stacks) {
    const byKey = new Map<string, { principal: Target; resources: string[] }>();
    for (const [logical, resource] of resourcesOf(stack)) {
      for (const text of stringsIn(withoutConditions(resolveDeep(resource.Properties ?? {}, placeOf(stack))))) {
        for (const principal of principalsInString(text)) {
          const entry = byKey.get(targetKey(principal)) ?? { principal, resources: [] };
          if (!entry.resources.includes(logical)) entry.resources.push(logical);
          byKey.set(targetKey(principal), entry);
        }
      }
    }
    for (const entry of byKey.values()) out.push({ stack: stack.id, ...entry });
  }
  return out;
}

export function principalCheck(assembly: Assembly, declared: ReadonlySet<string>): CheckResult {
  const context = { creators: creators(assembly), ancestors: ancestors(assembly), declared };
  const accounts = new Set(assembly.stacks.map((s) => s.account));
  const findings: Finding[] = [];
  for (const { stack, principal, resources } of namedPrincipals(assembly)) {
    const shown = resources.length > 3 ? `${resources.slice(0, 3).join(', ')} and ${resources.length - 3} more` : resources.join(', ');
    const arn = `arn:aws:iam::${principal.account}:${principal.kind === 'iam-role' ? 'role' : 'user'}/${principal.name}`;
    const base = { subject: arn, stack, resource: resources[0] };
    const bootstrap = BOOTSTRAP_ROLE.exec(principal.name);
    if (bootstrap && principal.kind === 'iam-role') {
      findings.push(
        accounts.has(principal.account)
          ? { ...base, status: 'pass', message: `${arn} (named by ${stack}: ${shown}) is a role cdk bootstrap creates; the live check bootstrap confirms it` }
          : { ...base, status: 'fail', message: `${arn} (named by ${stack}: ${shown}) is a bootstrap role of account ${principal.account}, where the app deploys nothing`, fix: `run cdk bootstrap aws://${principal.account}/${bootstrap[3]!}, or remove the reference` },
      );
      continue;
    }
    if (principal.name.startsWith('aws-service-role/')) {
      findings.push({ ...base, status: 'pass', message: `${arn} is a service-linked role: AWS creates it with the service` });
      continue;
    }
    const judged = judgeReference(principal, { stack, resource: shown, what: 'names' }, context);
    const viaCondition = `; in a key, bucket or trust policy you may instead trust the account (arn:aws:iam::${principal.account}:root) with the condition ArnLike aws:PrincipalArn ${arn}, which needs no existing role`;
    findings.push({ ...judged, subject: arn, resource: resources[0], ...(judged.fix ? { fix: judged.fix + viaCondition } : {}) });
  }
  return checkResult('principals', 'every principal named is created by the app or declared as existing', findings);
}
