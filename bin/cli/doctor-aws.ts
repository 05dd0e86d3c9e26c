/**
 * The live doctor's AWS adapter: read-only SDK v3 calls behind the `LiveAws` port. Credentials are
 * the deploy's: a profile (or the default chain) for the deploying account, and with
 * `--role-arn-pattern` a role assumed in each account. Errors become answers: denied, or
 * "unsupported" where the endpoint (a local emulator) lacks the API, so nothing passes unasked.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AccountAws, Answer, LakeFormationGrant, LiveAws, PolicyStatement } from '../../lib/doctor/live.js';

export interface AwsAccessOptions {
  readonly region: string;
  readonly profile?: string;
  /** `arn:aws:iam::{account}:role/Name`: assumed in every account. */
  readonly roleArnPattern?: string;
  /** An endpoint for every client (a local emulator); AWS_ENDPOINT_URL works as well. */
  readonly endpoint?: string;
}

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  /** Set when the SDK could not read the response (e.g. an HTML error page). */
  readonly $response?: { readonly statusCode?: number };
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnrecognizedClientException', 'InvalidClientTokenId']);

function classify<T>(error: unknown, custom: boolean): Answer<T> {
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const message = `${e.name ?? 'Error'}: ${(e.message ?? String(error)).split('\n')[0]!}`;
  if (DENIED.has(e.name ?? '') || status === 403) return { ok: false, why: 'denied', message };
  // A local emulator answers an API it lacks with 404/501, an HTML error page the SDK cannot read,
  // a "not implemented" error, or (moto's Lake Formation for LF-tag policy resources) an input error.
  if (custom && (status === 404 || status === 501 || (status ?? 0) >= 500 || e.name === 'SyntaxError' || /not (yet )?implemented|UnknownOperation|InvalidAction|InvalidInputException|Deserialization/i.test(message))) {
    return { ok: false, why: 'unsupported', message };
  }
  return { ok: false, why: 'error', message };
}

async function ask<T>(custom: boolean, call: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return classify<T>(error, custom);
  }
}

function statementsOf(document: string | undefined): PolicyStatement[] {
  if (!document) return [];
  const parsed = JSON.parse(decodeURIComponent(document)) as { Statement?: PolicyStatement | PolicyStatement[] };
  return Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
}

