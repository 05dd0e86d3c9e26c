/**
 * Who may call the catalog API across accounts: the mesh's own accounts (governance, domains and
 * the consumers' role accounts), IAM still deciding per caller (every method is IAM-authorized).
 *
 * One resource-policy statement whatever the number of accounts: any principal, held to the mesh's
 * accounts by the global condition key `aws:PrincipalAccount`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount),
 * as API Gateway's resource policy examples allow a list of accounts
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html).
 * A principal per account, as before, wrote `arn:aws:iam::<account>:root` (32 bytes) per account in
 * every statement, and API Gateway takes a resource policy of at most 8,192 bytes
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html):
 * the condition lists each account in 15 bytes, so 501 accounts fit (7,716 bytes) where they used
 * to pass 15 KB at 100.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { MeshConfig } from '../../lib/mesh/config.js';

/** API Gateway's quota for a REST API's resource policy, in bytes (the quota page above). */
export const API_RESOURCE_POLICY_MAX_BYTES = 8192;

export function meshCallerAccounts(config: MeshConfig): string[] {
  return [...new Set([config.governance.account, ...config.domains.map((d) => d.account), ...config.consumers.map((c) => c.role.split(':')[4]!)])];
}

/** `execute-api:Invoke` on `resources` for any principal of the mesh's accounts. */
export function meshCallersStatement(config: MeshConfig, resources: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: [...resources],
    conditions: { StringEquals: { 'aws:PrincipalAccount': meshCallerAccounts(config) } },
  });
}

/** Fails synth when `document`, as CloudFormation receives it (compact JSON), passes API Gateway's quota. */
export function validateResourcePolicySize(scope: IConstruct, document: iam.PolicyDocument, accounts: number): void {
  scope.node.addValidation({
    validate: () => {
      const bytes = Buffer.byteLength(JSON.stringify(Stack.of(scope).resolve(document.toJSON())), 'utf8');
      return bytes <= API_RESOURCE_POLICY_MAX_BYTES
        ? []
        : [`the catalog API's resource policy is ${bytes} bytes for ${accounts} accounts, over API Gateway's ${API_RESOURCE_POLICY_MAX_BYTES}: hold it to the organization with aws:PrincipalOrgID instead, or split the mesh`];
    },
  });
}
