/**
 * Emitting grant-plan steps (`lib/access`) as CloudFormation: one `CfnPrincipalPermissions` per
 * permission step, in plan order, with a dependency on every step it depends on that this stack
 * holds. Steps in other accounts are ordered by stack dependencies (domains deploy first).
 */
import type { CfnResource } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { stepIds, type AdminsStep, type PermissionResource, type PermissionStep, type PlanStep, type TagStep } from '../../lib/access/index.js';
import { CLASSIFICATION_TAG, DOMAIN_TAG, LakeFormationSetup } from '../lake-formation.js';

export function emitPermissionSteps(scope: Construct, steps: readonly PermissionStep[], emitted: Map<string, CfnResource>): void {
  for (const step of steps) {
    const grant = new lakeformation.CfnPrincipalPermissions(scope, `Grant:${step.id.replaceAll('/', ':')}`, {
      principal: { dataLakePrincipalIdentifier: step.principal },
      resource: permissionResource(step.resource),
      permissions: [...step.permissions],
      permissionsWithGrantOption: [...step.grantable],
    });
    for (const dependency of step.dependsOn) {
      const resource = emitted.get(dependency);
      if (resource) grant.addResourceDependency(resource);
    }
    emitted.set(step.id, grant);
  }
}

/** A plan step's resource in CloudFormation's shape. */
export function permissionResource(resource: PermissionResource): lakeformation.CfnPrincipalPermissions.ResourceProperty {
  switch (resource.type) {
    case 'catalog':
      return { catalog: {} };
    case 'data-location':
      return { dataLocation: { catalogId: resource.catalog, resourceArn: resource.location } };
    case 'database':
      return { database: { catalogId: resource.catalog, name: resource.database } };
    case 'table':
      return { table: { catalogId: resource.catalog, databaseName: resource.database, name: resource.table } };
    case 'columns':
      return { tableWithColumns: { catalogId: resource.catalog, databaseName: resource.database, name: resource.table, columnNames: [...resource.columns] } };
    case 'lf-tag':
      return { lfTag: { catalogId: resource.catalog, tagKey: resource.key, tagValues: [...resource.values] } };
    case 'lf-tag-policy':
      return {
        lfTagPolicy: {
          catalogId: resource.catalog,
          resourceType: resource.resourceType,
          expression: resource.expression.map((c) => ({ tagKey: c.key, tagValues: [...c.values] })),
        },
      };
  }
}

/** The permission steps of `account` for one purpose, in plan order. */
export function permissionSteps(steps: readonly { readonly kind: string; readonly account: string }[], account: string, purpose: PermissionStep['purpose']): PermissionStep[] {
  return steps.filter((s): s is PermissionStep => s.kind === 'permission' && s.account === account && (s as PermissionStep).purpose === purpose);
}

/**
 * The Lake Formation settings and LF-tags of `account`, as the grant plan computed them (its admins
 * step and tag steps), owned by `scope`'s stack. Returns the setup and the plan steps it holds, for
 * `emitPermissionSteps` to order against.
 */
export function accountLakeFormation(scope: Construct, steps: readonly PlanStep[], account: string, props: { readonly mesh: string; readonly key: kms.IKey }): { setup: LakeFormationSetup; emitted: Map<string, CfnResource> } {
  const admins = steps.find((s): s is AdminsStep => s.kind === 'admins' && s.account === account);
  const tag = (key: string): TagStep => {
    const step = steps.find((s): s is TagStep => s.kind === 'tag' && s.account === account && s.key === key);
    if (!step) throw new Error(`the grant plan has no '${key}' tag in account ${account}`);
    return step;
  };
  const domainTag = tag(DOMAIN_TAG);
  const classificationTag = tag(CLASSIFICATION_TAG);
  const setup = new LakeFormationSetup(scope, 'LakeFormation', { mesh: props.mesh, key: props.key, admins: admins?.admins ?? [], domains: domainTag.values, classifications: classificationTag.values });
  const emitted = new Map<string, CfnResource>([
    [stepIds.admins(account), setup.settings],
    [domainTag.id, setup.domainTag],
    [classificationTag.id, setup.classificationTag],
  ]);
  return { setup, emitted };
}