export async function createLiveAws(options: AwsAccessOptions): Promise<LiveAws> {
  const [cfn, iam, lf, org, sar, sts, providers] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-lakeformation'),
    import('@aws-sdk/client-organizations'),
    import('@aws-sdk/client-serverlessapplicationrepository'),
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/credential-providers'),
  ]);
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const custom = endpoint !== undefined;
  const config = (credentials: AwsCredentialIdentityProvider, region = options.region) => ({ region, credentials, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
  const base = options.profile ? providers.fromIni({ profile: options.profile }) : providers.fromNodeProviderChain();
  const identity = await new sts.STSClient(config(base)).send(new sts.GetCallerIdentityCommand({}));
  const caller = identity.Account!;

  const credentialsFor = (account: string): AwsCredentialIdentityProvider | undefined => {
    if (options.roleArnPattern) {
      return providers.fromTemporaryCredentials({
        masterCredentials: base,
        params: { RoleArn: options.roleArnPattern.replaceAll('{account}', account), RoleSessionName: 'tessera-doctor' },
        clientConfig: config(base),
      });
    }
    return account === caller ? base : undefined;
  };

  const accounts = new Map<string, AccountAws | undefined>();
  const accountAws = (account: string): AccountAws | undefined => {
    const credentials = credentialsFor(account);
    if (!credentials) return undefined;
    const cloudFormation = new cfn.CloudFormationClient(config(credentials));
    const iamClient = new iam.IAMClient(config(credentials));
    const lakeFormation = new lf.LakeFormationClient(config(credentials));
    const stack = async (name: string) => {
      try {
        return (await cloudFormation.send(new cfn.DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
      } catch (error) {
        // CloudFormation says "Stack with id X does not exist" as a ValidationError.
        if ((error as SdkError).name === 'ValidationError' && /does not exist/.test((error as SdkError).message ?? '')) return undefined;
        throw error;
      }
    };
    return {
      bootstrapVersion: () =>
        ask(custom, async () => {
          const toolkit = await stack('CDKToolkit');
          if (!toolkit) return undefined;
          const output = toolkit.Outputs?.find((o) => o.OutputKey === 'BootstrapVersion')?.OutputValue;
          return output === undefined ? 0 : Number(output);
        }),
      role: (name) =>
        ask(custom, async () => {
          try {
            const role = (await iamClient.send(new iam.GetRoleCommand({ RoleName: name.split('/').pop()! }))).Role;
            return { trust: statementsOf(role?.AssumeRolePolicyDocument) };
          } catch (error) {
            if ((error as SdkError).name === 'NoSuchEntity' || (error as SdkError).name === 'NoSuchEntityException') return undefined;
            throw error;
          }
        }),
      dataLakeAdmins: () =>
        ask(custom, async () => {
          const settings = await lakeFormation.send(new lf.GetDataLakeSettingsCommand({}));
          return (settings.DataLakeSettings?.DataLakeAdmins ?? []).map((a) => a.DataLakePrincipalIdentifier ?? '');
        }),
      stackStatus: (name) => ask(custom, async () => (await stack(name))?.StackStatus),
      stackResources: (name) =>
        ask(custom, async () => {
          const out = new Map<string, { type: string; id: string }>();
          let token: string | undefined;
          do {
            const page = await cloudFormation.send(new cfn.ListStackResourcesCommand({ StackName: name, NextToken: token }));
            for (const r of page.StackResourceSummaries ?? []) if (r.LogicalResourceId && r.PhysicalResourceId) out.set(r.LogicalResourceId, { type: r.ResourceType ?? '', id: r.PhysicalResourceId });
            token = page.NextToken;
          } while (token);
          return out;
        }),
      permissions: (resource, principal) =>
        ask(custom, async () => {
          const grants: LakeFormationGrant[] = [];
          let token: string | undefined;
          do {
            const page = await lakeFormation.send(
              new lf.ListPermissionsCommand({ Resource: resource, ...(principal ? { Principal: { DataLakePrincipalIdentifier: principal } } : {}), NextToken: token }),
            );
            for (const p of page.PrincipalResourcePermissions ?? []) grants.push({ principal: p.Principal?.DataLakePrincipalIdentifier ?? '', permissions: p.Permissions ?? [] });
            token = page.NextToken;
          } while (token);
          return grants;
        }),
    };
  };

  const organizations = new org.OrganizationsClient(config(base, 'us-east-1'));
  return {
    callerAccount: () => Promise.resolve(caller),
    account: (id) => {
      if (!accounts.has(id)) accounts.set(id, accountAws(id));
      return accounts.get(id);
    },
    organization: () =>
      ask(custom, async () => {
        try {
          const o = (await organizations.send(new org.DescribeOrganizationCommand({}))).Organization;
          return { id: o?.Id ?? '', managementAccount: o?.MasterAccountId ?? '' };
        } catch (error) {
          if ((error as SdkError).name === 'AWSOrganizationsNotInUseException') return undefined;
          throw error;
        }
      }),
    organizationServiceAccess: () =>
      ask(custom, async () => {
        const principals: string[] = [];
        let token: string | undefined;
        do {
          const page = await organizations.send(new org.ListAWSServiceAccessForOrganizationCommand({ NextToken: token }));
          for (const s of page.EnabledServicePrincipals ?? []) if (s.ServicePrincipal) principals.push(s.ServicePrincipal);
          token = page.NextToken;
        } while (token);
        return principals;
      }),
    sarApplication: (applicationId, version, region) =>
      ask(custom, async () => {
        const client = new sar.ServerlessApplicationRepositoryClient(config(base, region));
        try {
          await client.send(new sar.GetApplicationCommand({ ApplicationId: applicationId, ...(version ? { SemanticVersion: version } : {}) }));
          return true;
        } catch (error) {
          if ((error as SdkError).name === 'NotFoundException') return false;
          throw error;
        }
      }),
  };
}
