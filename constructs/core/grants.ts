/**
 * Emitting grant-plan steps (`lib/access`) as CloudFormation: one `CfnPrincipalPermissions` per
 * permission step, in plan order, with a dependency on every step it depends on that this stack
 * holds. Steps in other accounts are ordered by stack dependencies (domains deploy first).
 */
import { Aspects, Stack, type CfnResource } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type { Construct, IConstruct } from 'constructs';
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

/**
 * Makes CloudFormation create and delete the Lake Formation grants of `stack` one at a time, in the
 * order they were constructed. Grants applied in parallel fail: concurrent GrantPermissions calls
 * are refused with ConcurrentModificationException (aws/aws-cdk#36215), and the
 * PrincipalPermissions handler loses track of grants created at the same moment and fails them
 * with AlreadyExists (aws-cloudformation/cloudformation-coverage-roadmap#2500). CloudFormation has
 * no batch grant resource (cloudformation-coverage-roadmap#2432), so the grants are chained: each
 * depends on the one before it. Runs at synthesis, so grants added after the stack's constructor
 * (a `grantRead`, a view) are in the chain too.
 */
export function serializeLakeFormationGrants(stack: Stack): void {
  Aspects.of(stack).add({
    visit(node: IConstruct): void {
      if (node !== stack) return;
      const grants = stack.node.findAll().filter((c): c is lakeformation.CfnPrincipalPermissions => c instanceof lakeformation.CfnPrincipalPermissions && Stack.of(c) === stack);
      for (let i = 1; i < grants.length; i++) grants[i]!.addResourceDependency(grants[i - 1]!);
    },
  });
}
