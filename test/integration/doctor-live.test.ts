/**
 * The live doctor against a real moto server: two accounts reached through STS AssumeRole (moto
 * maps assumed-role credentials to the role's account), their state set up with SDK calls (the
 * CDKToolkit stack through CloudFormation, roles, Lake Formation settings and grants, an
 * organization). Where moto lacks an API (the Serverless Application Repository; Lake Formation
 * ListPermissions on LF-tag policies and table wildcards) the check must say "not checkable on this
 * endpoint", not pass. Moto stores Lake Formation permissions without evaluating them, so what
 * passes here is "the grant is recorded", which is what ListPermissions answers on AWS too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GrantPermissionsCommand, LakeFormationClient, PutDataLakeSettingsCommand } from '@aws-sdk/client-lakeformation';
import { CreateOrganizationCommand, EnableAWSServiceAccessCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveAws } from '../../bin/cli/doctor-aws.js';
import { doctorCommand } from '../../bin/cli/doctor.js';
import { assemblyFrom, type Assembly } from '../../lib/doctor/assembly.js';
import { liveChecks, ramSharingCheck } from '../../lib/doctor/live.js';
import type { CheckResult } from '../../lib/doctor/report.js';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';

const GOV = '111111111111';
const DOMAIN = '222222222222';
const CALLER = '123456789012'; // moto's default account: the deploying account
const PATTERN = 'arn:aws:iam::{account}:role/TesseraDoctor';
const ANALYST = `arn:aws:iam::${GOV}:role/Analyst`;
const MISSING = `arn:aws:iam::${GOV}:role/NotThere`;
const execRole = (account: string) => `arn:aws:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-eu-west-1`;

const templates: Record<string, unknown> = {
  'domain.template.json': {
    Resources: {
      Tags: { Type: 'AWS::LakeFormation::Tag', Properties: { TagKey: 'domain', TagValues: ['orders'] } },
      Connector: { Type: 'AWS::Serverless::Application', Properties: { Location: { ApplicationId: 'arn:aws:serverlessrepo:us-east-1:292517598671:applications/AthenaDynamoDBConnector', SemanticVersion: '2023.46.2' } } },
    },
  },
  'governance.template.json': {
    Resources: {
      Settings: { Type: 'AWS::LakeFormation::DataLakeSettings', Properties: { Admins: [{ DataLakePrincipalIdentifier: execRole(GOV) }] } },
      Views: { Type: 'AWS::Glue::Database', Properties: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseInput: { Name: 'views' } } },
      Daily: { Type: 'AWS::Glue::Table', Properties: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseName: { Ref: 'Views' }, TableInput: { Name: 'daily', TableType: 'VIRTUAL_VIEW' } } },
      DescribeViews: { Type: 'AWS::LakeFormation::PrincipalPermissions', Properties: { Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [], Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { Database: { CatalogId: GOV, Name: 'views' } } } },
      SelectDaily: { Type: 'AWS::LakeFormation::PrincipalPermissions', Properties: { Permissions: ['SELECT'], PermissionsWithGrantOption: [], Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { Table: { CatalogId: GOV, DatabaseName: 'views', Name: 'daily' } } } },
      ProducerDescribe: {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: { Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [], Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': ['Producer', 'Arn'] } }, Resource: { Database: { CatalogId: { Ref: 'AWS::AccountId' }, Name: { Ref: 'Views' } } } },
      },
      ReadOrders: {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: { Permissions: ['SELECT'], PermissionsWithGrantOption: [], Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { LFTagPolicy: { CatalogId: DOMAIN, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['orders'] }] } } },
      },
    },
  },
};

const manifest = {
  version: '55.0.0',
  artifacts: Object.fromEntries(
    (
      [
        ['domain', DOMAIN, []],
        ['governance', GOV, ['domain']],
      ] as [string, string, string[]][]
    ).map(([id, account, deps]) => [
      id,
      {
        type: 'aws:cloudformation:stack',
        environment: `aws://${account}/eu-west-1`,
        properties: {
          templateFile: `${id}.template.json`,
          stackName: `tessera-t-${id}`,
          requiresBootstrapStackVersion: 6,
          assumeRoleArn: `arn:\${AWS::Partition}:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-eu-west-1`,
          cloudFormationExecutionRoleArn: `arn:\${AWS::Partition}:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-eu-west-1`,
        },
        dependencies: deps,
      },
    ]),
  ),
};

let moto: Moto;
let assembly: Assembly;
const saved: Record<string, string | undefined> = {};
const dir = mkdtempSync(join(tmpdir(), 'tessera-doctor-live-'));

async function clientsIn(account: string) {
  const base = { region: TEST_REGION, endpoint: moto.endpoint, credentials: TEST_CREDENTIALS };
  const c = (await new STSClient(base).send(new AssumeRoleCommand({ RoleArn: PATTERN.replace('{account}', account), RoleSessionName: 'setup' }))).Credentials!;
  const config = { ...base, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } };
  return { cfn: new CloudFormationClient(config), iam: new IAMClient(config), lf: new LakeFormationClient(config) };
}

function toolkitTemplate(account: string, version: string, trusted: string): string {
  return JSON.stringify({
    Resources: {
      DeploymentActionRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: `cdk-hnb659fds-deploy-role-${account}-eu-west-1`,
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${trusted}:root` } }] },
        },
      },
    },
    Outputs: { BootstrapVersion: { Value: version } },
  });
}

beforeAll(async () => {
  moto = await startMoto();
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_PROFILE']) saved[key] = process.env[key];
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_REGION: TEST_REGION });
  delete process.env.AWS_PROFILE;
  for (const [file, template] of Object.entries(templates)) writeFileSync(join(dir, file), JSON.stringify(template));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  assembly = assemblyFrom(manifest, (f) => templates[f] as never);

  const gov = await clientsIn(GOV);
  await gov.cfn.send(new CreateStackCommand({ StackName: 'CDKToolkit', TemplateBody: toolkitTemplate(GOV, '21', CALLER) }));
  await gov.iam.send(new CreateRoleCommand({ RoleName: 'Analyst', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }));
  await gov.lf.send(new PutDataLakeSettingsCommand({ DataLakeSettings: { DataLakeAdmins: [{ DataLakePrincipalIdentifier: execRole(GOV) }] } }));
  // "Deployed": the stack exists, and Lake Formation holds one of its grants and an IAM-only default.
  await gov.cfn.send(
    new CreateStackCommand({
      StackName: 'tessera-t-governance',
      TemplateBody: JSON.stringify({ Resources: { Producer: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } } } } }),
    }),
  );
  // The role's generated name, as CloudFormation made it: the grant by Fn::GetAtt must resolve to it.
  const producer = (await gov.cfn.send(new DescribeStackResourceCommand({ StackName: 'tessera-t-governance', LogicalResourceId: 'Producer' }))).StackResourceDetail!.PhysicalResourceId!;
  await gov.lf.send(new GrantPermissionsCommand({ Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${GOV}:role/${producer}` }, Resource: { Database: { CatalogId: GOV, Name: 'views' } }, Permissions: ['DESCRIBE'] }));
  await gov.lf.send(new GrantPermissionsCommand({ Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { Database: { CatalogId: GOV, Name: 'views' } }, Permissions: ['DESCRIBE'] }));
  await gov.lf.send(new GrantPermissionsCommand({ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Resource: { Database: { CatalogId: GOV, Name: 'views' } }, Permissions: ['ALL'] }));

  const domain = await clientsIn(DOMAIN);
  await domain.cfn.send(new CreateStackCommand({ StackName: 'CDKToolkit', TemplateBody: toolkitTemplate(DOMAIN, '5', '999999999999') }));
  await domain.lf.send(new PutDataLakeSettingsCommand({ DataLakeSettings: { DataLakeAdmins: [{ DataLakePrincipalIdentifier: `arn:aws:iam::${DOMAIN}:role/SomeoneElse` }] } }));

  await new OrganizationsClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: TEST_CREDENTIALS }).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
}, 60_000);

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(dir, { recursive: true, force: true });
  await moto?.stop();
});

const summary = (c: CheckResult | undefined) => c?.findings.map((f) => [f.status, f.message]);

describe('tessera doctor, live, against moto', () => {
  let checks: CheckResult[];
  beforeAll(async () => {
    const aws = await createLiveAws({ region: TEST_REGION, roleArnPattern: PATTERN, endpoint: moto.endpoint });
    checks = await liveChecks(assembly, aws, { prerequisites: [ANALYST, MISSING], credentialsHint: 'pass --role-arn-pattern' });
  }, 120_000);
  const byId = (id: string) => checks.find((c) => c.id === id);

  it('finds each account bootstrapped or not, too old, and trusting the deploying account or not', () => {
    expect(byId('bootstrap')?.status).toBe('fail');
    expect(summary(byId('bootstrap'))).toEqual([
      ['fail', 'aws://222222222222/eu-west-1 has bootstrap version 5; the app needs 6'],
      ['fail', 'the deploy role cdk-hnb659fds-deploy-role-222222222222-eu-west-1 does not trust the deploying account 123456789012'],
      ['pass', 'aws://111111111111/eu-west-1 is bootstrapped, version 21 (the app needs 6)'],
      ['pass', 'the deploy role cdk-hnb659fds-deploy-role-111111111111-eu-west-1 trusts the deploying account 123456789012'],
    ]);
    expect(byId('bootstrap')?.findings[0]?.fix).toBe(`cdk bootstrap aws://${DOMAIN}/eu-west-1 --trust ${CALLER} --cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess`);
  });

  it('looks up the declared prerequisite roles', () => {
    expect(summary(byId('prerequisite-principals'))).toEqual([
      ['pass', `${ANALYST} exists`],
      ['fail', `the prerequisite role ${MISSING} does not exist`],
    ]);
  });

  it('reads the Lake Formation admins of each account', () => {
    expect(summary(byId('lake-formation-admins'))).toEqual([
      ['fail', `${execRole(DOMAIN)} is not a data lake administrator in ${DOMAIN} (admins: arn:aws:iam::${DOMAIN}:role/SomeoneElse), so its grants fail`],
      ['pass', `${execRole(GOV)} is a data lake administrator in ${GOV}`],
    ]);
  });

  it('fails an organization without RAM sharing, and passes it once enabled', async () => {
    expect(byId('ram-organization-sharing')?.status).toBe('fail');
    expect(byId('ram-organization-sharing')?.findings[0]?.fix).toBe(`aws ram enable-sharing-with-aws-organization (in the management account ${CALLER})`);
    await new OrganizationsClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: TEST_CREDENTIALS }).send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'ram.amazonaws.com' }));
    const again = await ramSharingCheck(await createLiveAws({ region: TEST_REGION, roleArnPattern: PATTERN, endpoint: moto.endpoint }));
    expect(again.status).toBe('pass');
  });

  it('says moto cannot answer for the Serverless Application Repository', () => {
    const sar = byId('serverless-applications')!;
    expect(sar.status).toBe('skip');
    expect(sar.findings[0]!.message).toMatch(/^not checkable on this endpoint: /);
  });

  it('after a deploy: finds IAMAllowedPrincipals on a database, table by table', () => {
    expect(summary(byId('iam-allowed-principals'))).toEqual([
      ['skip', 'tessera-t-domain is not deployed yet'],
      ['fail', 'IAMAllowedPrincipals holds ALL on views: IAM alone opens it, the LF-tags govern nothing'],
      ['pass', 'IAMAllowedPrincipals holds nothing on every table of views'],
      ['pass', 'IAMAllowedPrincipals holds nothing on views/daily'],
    ]);
  });

  it('after a deploy: every grant of the templates is held, or named as missing', () => {
    expect(summary(byId('grants-held'))).toEqual([
      ['skip', 'tessera-t-domain is not deployed yet'],
      ['pass', `${ANALYST} holds DESCRIBE`],
      ['fail', `${ANALYST} lacks SELECT of SelectDaily`],
      ['pass', expect.stringMatching(new RegExp(`^arn:aws:iam::${GOV}:role/tessera-t-governance-Producer-\\w+ holds DESCRIBE$`))],
      ['skip', expect.stringMatching(/^not checkable: .*InvalidInputException/)],
    ]);
  });

  it('without a role pattern asks only the deploying account and skips the others, saying how to reach them', async () => {
    const aws = await createLiveAws({ region: TEST_REGION, endpoint: moto.endpoint });
    const bootstrap = (await liveChecks(assembly, aws, { prerequisites: [], credentialsHint: 'pass --role-arn-pattern' }))[0]!;
    expect(bootstrap.status).toBe('skip');
    expect(bootstrap.findings.map((f) => [f.status, f.message, f.fix])).toEqual([
      ['skip', `no credentials for account ${DOMAIN}`, 'pass --role-arn-pattern'],
      ['skip', `no credentials for account ${GOV}`, 'pass --role-arn-pattern'],
    ]);
  }, 120_000);

  it('runs as tessera doctor --assembly with JSON output and exit code 1', async () => {
    let out = '';
    const code = await doctorCommand(join(dir, 'no-mesh'), { assembly: dir, roleArnPattern: PATTERN, endpointUrl: moto.endpoint, prerequisite: [ANALYST], json: true }, { out: (t) => (out += t), err: () => undefined, cwd: dir });
    expect(code).toBe(1);
    const report = JSON.parse(out) as { ok: boolean; checks: CheckResult[] };
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['deploy-order', 'pass'],
      ['deploy-time-references', 'pass'],
      ['principals', 'pass'],
      ['account-owners', 'pass'],
      ['bootstrap', 'fail'],
      ['prerequisite-principals', 'pass'],
      ['lake-formation-admins', 'fail'],
      ['ram-organization-sharing', 'pass'],
      ['serverless-applications', 'skip'],
      ['iam-allowed-principals', 'fail'],
      ['grants-held', 'fail'],
    ]);
  }, 120_000);
});
