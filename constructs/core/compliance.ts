/**
 * Compliance gates for every Tessera app: the cdk-nag packs we hold ourselves to, and the one way
 * to acknowledge a finding, always with a written reason next to the resource it concerns.
 */
import { Stack, Validations, type App } from 'aws-cdk-lib';
import { DISABLE_METADATA_STACK_TRACE } from 'aws-cdk-lib/cx-api';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as cr from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Registers AwsSolutions, NIST 800-53 rev 5, HIPAA Security and PCI DSS 3.2.1 on `app`. */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app));
}

/**
 * Acknowledges cdk-nag findings on `scope`: each rule id (with its `[finding]` if any) and why.
 *
 * A role's default policy is acknowledged on its role: when the statements pass the size IAM
 * allows an inline policy, CDK moves some into `OverflowPolicy1`, `OverflowPolicy2`, ... (managed
 * policies beside the default one, under the role: aws-cdk-lib aws-iam Role.splitLargePolicy), and
 * an acknowledgement covers the construct it is made on and those below it only. On the role it
 * covers the same statements wherever CDK puts them, so a mesh of many accounts or products does
 * not fail synth the day its policy overflows.
 */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  if (reason.trim().length < 20) throw new Error(`an acknowledgment needs a real reason, got '${reason}'`);
  const target = scope instanceof iam.Policy && scope.node.id === 'DefaultPolicy' && scope.node.scope instanceof iam.Role ? scope.node.scope : scope;
  withoutStackTrace(target, () => {
    for (const id of ids) Validations.of(target).acknowledge({ id, reason });
  });
}

/**
 * Runs `record` without capturing stack traces when the app's context turns metadata stack traces
 * off (`aws:cdk:disable-stack-trace`). aws-cdk-lib 2.276 records a trace with every acknowledgment
 * whatever that context says (Validations.recordAcknowledgment passes it as `stackTraceOverride`),
 * and capturing it was a fifth of a construct test's CPU; with no frames to capture, the
 * acknowledgment carries a one-line placeholder instead.
 */
function withoutStackTrace(scope: IConstruct, record: () => void): void {
  if (scope.node.tryGetContext(DISABLE_METADATA_STACK_TRACE) !== true) return record();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    record();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The policy a grant to `grantee` writes its statements in, when this app owns it: a role's default
 * policy, or the managed policy of a `RoleGrants` stand-in (constructs/core/role-grants.ts).
 */
export function grantPolicyOf(grantee: iam.IGrantable): IConstruct | undefined {
  const principal = grantee.grantPrincipal;
  if (principal instanceof iam.Role) return principal.node.tryFindChild('DefaultPolicy');
  return (principal as { readonly grantPolicy?: IConstruct }).grantPolicy;
}

/** The action families CDK's bucket grants emit; each is a wildcard to cdk-nag. */
const S3_GRANT_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * Acknowledges the findings that a CDK bucket grant to `grantee` raises on the grantee's inline
 * policy: the grant's action families, the object wildcard under `prefix` of `bucket`, and the
 * inline policy itself. Does nothing for principals whose policy is not in this app.
 */
export function acknowledgeBucketGrant(grantee: iam.IGrantable, bucket: s3.IBucket, prefix: string): void {
  const policy = grantPolicyOf(grantee);
  if (!policy) return;
  const cfnBucket = bucket.node.defaultChild;
  const objects = cfnBucket instanceof s3.CfnBucket ? [`AwsSolutions-IAM5[Resource::<${Stack.of(cfnBucket).getLogicalId(cfnBucket)}.Arn>/${prefix}*]`] : [];
  acknowledge(
    policy,
    'A bucket grant covers the objects of one data product location and the S3/KMS action families reading and writing whole Parquet files needs; nothing outside that location or key is reachable',
    ...S3_GRANT_ACTIONS.map((a) => `AwsSolutions-IAM5[Action::${a}]`),
    ...objects,
  );
  // A product group's stand-in writes a managed policy (constructs/core/role-grants.ts): not inline.
  if (!(policy instanceof iam.Policy)) return;
  acknowledge(
    policy,
    'CDK grants attach least-privilege statements inline to the role they serve; a separate managed policy per role would add a resource without narrowing access',
    'NIST.800.53.R5-IAMNoInlinePolicy',
    'HIPAA.Security-IAMNoInlinePolicy',
    'PCI.DSS.321-IAMNoInlinePolicy',
  );
}

/** The construct id of the one Lambda that runs every `AwsCustomResource` of a stack. */
const SDK_CALL_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * Acknowledges the findings of an `AwsCustomResource`: its own inline policy, and those of the
 * singleton Lambda (built, pinned and maintained by aws-cdk-lib) that runs the SDK calls of every
 * `AwsCustomResource` in the stack. `purpose` says what this one does, for the reasons.
 */
export function acknowledgeSdkCallProvider(resource: cr.AwsCustomResource, purpose: string): void {
  const policy = resource.node.tryFindChild('CustomResourcePolicy');
  if (policy) {
    acknowledge(
      policy,
      `The statements of a CDK AwsCustomResource that ${purpose}, inline on the role of the provider that makes the call, as CDK writes them`,
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'HIPAA.Security-IAMNoInlinePolicy',
      'PCI.DSS.321-IAMNoInlinePolicy',
    );
  }
  const provider = Stack.of(resource).node.tryFindChild(SDK_CALL_PROVIDER_ID);
  if (!provider) throw new Error(`AwsCustomResource no longer creates its ${SDK_CALL_PROVIDER_ID} singleton; revisit acknowledgeSdkCallProvider`);
  const reason = (why: string): string => `CDK AwsCustomResource provider, which makes SDK calls during CloudFormation deployments only: ${why}`;
  acknowledge(provider, reason('its runtime is pinned and upgraded by aws-cdk-lib, not by us'), 'AwsSolutions-L1');
  acknowledge(provider, reason('it uses the AWS managed basic execution policy for its own log group'), 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]');
  acknowledge(provider, reason('it reaches AWS service endpoints only and needs no network placement'), 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
  acknowledge(provider, reason('CloudFormation invokes it synchronously and reports every failure as a failed deployment, so a dead-letter queue would never receive anything'), 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
  acknowledge(provider, reason('it runs a few times per deployment; reserved concurrency would only take capacity from the account'), 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency');
}
