/**
 * Emitting grant-plan steps (`lib/access`) as CloudFormation: one `CfnPrincipalPermissions` per
 * permission step, in plan order, with a dependency on every step it depends on that this stack
 * holds. Steps in other accounts are ordered by stack dependencies (domains deploy first).
 */
import type { CfnResource } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type { Construct } from 'constructs';
import type { PermissionResource, PermissionStep } from '../../lib/access/index.js';

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
