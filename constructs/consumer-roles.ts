/**
 * The consumer roles Tessera creates: those the mesh config marks `createRole: true`, in the
 * governance account, named exactly as the config's ARN says (so the grant plan, the views and the
 * catalog name the same principal). Every other role the mesh names is a prerequisite
 * (`prerequisitePrincipals` in lib/mesh/layout.ts), checked by `tessera doctor`.
 *
 * Lake Formation decides what a consumer reads; the role's IAM policy only lets it use the
 * analysts' workgroup, its results and the catalog metadata, as Athena over Lake Formation needs
 * ("Permissions required to query with Athena", Lake Formation Developer Guide).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { MeshConfig } from '../lib/mesh/config.js';
import { rolePathAndName } from '../lib/mesh/layout.js';
import { acknowledge, acknowledgeBucketGrant } from './core/compliance.js';
import { constructIdFor } from './core/ids.js';
import type { MeshQuery } from './mesh-query.js';

/** Creates the `createRole: true` consumer roles, by ARN. */
export function createConsumerRoles(scope: Construct, config: MeshConfig): Map<string, iam.Role> {
  const roles = new Map<string, iam.Role>();
  for (const consumer of config.consumers.filter((c) => c.createRole)) {
    if (roles.has(consumer.role)) continue;
    const { path, name } = rolePathAndName(consumer.role);
    roles.set(
      consumer.role,
      new iam.Role(scope, `Consumer${constructIdFor(consumer.name)}Role`, {
        roleName: name,
        path,
        // Who may assume it is the account's decision (IAM Identity Center permission sets, IAM
        // policies), made by allowing sts:AssumeRole on this role to them.
        assumedBy: new iam.AccountPrincipal(Stack.of(scope).account),
        description: `Tessera consumer '${consumer.name}' of mesh ${config.name}: queries the mesh through Lake Formation`,
      }),
    );
  }
  return roles;
}

/** Lets `role` query in the analysts' workgroup: Athena, its results, the key, catalog metadata, Lake Formation data access. */
export function grantAnalystQuery(role: iam.Role, query: MeshQuery, key: kms.IKey): void {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'AnalystWorkGroup',
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
      resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: query.workGroup.name })],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'MeshMetadata',
      actions: ['glue:GetCatalog', 'glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'lakeformation:GetDataAccess'],
      resources: ['*'],
    }),
  );
  query.resultsBucket.grantReadWrite(role, 'results/*');
  acknowledgeBucketGrant(role, query.resultsBucket, 'results/');
  key.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
  acknowledge(
    role.node.findChild('DefaultPolicy'),
    'Lake Formation decides which databases, tables and columns a consumer reads; IAM must allow the Glue metadata reads and lakeformation:GetDataAccess on every resource for that ("Permissions required to query with Athena", Lake Formation Developer Guide), and GetDataAccess has no resource ARN',
    'AwsSolutions-IAM5[Resource::*]',
  );
}
