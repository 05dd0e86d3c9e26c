/**
 * The deployed web catalog (CatalogSite): private bucket behind CloudFront with origin access
 * control, the API under /api/ of the same distribution, Cognito sign-in federated over SAML, and a
 * reader role that can only GET the catalog API. Expected values are written out by hand; the
 * cdk-nag packs run on the whole stack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogSite } from '../../../constructs/catalog-site.js';
import { acknowledge, addComplianceChecks } from '../../../constructs/core/compliance.js';
import { AccessLogsBucket } from '../../../constructs/data-product.js';
import { GovernanceStack } from '../../../constructs/governance-stack.js';
import { loadMeshFile } from '../../../lib/mesh/load.js';
import { cdkContext, root } from './helpers.js';

const assets = mkdtempSync(join(tmpdir(), 'tessera-site-'));
afterAll(() => rmSync(assets, { recursive: true, force: true }));

let template: Template;
let stack: Stack;

function siteStack(app: App, props: { assets?: string; webAclArn?: string } = {}): { stack: Stack; site: CatalogSite } {
  const s = new Stack(app, 'Site', { env: { account: '123456789012', region: 'eu-west-1' } });
  const logs = new AccessLogsBucket(s, 'AccessLogs', { removalPolicy: RemovalPolicy.RETAIN });
  const api = new apigw.RestApi(s, 'Api', { deployOptions: { stageName: 'v1' }, defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM }, cloudWatchRole: false });
  api.root.addMethod('GET', new apigw.MockIntegration());
  // A stand-in for the catalog API: its own settings (logs, validation, tracing) are CatalogService's, tested there.
  acknowledge(
    api,
    'A stand-in for the catalog API in this test; the real API and its compliance are CatalogService, tested with it',
    ...['AwsSolutions-APIG1', 'AwsSolutions-APIG2', 'AwsSolutions-APIG3', 'AwsSolutions-APIG6', 'AwsSolutions-COG4'],
    ...['NIST.800.53.R5', 'PCI.DSS.321'].map((p) => `${p}-APIGWAssociatedWithWAF`),
    ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].flatMap((p) => [`${p}-APIGWCacheEnabledAndEncrypted`, `${p}-APIGWExecutionLoggingEnabled`, `${p}-APIGWSSLEnabled`]),
    'HIPAA.Security-APIGWXrayEnabled',
  );
  const site = new CatalogSite(s, 'CatalogSite', {
    mesh: 'ecommerce',
    api,
    accessLogsBucket: logs.bucket,
    samlMetadata: cognito.UserPoolIdentityProviderSamlMetadata.url('https://portal.sso.eu-west-1.amazonaws.com/saml/metadata/abc'),
    signInDomainPrefix: 'ecommerce-catalog',
    assets: props.assets ?? assets,
    webAclArn: props.webAclArn,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { stack: s, site };
}

beforeAll(() => {
  writeFileSync(join(assets, 'index.html'), '<!doctype html><title>catalog</title>');
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
  stack = siteStack(app).stack;
  addComplianceChecks(app);
  // Throws "Validation failed" on any unacknowledged cdk-nag finding of the four packs.
  app.synth();
  template = Template.fromStack(stack);
});

describe('CatalogSite', () => {
  it('keeps the pages in a private, KMS-encrypted bucket readable only by the distribution (origin access control)', () => {
    const pages = template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: { LogFilePrefix: 'catalog-site/' } } });
    expect(Object.keys(pages)).toHaveLength(1);
    const [pagesId] = Object.keys(pages);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'catalog-site/' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogSitePagesKey'), 'Arn'] }, SSEAlgorithm: 'aws:kms' } }] },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: pagesId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: Match.stringLikeRegexp('^CatalogSiteCdn') }]] } } },
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [pagesId, 'Arn'] }, '/*']] },
          },
        ]),
      },
    });
  });

  it('serves the pages over HTTPS and the API under /api/ without caching, forwarding the signature headers but not Host', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Logging: { Bucket: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogSiteCdnLogs'), 'RegionalDomainName'] }, Prefix: 'cdn/' },
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', ResponseHeadersPolicyId: '67f7725c-6f97-4210-82d7-5512b31e9d03' }),
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: 'api/*',
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: ['GET', 'HEAD'],
            // Managed policies: CachingDisabled, AllViewerExceptHostHeader.
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
            OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
            FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogSiteStripApiPrefix'), 'FunctionARN'] } }],
          }),
        ],
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^Api') }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] },
            OriginPath: '/v1',
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] }),
          }),
        ]),
      }),
    });
  });

  it('strips /api so that /api/products reaches the resource /products', () => {
    const fn = Object.values(template.findResources('AWS::CloudFront::Function'))[0] as { Properties: { FunctionCode: string } };
    // The function's code as CloudFront runs it: plain JavaScript with a global `handler`.
    const handler = runInNewContext(`${fn.Properties.FunctionCode}; handler`) as (e: { request: { uri: string } }) => { uri: string };
    expect(handler({ request: { uri: '/api/products' } }).uri).toBe('/products');
    expect(handler({ request: { uri: '/api/products/order-lines/versions/1.0.0' } }).uri).toBe('/products/order-lines/versions/1.0.0');
    expect(handler({ request: { uri: '/api' } }).uri).toBe('/');
    expect(handler({ request: { uri: '/apis/x' } }).uri).toBe('/apis/x');
  });

  it('signs users in only through the organization (SAML), with no self sign-up and no guest identities', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }, UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', { ProviderName: 'organization', ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://portal.sso.eu-west-1.amazonaws.com/saml/metadata/abc' } });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: [{ Ref: Match.stringLikeRegexp('^CatalogSiteOrganization') }],
      GenerateSecret: false,
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogSiteCdn'), 'DomainName'] }, '/']] }],
    });
    template.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false, AllowClassicFlow: false });
  });

  it('gives signed-in readers GET on the catalog API and nothing else', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: Match.stringLikeRegexp('^CatalogSiteReaders') } }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
            Effect: 'Allow',
            Principal: { Federated: 'cognito-identity.amazonaws.com' },
          },
        ],
      },
      MaxSessionDuration: 3600,
    });
    const stageArn = (path: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:123456789012:', { Ref: Match.stringLikeRegexp('^Api') }, `/v1/GET${path}`]] });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^CatalogSiteReaderRole') }],
      PolicyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [stageArn('/'), stageArn('/*')] }] },
    });
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', { Roles: { authenticated: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogSiteReaderRole'), 'Arn'] } } });
  });

  it('refuses to synthesize without built pages, saying how to build them', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tessera-site-empty-'));
    try {
      expect(() => siteStack(new App(), { assets: empty })).toThrow(/catalogSite: the web catalog is not built \(.*index\.html is missing\); run npm run build/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('is part of the governance stack when the mesh asks for it, signing readers in against the catalog API, nag packs clean', async () => {
    const mesh = (await loadMeshFile(join(root, 'mesh', 'mesh.yaml'))).mesh!;
    const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
    const governance = new GovernanceStack(app, 'Gov', {
      config: mesh.config,
      products: mesh.products,
      env: { account: mesh.config.governance.account, region: mesh.config.region },
      catalogSite: { samlMetadata: cognito.UserPoolIdentityProviderSamlMetadata.url('https://portal.sso.eu-west-1.amazonaws.com/saml/metadata/abc'), signInDomainPrefix: 'ecommerce-catalog', assets },
    });
    addComplianceChecks(app);
    app.synth();
    const t = Template.fromStack(governance);
    t.resourceCountIs('AWS::CloudFront::Distribution', 1);
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^CatalogSiteReaderRole') }],
      PolicyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^CatalogApi') }, '/v1/GET/'])] }), Match.anyValue()] }] },
    });
    t.hasOutput('CatalogSiteUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogSiteCdn'), 'DomainName'] }, '/']] } });
    // A hang guard: the governance stack and four nag packs take a while on a loaded machine.
  }, 300_000);
});
