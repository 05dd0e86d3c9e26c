/**
 * The offline doctor on small hand-written cloud assemblies: literal manifest.json and template
 * JSON, shaped as cdk synth writes them, each check once passing and once failing.
 */
import { describe, expect, it } from 'vitest';
import { assemblyFrom, AssemblyError, type Template } from '../../../lib/doctor/assembly.js';
import { offlineChecks } from '../../../lib/doctor/offline.js';
import { deployOrder } from '../../../lib/doctor/order.js';
import type { CheckResult } from '../../../lib/doctor/report.js';

const GOV = '111111111111';
const DOMAIN = '222222222222';

/** A manifest.json as cdk synth writes it: stacks, their asset manifests, and dependencies. */
function manifest(stacks: Record<string, { account: string; dependencies?: string[] }>): unknown {
  const artifacts: Record<string, unknown> = {};
  for (const [id, s] of Object.entries(stacks)) {
    artifacts[`${id}.assets`] = { type: 'cdk:asset-manifest', properties: { file: `${id}.assets.json`, requiresBootstrapStackVersion: 6 } };
    artifacts[id] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${s.account}/eu-west-1`,
      properties: {
        templateFile: `${id}.template.json`,
        requiresBootstrapStackVersion: 6,
        assumeRoleArn: `arn:\${AWS::Partition}:iam::${s.account}:role/cdk-hnb659fds-deploy-role-${s.account}-eu-west-1`,
        cloudFormationExecutionRoleArn: `arn:\${AWS::Partition}:iam::${s.account}:role/cdk-hnb659fds-cfn-exec-role-${s.account}-eu-west-1`,
      },
      dependencies: [`${id}.assets`, ...(s.dependencies ?? [])],
    };
  }
  return { version: '55.0.0', artifacts };
}

function run(stacks: Record<string, { account: string; dependencies?: string[]; template: Template }>, declared: string[] = []): CheckResult[] {
  const templates = new Map(Object.entries(stacks).map(([id, s]) => [`${id}.template.json`, s.template]));
  return offlineChecks(assemblyFrom(manifest(stacks), (f) => templates.get(f)!), declared);
}

const check = (results: CheckResult[], id: string) => results.find((c) => c.id === id)!;
const failures = (c: CheckResult) => c.findings.filter((f) => f.status === 'fail');

// An AwsCustomResource putting an event on the central bus, as aws-cdk-lib synthesizes it.
const publication: Template = {
  Resources: {
    OrdersPublication: {
      Type: 'Custom::TesseraContractPublication',
      Properties: {
        ServiceToken: { 'Fn::GetAtt': ['AWS679f53fac002430cb0da5b7982bd22872D164C4C', 'Arn'] },
        Create: {
          'Fn::Join': [
            '',
            [
              '{"service":"EventBridge","action":"putEvents","parameters":{"Entries":[{"EventBusName":"arn:',
              { Ref: 'AWS::Partition' },
              `:events:eu-west-1:${GOV}:event-bus/tessera-m","Source":"tessera.catalog","DetailType":"ContractPublished","Detail":"{}"}]},"physicalResourceId":{"responsePath":"Entries.0.EventId"}}`,
            ],
          ],
        },
        InstallLatestAwsSdk: false,
      },
    },
  },
};
const bus: Template = { Resources: { Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'tessera-m' } } } };

describe('deploy order', () => {
  it('puts dependencies first, following dependencies through asset manifests, ties in manifest order', () => {
    const m = manifest({ governance: { account: GOV, dependencies: ['domain', 'foundation'] }, domain: { account: DOMAIN, dependencies: ['foundation'] }, foundation: { account: GOV } });
    (m as { artifacts: Record<string, { dependencies?: string[] }> }).artifacts['other.assets'] = { type: 'cdk:asset-manifest', dependencies: ['foundation'] } as never;
    (m as { artifacts: Record<string, { dependencies?: string[] }> }).artifacts.other = { type: 'aws:cloudformation:stack', environment: `aws://${DOMAIN}/eu-west-1`, properties: { templateFile: 'x.json' }, dependencies: ['other.assets'] } as never;
    const order = deployOrder(assemblyFrom(m, () => ({ Resources: {} })));
    expect(order.order).toEqual(['foundation', 'domain', 'governance', 'other']);
    expect(order.cycle).toEqual([]);
  });

  it('fails on a dependency cycle, naming its stacks', () => {
    const results = run({ a: { account: GOV, dependencies: ['b'], template: {} }, b: { account: DOMAIN, dependencies: ['a'], template: {} } });
    const order = check(results, 'deploy-order');
    expect(order.status).toBe('fail');
    expect(failures(order).map((f) => f.message)).toEqual(['a is on a dependency cycle with b: cdk cannot deploy it', 'b is on a dependency cycle with a: cdk cannot deploy it']);
  });

  it('refuses a stack without an explicit account and region', () => {
    const m = { artifacts: { s: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 's.json' } } } };
    expect(() => assemblyFrom(m, () => ({}))).toThrow(AssemblyError);
    expect(() => assemblyFrom(m, () => ({}))).toThrow(/stack s has environment 'aws:\/\/unknown-account\/unknown-region'/);
  });
});

