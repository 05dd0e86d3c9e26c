/**
 * Lake Formation in one account: the account-wide data lake settings (Tessera's admins added to
 * the existing ones, the "use only IAM access control" defaults removed, cross-account version 4),
 * through a read-merge-write custom resource, plus the LF-tag ontology (`domain`,
 * `classification`) that tables and columns are tagged with. One stack per account owns this
 * (`lib/mesh/layout.ts`); the others in the account deploy after it.
 *
 * `revokeIamAllowedPrincipals` removes what IAMAllowedPrincipals already holds on Tessera's own
 * databases and tables. Both run in `lambdas/lakeformation/lockdown-handler.ts`.
 */
import { Aws, CustomResource, Duration, Stack, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CROSS_ACCOUNT_VERSION, REVOCATION_RESOURCE_TYPE, SETTINGS_RESOURCE_TYPE, TAG_VALUES_RESOURCE_TYPE } from '../lib/access/lake-settings.js';
import { LF_TAG_VALUES_MAX, LF_TAG_VALUES_PER_CALL } from '../lib/access/tag-values.js';
import { lakeFormationProviderName } from '../lib/mesh/layout.js';
import { acknowledge } from './core/compliance.js';
import { tesseraFunction } from './core/functions.js';

// The tag keys are the access model's: defined once, in lib/access.
export { CLASSIFICATION_TAG, DOMAIN_TAG } from '../lib/access/model.js';
import { CLASSIFICATION_TAG, DOMAIN_TAG } from '../lib/access/model.js';

export interface LakeFormationSetupProps {
  /** Values of the `domain` LF-tag (the grant plan's tag step for this account). */
  readonly domains: readonly string[];
  /** Values of the `classification` LF-tag, least to most sensitive. */
  readonly classifications: readonly string[];
  /**
   * Further data lake administrators (IAM role ARNs).
   * @default - only the CDK CloudFormation execution role, which must be one for deploys to work
   */
  readonly admins?: readonly string[];
  /** The mesh: names the account's lockdown provider (`lakeFormationProviderName`). */
  readonly mesh: string;
  /** Encrypts the log group of the function that applies the settings. */
  readonly key: kms.IKey;
}

export class LakeFormationSetup extends Construct {
  /** The account's settings: everything Lake Formation-managed in the stack depends on it. */
  readonly settings: CfnResource;
  /** The role of the function that applies the settings and revokes (a data lake admin). */
  readonly lockdownRole: iam.IRole;
  readonly domainTag: lakeformation.CfnTag;
  readonly classificationTag: lakeformation.CfnTag;
  /** Per tag key, what to depend on for every value to exist: the tag, or the resource adding values beyond its first 50. */
  readonly tagComplete = new Map<string, CfnResource>();

  constructor(scope: Construct, id: string, props: LakeFormationSetupProps) {
    super(scope, id);
    if (props.domains.length === 0) throw new Error('LakeFormationSetup: domains must name at least one domain');
    if (props.classifications.length === 0) throw new Error('LakeFormationSetup: classifications must name at least one value');
    const provider = new LockdownProvider(this, 'Lockdown', { mesh: props.mesh, key: props.key });
    // The function revokes grants too, which Lake Formation allows admins only: it is one itself.
    const admins = [cdkExecutionRoleArn(this), provider.role.roleArn, ...(props.admins ?? [])];
    const settings = new CustomResource(this, 'AccountSettings', {
      serviceToken: provider.serviceToken,
      resourceType: SETTINGS_RESOURCE_TYPE,
      properties: { CatalogId: Aws.ACCOUNT_ID, Admins: admins, CrossAccountVersion: String(CROSS_ACCOUNT_VERSION) },
    });
    this.settings = settings.node.defaultChild as CfnResource;
    this.lockdownRole = provider.role;
    this.domainTag = this.lfTag('DomainTag', DOMAIN_TAG, props.domains, provider);
    this.classificationTag = this.lfTag('ClassificationTag', CLASSIFICATION_TAG, props.classifications, provider);
  }

