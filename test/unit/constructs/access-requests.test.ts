/**
 * The access-request workflow in the governance stack: the key policies written out by hand, and
 * the cdk-nag packs passing over the whole example mesh with it in place.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMeshApp } from '../../../constructs/mesh-app.js';
import { loadMeshFile } from '../../../lib/mesh/load.js';
import { cdkContext, root } from './helpers.js';

let governance: Template;
let synthError: unknown;

beforeAll(async () => {
  const mesh = (await loadMeshFile(`${root}/mesh/mesh.yaml`)).mesh!;
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }) });
  const stacks = buildMeshApp(app, mesh);
  try {
    app.synth(); // throws "Validation failed" on an unacknowledged cdk-nag finding
  } catch (e) {
    synthError = e;
  }
  governance = Template.fromStack(stacks.governance);
}, 300_000);

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
function statementsOf(roleLogicalIdPrefix: string): Statement[] {
  const policies = governance.findResources('AWS::IAM::Policy');
  const entry = Object.entries(policies).find(([id]) => id.startsWith(roleLogicalIdPrefix));
  if (!entry) throw new Error(`no policy ${roleLogicalIdPrefix}*; policies: ${Object.keys(policies).join(', ')}`);
  return (entry[1].Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
}
const ref = (logicalIdPrefix: string, type: string) => Object.keys(governance.findResources(type)).find((id) => id.startsWith(logicalIdPrefix))!;

describe('AccessRequests', () => {
  it('passes the cdk-nag packs', () => {
    expect(synthError).toBeUndefined();
  });

  it('lets the API role put audit items and query them, and change or delete none', () => {
    const audit = ref('AccessRequestsAudit', 'AWS::DynamoDB::Table');
    const statements = statementsOf('AccessRequestsApiRoleDefaultPolicy');
    expect(statements.find((s) => s.Sid === 'AppendAudit')).toEqual({ Sid: 'AppendAudit', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': [audit, 'Arn'] } });
    expect(statements.find((s) => s.Sid === 'ReadAudit')).toEqual({ Sid: 'ReadAudit', Effect: 'Allow', Action: 'dynamodb:Query', Resource: { 'Fn::GetAtt': [audit, 'Arn'] } });
    const onAudit = statements.filter((s) => JSON.stringify(s.Resource).includes(audit)).flatMap((s) => [s.Action].flat());
    expect(onAudit.sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
    for (const policy of ['AccessRequestsApiRoleDefaultPolicy', 'AccessRequestsExpiryRoleDefaultPolicy']) {
      const actions = statementsOf(policy).flatMap((s) => [s.Action].flat());
      expect(actions.filter((a) => /dynamodb:(UpdateItem|DeleteItem|BatchWriteItem|PartiQL|\*)/.test(a)), policy).toEqual([]);
    }
  });

  it('grants only from the API role; the expiry role only revokes', () => {
    expect(statementsOf('AccessRequestsApiRoleDefaultPolicy').find((s) => s.Sid === 'GrantApproved')).toEqual({
      Sid: 'GrantApproved',
      Effect: 'Allow',
      Action: ['lakeformation:BatchRevokePermissions', 'lakeformation:CreateDataCellsFilter', 'lakeformation:DeleteDataCellsFilter', 'lakeformation:GrantPermissions'],
      Resource: '*',
    });
    const expiry = statementsOf('AccessRequestsExpiryRoleDefaultPolicy');
    expect(expiry.find((s) => s.Sid === 'RevokeExpired')).toEqual({ Sid: 'RevokeExpired', Effect: 'Allow', Action: ['lakeformation:BatchRevokePermissions', 'lakeformation:DeleteDataCellsFilter'], Resource: '*' });
    expect(expiry.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('lakeformation:Grant') || a.startsWith('scheduler:'))).toEqual([]);
  });

  it('creates schedules only in its own group and passes the scheduler role only to the scheduler', () => {
    const statements = statementsOf('AccessRequestsApiRoleDefaultPolicy');
    expect(statements.find((s) => s.Sid === 'ExpirySchedules')).toEqual({
      Sid: 'ExpirySchedules',
      Effect: 'Allow',
      Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:eu-west-1:111111111111:schedule/tessera-ecommerce-access/tessera-access-*']] },
    });
    expect(statements.find((s) => s.Sid === 'PassSchedulerRole')).toEqual({
      Sid: 'PassSchedulerRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': [ref('AccessRequestsSchedulerRole', 'AWS::IAM::Role'), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
  });

  it('lets the scheduler, for this account only, invoke the expiry function and nothing else', () => {
    governance.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }] },
    });
    const statements = statementsOf('AccessRequestsSchedulerRoleDefaultPolicy');
    expect(statements.find((s) => s.Sid === 'InvokeExpiry')).toEqual({ Sid: 'InvokeExpiry', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [ref('AccessRequestsExpiryFunction', 'AWS::Lambda::Function'), 'Arn'] } });
  });

  it('keeps the audit table: deletion protection, point-in-time recovery, a customer-managed key', () => {
    governance.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'requestId', KeyType: 'HASH' }, { AttributeName: 'revision', KeyType: 'RANGE' }],
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
    });
  });

  it('routes /access-requests to its own function under IAM, and lets the mesh accounts POST there', () => {
    const resources = governance.findResources('AWS::ApiGateway::Resource');
    expect(Object.values(resources).map((r) => (r.Properties as { PathPart: string }).PathPart)).toEqual(expect.arrayContaining(['access-requests', '{proxy+}']));
    const methods = Object.values(governance.findResources('AWS::ApiGateway::Method')).filter((m) => JSON.stringify(m.Properties).includes('AccessRequestsApiFunction'));
    expect(methods.map((m) => (m.Properties as { HttpMethod: string; AuthorizationType: string }).HttpMethod).sort()).toEqual(['GET', 'GET', 'POST', 'POST']);
    expect(methods.every((m) => (m.Properties as { AuthorizationType: string }).AuthorizationType === 'AWS_IAM')).toBe(true);
    const api = Object.values(governance.findResources('AWS::ApiGateway::RestApi'))[0]!;
    // The POSTs join the catalog's one statement for the mesh's accounts (constructs/core/api-callers.ts).
    const statements = (api.Properties as { Policy: { Statement: { Action: string; Resource: unknown; Condition: unknown }[] } }).Policy.Statement;
    expect(statements.map((s) => s.Resource)).toEqual([['execute-api:/*/GET/*', 'execute-api:/*/POST/access-requests', 'execute-api:/*/POST/access-requests/*']]);
    expect(statements[0]!.Condition).toEqual({ StringEquals: { 'aws:PrincipalAccount': ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'] } });
  });

  it('holds what it may re-grant in Lake Formation with the grant option, per domain', () => {
    governance.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [ref('AccessRequestsApiRole', 'AWS::IAM::Role'), 'Arn'] } },
      Resource: { LFTagPolicy: { CatalogId: '222222222222', ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['customer'] }] } },
      Permissions: ['SELECT', 'DESCRIBE'],
      PermissionsWithGrantOption: ['SELECT', 'DESCRIBE'],
    });
  });
});