describe('deploy-time references', () => {
  it('fails a publication to a bus created by a stack that deploys later, naming both', () => {
    const results = run({ domain: { account: DOMAIN, template: publication }, governance: { account: GOV, dependencies: ['domain'], template: bus } });
    const refs = check(results, 'deploy-time-references');
    expect(refs.status).toBe('fail');
    const [fail] = failures(refs);
    expect(fail!.stack).toBe('domain');
    expect(fail!.message).toBe(
      'domain/OrdersPublication (Custom::TesseraContractPublication) EventBridge.putEvents reaches event bus tessera-m in 111111111111/eu-west-1, which governance creates; but governance does not deploy before domain, so the deploy of domain fails there',
    );
    expect(fail!.fix).toContain('domain.addStackDependency(');
  });

  it('passes when the bus is created by a stack the publication depends on', () => {
    const results = run({ foundation: { account: GOV, template: bus }, domain: { account: DOMAIN, dependencies: ['foundation'], template: publication } });
    const refs = check(results, 'deploy-time-references');
    expect(refs.status).toBe('pass');
    expect(refs.findings.map((f) => f.message)).toEqual([
      'domain/OrdersPublication (Custom::TesseraContractPublication) EventBridge.putEvents reaches event bus tessera-m in 111111111111/eu-west-1: created by foundation, which deploys earlier',
    ]);
  });

  it('fails a bus nothing creates, and passes it once declared by ARN', () => {
    const alone = { domain: { account: DOMAIN, template: publication } };
    expect(failures(check(run(alone), 'deploy-time-references'))[0]!.message).toContain('which nothing in the app creates and nothing declares as existing');
    expect(check(run(alone, [`arn:aws:events:eu-west-1:${GOV}:event-bus/tessera-m`]), 'deploy-time-references').status).toBe('pass');
  });

  const tagGrant: Template = {
    Resources: {
      Grant: {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: {
          Permissions: ['SELECT'],
          PermissionsWithGrantOption: [],
          Principal: { DataLakePrincipalIdentifier: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/Reader' } },
          Resource: { LFTagPolicy: { CatalogId: DOMAIN, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['orders'] }] } },
        },
      },
      Reader: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'Reader', AssumeRolePolicyDocument: {} } },
    },
  };
  const tag: Template = { Resources: { DomainTag: { Type: 'AWS::LakeFormation::Tag', Properties: { TagKey: 'domain', TagValues: ['orders'] } } } };

  it('passes a grant on LF-tags of another catalog created by an earlier stack, fails it when that stack deploys later', () => {
    expect(check(run({ domain: { account: DOMAIN, template: tag }, governance: { account: GOV, dependencies: ['domain'], template: tagGrant } }), 'deploy-time-references').status).toBe('pass');
    const late = check(run({ governance: { account: GOV, template: tagGrant }, domain: { account: DOMAIN, dependencies: ['governance'], template: tag } }), 'deploy-time-references');
    expect(failures(late).map((f) => f.message)).toEqual([
      'governance/Grant (AWS::LakeFormation::PrincipalPermissions) Lake Formation grant reaches LF-tag domain in 222222222222/eu-west-1, which domain creates; but domain does not deploy before governance, so the deploy of governance fails there',
    ]);
  });

  it('checks resource links: the target database must exist first', () => {
    const link: Template = { Resources: { Link: { Type: 'AWS::Glue::Database', Properties: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseInput: { Name: 'orders', TargetDatabase: { CatalogId: DOMAIN, DatabaseName: 'Orders' } } } } } };
    const db: Template = { Resources: { Db: { Type: 'AWS::Glue::Database', Properties: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseInput: { Name: 'orders' } } } } };
    expect(check(run({ domain: { account: DOMAIN, template: db }, governance: { account: GOV, dependencies: ['domain'], template: link } }), 'deploy-time-references').status).toBe('pass');
    const missing = failures(check(run({ governance: { account: GOV, template: link } }), 'deploy-time-references'));
    expect(missing.map((f) => f.message)).toEqual([
      'governance/Link (AWS::Glue::Database) resource link reaches Glue database orders in 222222222222/eu-west-1, which nothing in the app creates and nothing declares as existing',
    ]);
    expect(missing[0]!.fix).toContain('arn:aws:glue:eu-west-1:222222222222:database/orders');
  });

  it('lists SAR applications as outside the app, for the live check', () => {
    const sar: Template = { Resources: { Connector: { Type: 'AWS::Serverless::Application', Properties: { Location: { ApplicationId: 'arn:aws:serverlessrepo:us-east-1:292517598671:applications/AthenaDynamoDBConnector', SemanticVersion: '2023.46.2' } } } } };
    const refs = check(run({ domain: { account: DOMAIN, template: sar } }), 'deploy-time-references');
    expect(refs.findings.map((f) => [f.status, f.message])).toEqual([
      ['pass', 'deploys the Serverless Application Repository application arn:aws:serverlessrepo:us-east-1:292517598671:applications/AthenaDynamoDBConnector 2023.46.2: outside the app; the live check serverless-applications confirms it exists in eu-west-1'],
    ]);
  });
});