  /**
   * An LF-tag of up to 1,000 values: the AWS::LakeFormation::Tag creates the first 50 (one
   * CreateLFTag call takes no more), a `Custom::TesseraLfTagValues` of the account's lockdown
   * provider (already a data lake admin) adds the rest in batches of 50. One custom resource rather
   * than one per batch: a batch boundary moving when a domain is added in the middle would
   * otherwise replace resources and remove values another batch still holds. A tag of 50 values or
   * fewer is the plain resource it always was. Limits: lib/access/tag-values.ts.
   */
  private lfTag(id: string, key: string, values: readonly string[], provider: LockdownProvider): lakeformation.CfnTag {
    if (values.length > LF_TAG_VALUES_MAX) throw new Error(`LakeFormationSetup: LF-tag '${key}' would have ${values.length} values; Lake Formation holds at most ${LF_TAG_VALUES_MAX} per tag`);
    const tag = new lakeformation.CfnTag(this, id, { tagKey: key, tagValues: values.slice(0, LF_TAG_VALUES_PER_CALL) });
    // Creating tags needs the admin settings in place.
    tag.addResourceDependency(this.settings);
    this.tagComplete.set(key, tag);
    const rest = values.slice(LF_TAG_VALUES_PER_CALL);
    if (rest.length === 0) return tag;
    provider.allowTagUpdates();
    const more = new CustomResource(this, `${id}Values`, {
      serviceToken: provider.serviceToken,
      resourceType: TAG_VALUES_RESOURCE_TYPE,
      // First: an update of the tag's own batch re-runs this one, which re-adds every extra value.
      properties: { CatalogId: Aws.ACCOUNT_ID, TagKey: key, TagValues: rest, First: tag.tagValues },
    });
    const moreResource = more.node.defaultChild as CfnResource;
    moreResource.addResourceDependency(tag);
    this.tagComplete.set(key, moreResource);
    return tag;
  }
}

/**
 * The role Lake Formation assumes to reach a registered location and vend credentials for it. The
 * trust is the one the registration guide gives (lakeformation.amazonaws.com, sts:AssumeRole;
 * https://docs.aws.amazon.com/lake-formation/latest/dg/registration-role.html), held to this
 * account's Lake Formation by aws:SourceAccount, the IAM guide's guard against a service acting for
 * another account (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention).
 * sts:SetContext is left out: it only carries IAM Identity Center user context into CloudTrail.
 */
export function lakeFormationDataAccessRole(scope: Construct, id: string, description: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } } }),
    description,
  });
}

export interface IamAllowedPrincipalsRevocationProps {
  /** The mesh: names the account's lockdown provider, which the account's `LakeFormationSetup` owns. */
  readonly mesh: string;
  /** The databases (names or refs) and their tables (names or refs), all in this stack's account. */
  readonly databases: readonly { readonly name: string; readonly tables: readonly string[] }[];
}

/**
 * Revokes every grant IAMAllowedPrincipals holds on the given databases and tables, after they
 * exist (refs make CloudFormation order it) and whenever the list changes. The account's provider
 * is addressed by its fixed name: it lives in the stack owning the account's settings, this one or
 * one deployed before (in this stack, also depend on `LakeFormationSetup.settings`).
 */
export function revokeIamAllowedPrincipals(scope: Construct, id: string, props: IamAllowedPrincipalsRevocationProps): CustomResource {
  return new CustomResource(scope, id, {
    serviceToken: `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:${lakeFormationProviderName(props.mesh)}`,
    resourceType: REVOCATION_RESOURCE_TYPE,
    properties: { CatalogId: Aws.ACCOUNT_ID, Databases: props.databases.map((d) => ({ Name: d.name, Tables: [...d.tables] })) },
  });
}

/** The function, the provider framework that relays CloudFormation's requests to it, and its role. */
class LockdownProvider extends Construct {
  readonly role: iam.Role;
  readonly serviceToken: string;
  private tagUpdates = false;

