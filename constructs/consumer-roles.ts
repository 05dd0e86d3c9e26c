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
import { Stack, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { MeshConfig } from '../lib/mesh/config.js';
import { rolePathAndName } from '../lib/mesh/layout.js';
import { acknowledge } from './core/compliance.js';
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

/**
 * The `createRole: true` consumer roles as the governance stack sees them: created by the
 * foundation stack (same account, deployed first), referred to by ARN.
 */
export function importConsumerRoles(scope: Construct, config: MeshConfig): Map<string, iam.IRole> {
  const roles = new Map<string, iam.IRole>();
  for (const consumer of config.consumers.filter((c) => c.createRole)) {
    if (!roles.has(consumer.role)) roles.set(consumer.role, iam.Role.fromRoleArn(scope, `Consumer${constructIdFor(consumer.name)}Role`, consumer.role, { mutable: false }));
  }
  return roles;
}

/**
 * Lets `role` query in the analysts' workgroup: Athena, its results, the key, catalog metadata, Lake
 * Formation data access. One policy of `scope`'s stack, attached to the role by name, so the role
 * can live in the stack that deploys first and the workgroup in the one that deploys last. The
 * results actions are those Athena needs on its output location ("Allow access to query results",
 * Athena User Guide, IAM policies for user access).
 */
export function grantAnalystQuery(scope: Construct, id: string, role: iam.IRole, query: MeshQuery, key: kms.IKey): iam.Policy {
  const stack = Stack.of(scope);
  const bucket = query.resultsBucket;
  const policy = new iam.Policy(scope, id, {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'AnalystWorkGroup',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: query.workGroup.name })],
      }),
      new iam.PolicyStatement({
        sid: 'MeshMetadata',
        actions: ['glue:GetCatalog', 'glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'lakeformation:GetDataAccess'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({ sid: 'ResultsBucket', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [bucket.bucketArn] }),
      new iam.PolicyStatement({ sid: 'Results', actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [bucket.arnForObjects('results/*')] }),
      new iam.PolicyStatement({ sid: 'ResultsKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
    ],
  });
  const cfnBucket = bucket.node.defaultChild as CfnResource;
  acknowledge(
    policy,
    'Lake Formation decides which databases, tables and columns a consumer reads; IAM must allow the Glue metadata reads and lakeformation:GetDataAccess on every resource for that ("Permissions required to query with Athena", Lake Formation Developer Guide), and GetDataAccess has no resource ARN',
    'AwsSolutions-IAM5[Resource::*]',
  );
  acknowledge(policy, "Query results are objects of the workgroup's own results/ prefix, one object per query, so the resource is that prefix", `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(cfnBucket)}.Arn>/results/*]`);
  acknowledge(policy, 'The statements serve this one consumer role, which another stack of the account creates; a managed policy would add a resource without narrowing access', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
  return policy;
}
