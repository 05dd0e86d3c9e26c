/**
 * Emitting grant-plan steps (`lib/access`) as CloudFormation: one `CfnPrincipalPermissions` per
 * permission step, in plan order, with a dependency on every step it depends on that this stack
 * holds. Steps in other accounts are ordered by stack dependencies (domains deploy first).
 */
import { Aspects, Stack, type CfnResource, type NestedStack } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct, IConstruct } from 'constructs';
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
 * Makes CloudFormation create and delete the Lake Formation grants of `stack` one at a time, in the
 * order they were constructed. Grants applied in parallel fail: concurrent GrantPermissions calls
 * are refused with ConcurrentModificationException (aws/aws-cdk#36215), and the
 * PrincipalPermissions handler loses track of grants created at the same moment and fails them
 * with AlreadyExists (aws-cloudformation/cloudformation-coverage-roadmap#2500). CloudFormation has
 * no batch grant resource (cloudformation-coverage-roadmap#2432), so the grants are chained: each
 * depends on the one before it. Runs at synthesis, so grants added after the stack's constructor
 * (a `grantRead`, a view) are in the chain too. `nested` (product groups) follow the stack's last
 * grant, one after another; each orders its own grants with a call of its own.
 */
export function serializeLakeFormationGrants(stack: Stack, nested: readonly NestedStack[] = []): void {
  Aspects.of(stack).add({
    visit(node: IConstruct): void {
      if (node !== stack) return;
      const grants = stack.node.findAll().filter((c): c is lakeformation.CfnPrincipalPermissions => c instanceof lakeformation.CfnPrincipalPermissions && Stack.of(c) === stack);
      for (let i = 1; i < grants.length; i++) grants[i]!.addResourceDependency(grants[i - 1]!);
      // Nested stacks (product groups) deploy while the parent does: each waits for the parent's
      // last grant and for the one before it, so no two stacks grant at the same time.
      let previous: CfnResource | undefined = grants.at(-1);
      for (const child of nested) {
        if (previous) child.nestedStackResource!.addResourceDependency(previous);
        previous = child.nestedStackResource;
      }
    },
  });
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
    [domainTag.id, setup.tagComplete.get(DOMAIN_TAG)!],
    [classificationTag.id, setup.tagComplete.get(CLASSIFICATION_TAG)!],
  ]);
  return { setup, emitted };
}
