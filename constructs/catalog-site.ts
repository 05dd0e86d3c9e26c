/**
 * The web catalog deployed: its pages in a private S3 bucket behind CloudFront (origin access
 * control), the catalog API under `/api/` of the same distribution, and sign-in through a Cognito
 * user pool federated with the organization's SAML identity provider (IAM Identity Center), whose
 * identity pool hands signed-in browsers short-lived credentials allowed `execute-api:Invoke` on
 * the API's GET routes only. The API stays IAM-authorized: a request without a valid SigV4
 * signature of such a role gets no data.
 *
 * Same origin for pages and API (rather than a cross-origin call to execute-api): the pages use
 * relative URLs as locally, and the IAM-authorized API needs no CORS preflight (an OPTIONS request
 * cannot be signed by the browser). The browser signs for the execute-api host and the /v1 path
 * that API Gateway sees: CloudFront forwards every viewer header but Host (the managed policy
 * AllViewerExceptHostHeader) and a viewer-request function strips the /api prefix.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Annotations, Aws, DefaultStackSynthesizer, Duration, Stack, Token, type RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { CfnRestApi, CfnStage } from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { secureBucketProps } from './core/buckets.js';
import { acknowledge } from './core/compliance.js';

export interface CatalogSiteProps {
  readonly mesh: string;
  /** The catalog API (IAM-authorized, stage `v1`). */
  readonly api: apigw.RestApi;
  readonly accessLogsBucket: s3.IBucket;
  /** The SAML metadata of the organization's identity provider, e.g. IAM Identity Center's application metadata URL. */
  readonly samlMetadata: cognito.UserPoolIdentityProviderSamlMetadata;
  /** The Cognito hosted sign-in domain prefix (`<prefix>.auth.<region>.amazoncognito.com`); globally unique. */
  readonly signInDomainPrefix: string;
  /** An AWS WAF web ACL (created in us-east-1) for the distribution. @default - none; the cdk-nag finding is acknowledged */
  readonly webAclArn?: string;
  /** The built pages. @default dist/web of this package (`npm run build`) */
  readonly assets?: string;
  readonly removalPolicy: RemovalPolicy;
}