describe('principals', () => {
  const grantTo = (arn: unknown): Template => ({
    Resources: {
      Grant: {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: { Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [], Principal: { DataLakePrincipalIdentifier: arn }, Resource: { Database: { CatalogId: { Ref: 'AWS::AccountId' }, Name: 'views' } } },
      },
      Views: { Type: 'AWS::Glue::Database', Properties: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseInput: { Name: 'views' } } },
    },
  });
  const analyst = `arn:aws:iam::${GOV}:role/Analyst`;

  it('fails a principal nobody creates nor declares, naming it and the stack', () => {
    const principals = check(run({ governance: { account: GOV, template: grantTo(analyst) } }), 'principals');
    expect(failures(principals).map((f) => [f.subject, f.message])).toEqual([
      [analyst, 'governance/Grant names IAM role Analyst in 111111111111, which nothing in the app creates and nothing declares as existing'],
    ]);
  });

  it('passes it when declared as a prerequisite', () => {
    expect(check(run({ governance: { account: GOV, template: grantTo(analyst) } }, [analyst]), 'principals').status).toBe('pass');
  });

  it('passes a role the app creates in an earlier stack of that account, with the ARN built from tokens', () => {
    const roles: Template = { Resources: { Analyst: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'Analyst', AssumeRolePolicyDocument: {} } } } };
    const byToken = grantTo({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/Analyst']] });
    expect(check(run({ foundation: { account: GOV, template: roles }, governance: { account: GOV, dependencies: ['foundation'], template: byToken } }), 'principals').status).toBe('pass');
  });

  it('fails a role of that name created in another account, or by a stack that deploys later', () => {
    const roles: Template = { Resources: { Analyst: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'Analyst', AssumeRolePolicyDocument: {} } } } };
    const elsewhere = check(run({ domain: { account: DOMAIN, template: roles }, governance: { account: GOV, dependencies: ['domain'], template: grantTo(analyst) } }), 'principals');
    expect(failures(elsewhere)[0]!.message).toContain('which nothing in the app creates');
    const later = check(run({ governance: { account: GOV, template: grantTo(analyst) }, roles: { account: GOV, dependencies: ['governance'], template: roles } }), 'principals');
    expect(failures(later)[0]!.message).toBe('governance/Grant names IAM role Analyst in 111111111111, which roles creates; but roles does not deploy before governance, so the deploy of governance fails there');
  });

  it('leaves out ARNs in policy conditions: they name no principal and may name a role created later', () => {
    const keyPolicy: Template = {
      Resources: {
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Statement: [
                { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Principal: { AWS: `arn:aws:iam::${GOV}:root` }, Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${GOV}:role/LaterRole` } } },
              ],
            },
          },
        },
      },
    };
    expect(check(run({ domain: { account: DOMAIN, template: keyPolicy } }), 'principals').findings).toEqual([]);
    const named: Template = { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Principal: { AWS: `arn:aws:iam::${GOV}:role/LaterRole` } }] } } } } };
    expect(failures(check(run({ domain: { account: DOMAIN, template: named } }), 'principals')).map((f) => f.subject)).toEqual([`arn:aws:iam::${GOV}:role/LaterRole`]);
  });

  it('accepts the bootstrap roles and service-linked roles', () => {
    const admins: Template = {
      Resources: {
        Settings: {
          Type: 'AWS::LakeFormation::DataLakeSettings',
          Properties: { Admins: [{ DataLakePrincipalIdentifier: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/cdk-hnb659fds-cfn-exec-role-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] } }] },
        },
        Linked: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${GOV}:role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess` }] } } },
      },
    };
    const principals = check(run({ governance: { account: GOV, template: admins } }), 'principals');
    expect(principals.findings.map((f) => [f.status, f.subject])).toEqual([
      ['pass', `arn:aws:iam::${GOV}:role/cdk-hnb659fds-cfn-exec-role-${GOV}-eu-west-1`],
      ['pass', `arn:aws:iam::${GOV}:role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess`],
    ]);
  });
});