  constructor(scope: Construct, id: string, props: { readonly mesh: string; readonly key: kms.IKey }) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Tessera: merges the Lake Formation settings and revokes IAMAllowedPrincipals on Tessera resources, at deploy time',
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LakeFormationLockdown',
        actions: ['lakeformation:GetDataLakeSettings', 'lakeformation:PutDataLakeSettings', 'lakeformation:ListPermissions', 'lakeformation:RevokePermissions'],
        resources: ['*'],
      }),
    );
    const fn = tesseraFunction(this, 'Function', {
      handler: 'lakeformation/lockdown-handler',
      timeout: Duration.minutes(5),
      key: props.key,
      role: this.role,
      service: 'tessera-lakeformation',
    });
    // Named, so other stacks of the account (deployed later) reach it without an export.
    const provider = new cr.Provider(this, 'Provider', { onEventHandler: fn, providerFunctionName: lakeFormationProviderName(props.mesh) });
    this.serviceToken = provider.serviceToken;
    acknowledgeLockdown(this.role, fn, provider);
  }

  /** Only for a tag of more than 50 values, so a smaller mesh's policy stays as it was. */
  allowTagUpdates(): void {
    if (this.tagUpdates) return;
    this.tagUpdates = true;
    // GetLFTag and UpdateLFTag are authorized on the catalog by Lake Formation (the role is a data lake admin), not on an IAM resource ARN.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'LakeFormationTagValues', actions: ['lakeformation:GetLFTag', 'lakeformation:UpdateLFTag'], resources: ['*'] }));
  }
}

function acknowledgeLockdown(role: iam.Role, fn: Construct, provider: cr.Provider): void {
  acknowledge(
    role,
    'Lake Formation authorizes GetDataLakeSettings, PutDataLakeSettings, ListPermissions and RevokePermissions on the account, not on a resource ARN ("Lake Formation permissions reference", Service Authorization Reference), so the resource is *',
    'AwsSolutions-IAM5[Resource::*]',
  );
  acknowledge(role, 'Statements written for this one role, inline beside it; a managed policy would add a resource without narrowing access', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
  const deployTimeOnly = 'it runs only during CloudFormation deployments, called synchronously by the provider framework, which reports every failure as a failed deployment';
  acknowledge(fn, `Deploy-time custom resource: ${deployTimeOnly}; a dead-letter queue would never receive anything`, 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
  acknowledge(fn, `Deploy-time custom resource: ${deployTimeOnly}; reserved concurrency would only take capacity from the account`, 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency');
  acknowledge(fn, 'Deploy-time custom resource that reaches the Lake Formation endpoint only and needs no network placement', 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
  acknowledgeProviderFramework(provider, fn);
}

/** The provider framework's own Lambda (built and pinned by aws-cdk-lib) and its role. */
function acknowledgeProviderFramework(provider: cr.Provider, fn: Construct): void {
  const fnId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnResource);
  const reason = (why: string): string => `CDK custom resource provider framework, which relays CloudFormation requests to the Tessera function during deployments only: ${why}`;
  acknowledge(provider, reason('its runtime is pinned and upgraded by aws-cdk-lib, not by us'), 'AwsSolutions-L1');
  acknowledge(provider, reason('it uses the AWS managed basic execution policy for its own log group'), 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]');
  acknowledge(provider, reason('CDK grants it invoke on the function and its versions (`:*`), as the framework needs'), `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`);
  acknowledge(provider, reason('CDK writes its invoke statement inline on its role'), 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
  acknowledge(provider, reason('it reaches AWS service endpoints only and needs no network placement'), 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
  acknowledge(provider, reason('CloudFormation invokes it synchronously and reports every failure as a failed deployment, so a dead-letter queue would never receive anything'), 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
  acknowledge(provider, reason('it runs a few times per deployment; reserved concurrency would only take capacity from the account'), 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency');
  acknowledge(provider, reason('its log group is created by Lambda with the default retention and encryption, set by aws-cdk-lib'), 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', 'NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod');
}

/** The role CloudFormation deploys with, from the CDK bootstrap (respects a custom qualifier). */
export function cdkExecutionRoleArn(scope: Construct): string {
  const qualifier = (Stack.of(scope).node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? 'hnb659fds';
  return `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-${qualifier}-cfn-exec-role-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}
