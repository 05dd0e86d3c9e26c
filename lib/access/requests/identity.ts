/**
 * Who is calling, from the identity API Gateway verified (IAM authorization: the SigV4 signer's
 * ARN, `$context.identity.userArn`, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html),
 * never from a field of the request body, and what that identity may decide.
 *
 * Lake Formation grants to IAM roles and users, not to sessions, so a request made from an
 * assumed-role session is granted to the role: every session of that role reads what was approved.
 * An assumed-role ARN drops the role's path; a role with a path is matched by account and name.
 */
import { refuse } from './errors.js';

export interface Caller {
  /** The ARN as API Gateway reported it. */
  readonly arn: string;
  readonly account: string;
  readonly kind: 'user' | 'assumed-role';
  /** The IAM principal Lake Formation can grant to: the user, or the role of the session. */
  readonly principal: string;
  /** The IAM user's name, or the role's name. */
  readonly name: string;
  /** The session name of an assumed role. */
  readonly session?: string;
}

const USER = /^arn:(aws[a-z-]*):iam::(\d{12}):user\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const SESSION = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/;
const ROLE_OR_USER = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/(?:[\w+=,.@/-]+\/)?([\w+=,.@-]+)$/;

/** Parses the verified caller ARN; anything else (no identity, a root or federated user) is refused. */
export function parseCaller(arn: string | null | undefined): Caller {
  if (arn === undefined || arn === null || arn === '') refuse('InvalidIdentity', 'the request carries no verified IAM identity; call the API with SigV4-signed requests (IAM authorization)');
  const user = USER.exec(arn);
  if (user) {
    const [, partition, account, name] = user;
    return { arn, account: account!, kind: 'user', principal: `arn:${partition}:iam::${account}:user/${name}`, name: name! };
  }
  const session = SESSION.exec(arn);
  if (session) {
    const [, partition, account, role, name] = session;
    return { arn, account: account!, kind: 'assumed-role', principal: `arn:${partition}:iam::${account}:role/${role}`, name: role!, session: name };
  }
  return refuse('InvalidIdentity', `'${arn}' is not an IAM user or an assumed-role session; access is granted to IAM roles and users only`);
}

/** The same IAM principal: account, kind and name equal (an assumed-role ARN carries no path). */
export function samePrincipal(callerPrincipal: string, arn: string): boolean {
  const a = ROLE_OR_USER.exec(callerPrincipal);
  const b = ROLE_OR_USER.exec(arn);
  return a !== null && b !== null && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/**
 * IAM Identity Center names the session of a permission-set role after the signed-in user, and the
 * user cannot choose it (https://docs.aws.amazon.com/singlesignon/latest/userguide/permissionsetsconcept.html):
 * such a session name is a verified user name. Any other role's session name is the caller's choice.
 */
const IDENTITY_CENTER_ROLE = /^AWSReservedSSO_/;

/** The contract's owners as the catalog's product page lists them. */
export interface ProductOwners {
  /** The product's domain account, where its team's identities live. */
  readonly domainAccount: string;
  readonly governanceAccount: string;
  /** Contract team members whose role names them owner: a user name, or an IAM role/user ARN. */
  readonly usernames: readonly string[];
}

/**
 * Whether the caller is one of the product's owners. A member written as an IAM ARN is that
 * principal; a member written as a user name is the IAM user of that name, or the Identity Center
 * session of that user, in the domain's account or the governance account.
 */
export function isOwner(caller: Caller, owners: ProductOwners): boolean {
  const accounts = [owners.domainAccount, owners.governanceAccount];
  return owners.usernames.some((username) => {
    if (username.startsWith('arn:')) return samePrincipal(caller.principal, username);
    if (!accounts.includes(caller.account)) return false;
    if (caller.kind === 'user') return caller.name === username;
    return IDENTITY_CENTER_ROLE.test(caller.name) && caller.session === username;
  });
}

/** Whether the caller is one of the mesh's governance admins (`governance.admins`, role ARNs). */
export function isGovernanceAdmin(caller: Caller, admins: readonly string[]): boolean {
  return admins.some((admin) => samePrincipal(caller.principal, admin));
}
