/**
 * The account-wide Lake Formation settings Tessera needs, merged into whatever the account has:
 * Tessera's admins are added to the existing ones (never replacing them: that would lock out other
 * teams and stacks), the "use only IAM access control" defaults for new databases and tables are
 * removed (IAMAllowedPrincipals would otherwise hold ALL on everything created, and the LF-tags
 * would govern nothing), the cross-account version is raised to the one tag-based sharing through
 * RAM needs (never lowered), and every other setting is kept as it is.
 *
 * Why read-merge-write in a custom resource and not AWS::LakeFormation::DataLakeSettings: its empty
 * CreateDatabaseDefaultPermissions / CreateTableDefaultPermissions lists are ignored, so the
 * defaults are never removed (aws-cloudformation/cloudformation-coverage-roadmap#2197, open), and a
 * plain PutDataLakeSettings replaces the admin list. The only valid values of the default lists are
 * an empty list or ALL for IAM_ALLOWED_PRINCIPALS ("PutDataLakeSettings", Lake Formation API
 * Reference; "Changing the default settings for your data lake", Lake Formation Developer Guide).
 */

/** The custom resource types of `lambdas/lakeformation/lockdown-handler.ts`. */
export const SETTINGS_RESOURCE_TYPE = 'Custom::TesseraDataLakeSettings';
export const REVOCATION_RESOURCE_TYPE = 'Custom::TesseraIamAllowedPrincipalsRevocation';
/** The values of an LF-tag beyond the first 50 (which its AWS::LakeFormation::Tag creates): lib/access/tag-values.ts. */
export const TAG_VALUES_RESOURCE_TYPE = 'Custom::TesseraLfTagValues';

/** Tag-based cross-account sharing through RAM (and hybrid access mode) needs version 4. */
export const CROSS_ACCOUNT_VERSION = 4;

/** IAMAllowedPrincipals: the group standing for "whatever IAM allows". */
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';

/** The subset of Lake Formation's DataLakeSettings this module reads; other fields pass through. */
export interface DataLakeSettings {
  readonly DataLakeAdmins?: readonly { readonly DataLakePrincipalIdentifier?: string }[];
  readonly CreateDatabaseDefaultPermissions?: readonly unknown[];
  readonly CreateTableDefaultPermissions?: readonly unknown[];
  readonly Parameters?: Readonly<Record<string, string>>;
  readonly [other: string]: unknown;
}

export interface WantedSettings {
  /** Principals that must be data lake admins (added to the existing ones). */
  readonly admins: readonly string[];
  /** The minimum CROSS_ACCOUNT_VERSION, e.g. 4. */
  readonly crossAccountVersion: number;
}

export function mergeDataLakeSettings(current: DataLakeSettings, wanted: WantedSettings): DataLakeSettings {
  const existing = (current.DataLakeAdmins ?? []).map((a) => a.DataLakePrincipalIdentifier).filter((a): a is string => typeof a === 'string');
  const admins = [...new Set([...existing, ...wanted.admins])];
  const version = Number(current.Parameters?.CROSS_ACCOUNT_VERSION ?? '1');
  return {
    ...current,
    DataLakeAdmins: admins.map((DataLakePrincipalIdentifier) => ({ DataLakePrincipalIdentifier })),
    CreateDatabaseDefaultPermissions: [],
    CreateTableDefaultPermissions: [],
    Parameters: { ...current.Parameters, CROSS_ACCOUNT_VERSION: String(Number.isFinite(version) ? Math.max(version, wanted.crossAccountVersion) : wanted.crossAccountVersion) },
  };
}