/** Strips the `/api` prefix so `/api/products` reaches the API's `/v1/products` (the origin path adds `/v1`). */
const STRIP_API_PREFIX = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\\/api(?=\\/|$)/, '') || '/';
  return request;
}`;

export class CatalogSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly identityPool: cognito.CfnIdentityPool;
  /** The role signed-in browsers assume: GET on the catalog API, nothing else. */
  readonly readerRole: iam.Role;
  readonly url: string;
  /** The API's stage name as written (`v1`), not a token: it appears in paths and IAM resources. */
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: CatalogSiteProps) {
    super(scope, id);
    this.stage = stageNameOf(props.api);
    const assets = resolve(props.assets ?? defaultAssets());
    if (!existsSync(join(assets, 'index.html'))) throw new Error(`catalogSite: the web catalog is not built (${join(assets, 'index.html')} is missing); run npm run build, or pass assets`);
    // A key of its own: CloudFront's key policy for OAC names every distribution of the account
    // (the distribution's ARN would make a dependency cycle), so this key must protect nothing else.
    const key = new kms.Key(this, 'PagesKey', { enableKeyRotation: true, description: `Tessera web catalog pages of mesh ${props.mesh}`, removalPolicy: props.removalPolicy });
    Annotations.of(Stack.of(this)).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac',
      'The pages key encrypts the built pages only; the bucket policy still admits this distribution alone',
    );
    this.bucket = new s3.Bucket(this, 'Pages', secureBucketProps({ key, accessLogsBucket: props.accessLogsBucket, accessLogsPrefix: 'catalog-site/', lifecycleRules: [{ id: 'old-pages', noncurrentVersionExpiration: Duration.days(30) }], removalPolicy: props.removalPolicy }));
    acknowledge(this.bucket, 'The bucket holds the built web pages, which npm run build recreates from the sources at any time; replicating them would only add cost', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled');
    this.distribution = this.createDistribution(props);
    this.url = `https://${this.distribution.distributionDomainName}/`;
    this.userPool = this.createUserPool(props);
    const provider = new cognito.UserPoolIdentityProviderSaml(this, 'Organization', { userPool: this.userPool, name: 'organization', metadata: props.samlMetadata, attributeMapping: { email: cognito.ProviderAttribute.other('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress') } });
    new cognito.UserPoolDomain(this, 'SignInDomain', { userPool: this.userPool, cognitoDomain: { domainPrefix: props.signInDomainPrefix } });
    this.userPoolClient = this.userPool.addClient('Pages', {
      // A browser client: no secret, the authorization code flow with PKCE, sign-in only through the organization.
      generateSecret: false,
      authFlows: {},
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.custom(provider.providerName)],
      oAuth: { flows: { authorizationCodeGrant: true }, scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL], callbackUrls: [this.url], logoutUrls: [this.url] },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.userPoolClient.node.addDependency(provider);
    this.identityPool = new cognito.CfnIdentityPool(this, 'Readers', {
      identityPoolName: `tessera_${props.mesh.replace(/[^A-Za-z0-9_]/g, '_')}_catalog`,
      allowUnauthenticatedIdentities: false,
      allowClassicFlow: false,
      cognitoIdentityProviders: [{ clientId: this.userPoolClient.userPoolClientId, providerName: this.userPool.userPoolProviderName, serverSideTokenCheck: true }],
    });
    this.readerRole = this.createReaderRole(props.api);
    new cognito.CfnIdentityPoolRoleAttachment(this, 'ReaderRoles', { identityPoolId: this.identityPool.ref, roles: { authenticated: this.readerRole.roleArn } });
    this.deployPages(props, assets);
  }

  private createDistribution(props: CatalogSiteProps): cloudfront.Distribution {
    // CloudFront standard logging writes with ACLs and without SSE-KMS headers (AccessLogs.html).
    const logs = new s3.Bucket(this, 'CdnLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'catalog-site-cdn-logs/',
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: props.removalPolicy,
    });
    acknowledge(logs, 'CloudFront standard logs are delivered with bucket ACLs and cannot be written to a bucket encrypted with a customer managed KMS key without extra delivery grants; the logs are encrypted with S3 managed keys (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html)', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS');
    acknowledge(logs, 'Access logs of the catalog pages are kept one year for audits; replicating them to a second region would only add cost', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled');
    const apiOrigin = new origins.HttpOrigin(`${props.api.restApiId}.execute-api.${Stack.of(this).region}.${Aws.URL_SUFFIX}`, {
      originPath: `/${this.stage}`,
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const stripPrefix = new cloudfront.Function(this, 'StripApiPrefix', { code: cloudfront.FunctionCode.fromInline(STRIP_API_PREFIX), runtime: cloudfront.FunctionRuntime.JS_2_0, comment: 'api/* to the catalog API resource path' });
    const distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: `Tessera catalog of mesh ${props.mesh}`,
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cdn/',
      webAclId: props.webAclArn,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: {
        'api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
          functionAssociations: [{ function: stripPrefix, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        },
      },
    });
    acknowledge(distribution, 'The catalog is for the members of the organization wherever they work; who may read is decided by sign-in and IAM, not by country', 'AwsSolutions-CFR1');
    if (props.webAclArn === undefined) {
      acknowledge(distribution, 'A web ACL for CloudFront must live in us-east-1, outside this stack: pass webAclArn to attach one. Without it every page request still needs no data and every API request a SigV4 signature of the signed-in reader role', 'AwsSolutions-CFR2');
    }
    acknowledge(distribution, 'The distribution uses its default *.cloudfront.net certificate, whose TLS policy CloudFront sets; a custom domain would bring its own certificate and TLSv1.2_2021', 'AwsSolutions-CFR4');
    return distribution;
  }

  private createUserPool(props: CatalogSiteProps): cognito.UserPool {
    const pool = new cognito.UserPool(this, 'Users', {
      userPoolName: `tessera-${props.mesh}-catalog`,
      // Only the organization's identity provider creates users, on their first sign-in.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 14, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(1) },
      accountRecovery: cognito.AccountRecovery.NONE,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: props.removalPolicy,
      deletionProtection: true,
    });
    acknowledge(pool, 'Users sign in only through the organization identity provider (IAM Identity Center), which enforces multi-factor authentication; the user pool has no passwords of its own to protect', 'AwsSolutions-COG2');
    return pool;
  }

  private createReaderRole(api: apigw.RestApi): iam.Role {
    const role = new iam.Role(this, 'ReaderRole', {
      description: 'Signed-in readers of the web catalog: GET on the catalog API only',
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.FederatedPrincipal(
        'cognito-identity.amazonaws.com',
        { StringEquals: { 'cognito-identity.amazonaws.com:aud': this.identityPool.ref }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
        'sts:AssumeRoleWithWebIdentity',
      ),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [api.arnForExecuteApi('GET', '/*', this.stage), api.arnForExecuteApi('GET', '/', this.stage)] }));
    const policy = role.node.findChild('DefaultPolicy');
    const stack = Stack.of(this);
    acknowledge(policy, 'Every route of the read-only catalog API is readable by a signed-in member: GET on the stage, each route under /*', `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${literal(stack.region, 'AWS::Region')}:${literal(stack.account, 'AWS::AccountId')}:<${Stack.of(this).getLogicalId(api.node.defaultChild as CfnRestApi)}>/${this.stage}/GET/*]`);
    acknowledge(policy, 'CDK grants attach least-privilege statements inline to the role they serve; a managed policy would add a resource without narrowing access', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
    return role;
  }

  private deployPages(props: CatalogSiteProps, assets: string): void {
    const region = Stack.of(this).region;
    const config = {
      api: 'api/',
      signIn: {
        region,
        userPoolId: this.userPool.userPoolId,
        clientId: this.userPoolClient.userPoolClientId,
        identityPoolId: this.identityPool.ref,
        domain: `https://${props.signInDomainPrefix}.auth.${region}.amazoncognito.com`,
        apiHost: `${props.api.restApiId}.execute-api.${region}.${Aws.URL_SUFFIX}`,
        apiStage: this.stage,
      },
    };
    new s3deploy.BucketDeployment(this, 'DeployPages', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.asset(assets), s3deploy.Source.jsonData('config.json', config)],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    acknowledgeBucketDeployment(Stack.of(this), this.bucket);
  }
}

function stageNameOf(api: apigw.RestApi): string {
  const name = (api.deploymentStage.node.defaultChild as CfnStage).stageName;
  if (name === undefined || Token.isUnresolved(name)) throw new Error('catalogSite: the catalog API needs a stage with a literal name (deployOptions.stageName)');
  return name;
}

/** dist/web beside this module: `<root>/dist/web` from the sources, `dist/web` from dist/constructs. */
function defaultAssets(): string {
  const here = import.meta.dirname;
  const packageDir = resolve(here, '..');
  return packageDir.endsWith(`${join('', 'dist')}`) ? join(packageDir, 'web') : join(packageDir, 'dist', 'web');
}

const literal = (value: string, token: string): string => (Token.isUnresolved(value) ? `<${token}>` : value);

/** The bootstrap assets bucket as cdk-nag prints it (the default synthesizer's naming). */
function assetsBucketOf(stack: Stack): string {
  const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  return `cdk-${qualifier}-assets-${literal(stack.account, 'AWS::AccountId')}-${literal(stack.region, 'AWS::Region')}`;
}

/** The findings of aws-cdk-lib's BucketDeployment singleton (a Lambda that copies the pages at deploy time). */
function acknowledgeBucketDeployment(stack: Stack, pages: s3.Bucket): void {
  const provider = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!provider) throw new Error('BucketDeployment no longer creates its Custom::CDKBucketDeployment singleton; revisit acknowledgeBucketDeployment');
  const reason = (why: string): string => `CDK BucketDeployment provider, which copies the built pages into the site bucket during CloudFormation deployments only: ${why}`;
  acknowledge(provider, reason('its runtime is pinned and upgraded by aws-cdk-lib, not by us'), 'AwsSolutions-L1');
  acknowledge(provider, reason('it uses the AWS managed basic execution policy for its own log group'), 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]');
  acknowledge(
    provider,
    reason('CDK grants it the S3 and KMS action families a sync of the whole site needs, on the asset and site buckets and their keys only, and the CloudFront invalidation after the copy, which takes no resource narrower than *'),
    ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'].map((a) => `AwsSolutions-IAM5[Action::${a}]`),
    `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(pages.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${assetsBucketOf(stack)}/*]`,
    'AwsSolutions-IAM5[Resource::*]',
  );
  acknowledge(provider, reason('its statements are inline on its own role, as CDK writes them'), 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
  acknowledge(provider, reason('it reaches AWS service endpoints only and needs no network placement'), 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
  acknowledge(provider, reason('CloudFormation invokes it synchronously and reports every failure as a failed deployment, so a dead-letter queue would never receive anything'), 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
  acknowledge(provider, reason('it runs once per deployment; reserved concurrency would only take capacity from the account'), 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency');
}
