/**
 * Lake Formation in one account: data lake settings that add admins without removing existing
 * ones and drop the IAM-allowed-principals defaults, plus the LF-tag ontology (`domain`,
 * `classification`) that tables and columns are tagged with.
 */
import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';

// The tag keys are the access model's: defined once, in lib/access.
export { CLASSIFICATION_TAG, DOMAIN_TAG } from '../lib/access/model.js';
import { CLASSIFICATION_TAG, DOMAIN_TAG } from '../lib/access/model.js';

export interface LakeFormationSetupProps {
  /** Values of the `domain` LF-tag. */
  readonly domains: readonly string[];
  /** Values of the `classification` LF-tag, least to most sensitive. */
  readonly classifications: readonly string[];
  /**
   * Further data lake administrators (IAM role ARNs).
   * @default - only the CDK CloudFormation execution role, which must be one for deploys to work
   */
  readonly admins?: readonly string[];
}

export class LakeFormationSetup extends Construct {
  readonly settings: lakeformation.CfnDataLakeSettings;
  readonly domainTag: lakeformation.CfnTag;
  readonly classificationTag: lakeformation.CfnTag;

  constructor(scope: Construct, id: string, props: LakeFormationSetupProps) {
    super(scope, id);
    if (props.domains.length === 0) throw new Error('LakeFormationSetup: domains must name at least one domain');
    if (props.classifications.length === 0) throw new Error('LakeFormationSetup: classifications must name at least one value');
    const admins = [cdkExecutionRoleArn(this), ...(props.admins ?? [])];
    this.settings = new lakeformation.CfnDataLakeSettings(this, 'Settings', {
      // APPEND keeps admins someone else set; REPLACE would lock them (and other stacks) out.
      mutationType: 'APPEND',
      admins: admins.map((dataLakePrincipalIdentifier) => ({ dataLakePrincipalIdentifier })),
      // No IAM_ALLOWED_PRINCIPALS on new databases and tables: Lake Formation alone grants access.
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      // Version 4: tag-based cross-account sharing through RAM, and hybrid access mode.
      parameters: { CROSS_ACCOUNT_VERSION: '4' },
    });
    this.domainTag = new lakeformation.CfnTag(this, 'DomainTag', { tagKey: DOMAIN_TAG, tagValues: [...props.domains] });
    this.classificationTag = new lakeformation.CfnTag(this, 'ClassificationTag', { tagKey: CLASSIFICATION_TAG, tagValues: [...props.classifications] });
    // Creating tags needs the admin settings in place.
    this.domainTag.addResourceDependency(this.settings);
    this.classificationTag.addResourceDependency(this.settings);
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

/** The role CloudFormation deploys with, from the CDK bootstrap (respects a custom qualifier). */
export function cdkExecutionRoleArn(scope: Construct): string {
  const qualifier = (Stack.of(scope).node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? 'hnb659fds';
  return `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-${qualifier}-cfn-exec-role-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}
