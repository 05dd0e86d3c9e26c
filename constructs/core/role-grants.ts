/**
 * Grants made in a nested stack to a role of its parent stack. Left to CDK, such a grant adds its
 * statements to the role's inline default policy in the parent: a product group
 * (constructs/product-group-stack.ts) would then grow the parent's policy, and with it the parent's
 * overflow policies, however many products moved out. `RoleGrants.of(scope, role)` instead gives a
 * stand-in for `role` whose statements go into one managed policy created in `scope`'s stack and
 * attached to the role from there (the `Roles` property of AWS::IAM::ManagedPolicy,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html),
 * so the parent's template does not change. In the role's own stack it is the role itself.
 *
 * A managed policy holds at most 6,144 characters, and IAM attaches at most 10 managed policies to
 * a role by default, 20 with a quota increase ("IAM and AWS STS quotas", IAM User Guide,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). At synth the
 * statements are merged and split into `Policy`, `Policy2`, ... of at most 6,000 estimated
 * characters, as CDK splits a role's own policy (aws-iam Role.splitLargePolicy, with the same
 * PolicyDocument splitter and size estimate), and every role that receives such policies is
 * counted: a warning above 10 attached managed policies (the role's own, CDK's overflow policies
 * and the groups'), an error above 20.
 */
import { Annotations, AspectPriority, Aspects, Names, Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';

/** IAM's quotas on managed policies attached to one role (default, and the most a quota increase gives). */
export const MANAGED_POLICIES_PER_ROLE = { default: 10, max: 20 } as const;

/** The size CDK splits managed policies at (aws-iam's MAX_MANAGEDPOL_SIZE), under IAM's 6,144 for its estimate's sake. */
const MAX_POLICY_SIZE = 6000;

/** CDK's PolicyDocument splitter (internal, as aws-iam Role.splitLargePolicy calls it): the first document keeps what fits. */
type SplittableDocument = iam.PolicyDocument & { _splitDocument(scope: IConstruct, selfMaximumSize: number, splitMaximumSize: number): Map<iam.PolicyDocument, iam.PolicyStatement[]> };

/** The group policies attached to each role, for the count at synth. */
const attached = new WeakMap<IConstruct, iam.ManagedPolicy[]>();

export class RoleGrants extends Resource implements iam.IRole {
  /** The principal to grant `role` things from `scope`: the role in its own stack, else this stack's `RoleGrants` for it. */
  static of(scope: Construct, role: iam.IRole): iam.IRole {
    const stack = Stack.of(scope);
    if (Stack.of(role) === stack) return role;
    const id = `RoleGrants${Names.nodeUniqueId(role.node)}`;
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof RoleGrants) return existing;
    return new RoleGrants(stack, id, role);
  }

  readonly role: iam.IRole;
  readonly grantPrincipal: iam.IPrincipal = this;
  readonly assumeRoleAction: string;
  readonly principalAccount?: string;
  readonly roleArn: string;
  readonly roleName: string;
  private managedPolicy?: iam.ManagedPolicy;
  private readonly policies: iam.ManagedPolicy[] = [];
  private didSplit = false;

  private constructor(scope: Construct, id: string, role: iam.IRole) {
    super(scope, id);
    this.role = role;
    this.assumeRoleAction = role.assumeRoleAction;
    this.principalAccount = role.principalAccount;
    this.roleArn = role.roleArn;
    this.roleName = role.roleName;
  }

  get roleRef(): iam.IRole['roleRef'] {
    return this.role.roleRef;
  }

  get policyFragment(): iam.PrincipalPolicyFragment {
    return this.role.policyFragment;
  }

  /**
   * Where acknowledgements of this stack's grants to the role go (`grantPolicyOf`): this construct,
   * so they cover every policy it splits the grants into.
   */
  get grantPolicy(): IConstruct {
    return this;
  }

  /** The managed policies holding this stack's grants to the role, after synth's split. */
  get managedPolicies(): readonly iam.ManagedPolicy[] {
    return this.policies;
  }

  addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.managedPolicy ??= this.createPolicy();
    this.managedPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.managedPolicy };
  }

  addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  attachInlinePolicy(policy: iam.Policy): void {
    this.role.attachInlinePolicy(policy);
  }

  addManagedPolicy(policy: iam.IManagedPolicy): void {
    this.role.addManagedPolicy(policy);
  }

  grant(grantee: iam.IPrincipal, ...actions: string[]): iam.Grant {
    return this.role.grant(grantee, ...actions);
  }

  grantPassRole(grantee: iam.IPrincipal): iam.Grant {
    return this.role.grantPassRole(grantee);
  }

  grantAssumeRole(grantee: iam.IPrincipal): iam.Grant {
    return this.role.grantAssumeRole(grantee);
  }

  private createPolicy(): iam.ManagedPolicy {
    const policy = this.attach('Policy', undefined);
    Aspects.of(this).add({ visit: (c) => c === this && this.split(policy) }, { priority: AspectPriority.MUTATING });
    return policy;
  }

  /** Moves what does not fit in `policy` into `Policy2`, `Policy3`, ..., attached to the role too. */
  private split(policy: iam.ManagedPolicy): void {
    if (this.didSplit) return;
    this.didSplit = true;
    const document = policy.document as SplittableDocument;
    if (typeof document._splitDocument !== 'function') throw new Error('aws-iam PolicyDocument no longer has _splitDocument; revisit RoleGrants.split');
    const parts = document._splitDocument(this, MAX_POLICY_SIZE, MAX_POLICY_SIZE);
    let n = 2;
    for (const part of parts.keys()) if (part !== document) this.attach(`Policy${n++}`, part);
  }

  private attach(id: string, document: iam.PolicyDocument | undefined): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, id, { description: `Grants of ${Stack.of(this).node.path} to ${this.role.node.path}`, roles: [this.role], document });
    this.policies.push(policy);
    const policies = attached.get(this.role);
    if (policies) {
      policies.push(policy);
    } else {
      attached.set(this.role, [policy]);
      this.role.node.addValidation({ validate: () => checkAttachedCount(this.role) });
    }
    return policy;
  }
}

/** The managed policies attached to `role` at synth: its own (ManagedPolicyArns), CDK's overflow policies and the groups'. */
export function attachedManagedPolicies(role: iam.IRole): number {
  const cfn = role.node.defaultChild;
  const own = cfn instanceof iam.CfnRole ? ((Stack.of(role).resolve(cfn.managedPolicyArns) as unknown[] | undefined)?.length ?? 0) : 0;
  const overflow = role.node.children.filter((c) => c instanceof iam.ManagedPolicy && c.node.id.startsWith('OverflowPolicy')).length;
  return own + overflow + (attached.get(role)?.length ?? 0);
}

function checkAttachedCount(role: iam.IRole): string[] {
  const count = attachedManagedPolicies(role);
  const fix = 'raise productsPerStack (fewer product groups), or split the domain';
  if (count > MANAGED_POLICIES_PER_ROLE.max) {
    return [`role ${role.node.path} would have ${count} managed policies attached, more than IAM's maximum of ${MANAGED_POLICIES_PER_ROLE.max}: ${fix}`];
  }
  if (count > MANAGED_POLICIES_PER_ROLE.default) {
    Annotations.of(role).addWarningV2('@tessera/role-grants:managed-policy-quota', `${count} managed policies are attached to this role, more than IAM's default quota of ${MANAGED_POLICIES_PER_ROLE.default}: ask for a quota increase before deploying, or ${fix}`);
  }
  return [];
}