describe('one owner per account', () => {
  const settings: Template = {
    Resources: {
      Settings: { Type: 'AWS::LakeFormation::DataLakeSettings', Properties: { Admins: [] } },
      DomainTag: { Type: 'AWS::LakeFormation::Tag', Properties: { TagKey: 'domain', TagValues: ['x'] } },
    },
  };

  it('passes one stack per account owning its settings and LF-tags', () => {
    expect(check(run({ a: { account: GOV, template: settings }, b: { account: DOMAIN, template: settings } }), 'account-owners').status).toBe('pass');
  });

  it('fails two stacks in one account creating the settings and the same LF-tag key', () => {
    const owners = check(run({ orders: { account: DOMAIN, template: settings }, shipping: { account: DOMAIN, template: settings } }), 'account-owners');
    expect(failures(owners).map((f) => f.message)).toEqual([
      'Lake Formation data lake settings in 222222222222/eu-west-1 is created by 2 stacks: orders/Settings, shipping/Settings; the second to deploy fails (or overwrites the first)',
      "LF-tag key 'domain' in 222222222222/eu-west-1 is created by 2 stacks: orders, shipping; the second to deploy fails (or overwrites the first)",
    ]);
  });

  it('fails a role name two stacks of one account create', () => {
    const role: Template = { Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'Shared', AssumeRolePolicyDocument: {} } } } };
    const owners = check(run({ a: { account: GOV, template: role }, b: { account: GOV, template: role } }), 'account-owners');
    expect(failures(owners).map((f) => f.subject)).toEqual(['IAM role Shared in 111111111111']);
  });
});

describe('one owner per account, for settings written by custom resources', () => {
  const merged: Template = { Resources: { AccountSettings: { Type: 'Custom::TesseraDataLakeSettings', Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:222222222222:function:provider', Admins: [] } } } };
  const sdk: Template = {
    Resources: {
      Put: { Type: 'Custom::AWS', Properties: { ServiceToken: 'x', Create: '{"service":"LakeFormation","action":"putDataLakeSettings","parameters":{"DataLakeSettings":{}},"physicalResourceId":{"id":"s"}}' } },
    },
  };

  it('fails two stacks of one account writing the data lake settings, whichever way each does it', () => {
    const owners = check(run({ orders: { account: DOMAIN, template: merged }, shipping: { account: DOMAIN, template: sdk } }), 'account-owners');
    expect(failures(owners).map((f) => f.message)).toEqual([
      'Lake Formation data lake settings in 222222222222/eu-west-1 is created by 2 stacks: orders/AccountSettings, shipping/Put; the second to deploy fails (or overwrites the first)',
    ]);
  });

  it('passes them in two accounts', () => {
    expect(check(run({ orders: { account: DOMAIN, template: merged }, governance: { account: GOV, template: sdk } }), 'account-owners').status).toBe('pass');
  });
});
