/**
 * Least privilege in the example mesh's templates, pinned as literal CloudFormation: the statements
 * below are written by hand from the AWS documentation each construct cites, not computed with the
 * constructs' helpers.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleMeshStacks } from './helpers.js';
import { resourcesOf, type TemplateResource } from './template-json.js';

let governance: Record<string, TemplateResource>;
let inventory: Record<string, TemplateResource>;
let orders: Record<string, TemplateResource>;

beforeAll(async () => {
  const { stacks } = await exampleMeshStacks();
  governance = resourcesOf(Template.fromStack(stacks.governance));
  inventory = resourcesOf(Template.fromStack(stacks.domains.get('inventory')!));
  orders = resourcesOf(Template.fromStack(stacks.domains.get('orders')!));
}, 300_000);

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

function one(resources: Record<string, TemplateResource>, type: string, idPrefix: string): TemplateResource {
  const found = Object.entries(resources).filter(([id, r]) => r.Type === type && id.startsWith(idPrefix));
  expect(found.map(([id]) => id), `${type} ${idPrefix}*`).toHaveLength(1);
  return found[0]![1];
}

function policyStatements(resources: Record<string, TemplateResource>, idPrefix: string): Statement[] {
  return (one(resources, 'AWS::IAM::Policy', idPrefix).Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

describe('the federated DynamoDB connector (defect 4)', () => {
  it('may generate spill data keys with the domain key and random nonces, as its own template grants', () => {
    const statements = policyStatements(inventory, 'FederatedLiveStockRoleDefaultPolicy');
    expect(statements).toContainEqual({ Sid: 'SpillKey', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] } });
    expect(statements).toContainEqual({ Sid: 'SpillNonce', Effect: 'Allow', Action: 'kms:GenerateRandom', Resource: '*' });
    // It never decrypts: the page key goes to Athena in the response.
    expect(statements.flatMap(actions)).not.toContain('kms:Decrypt');
  });

  it('is deployed from a connector release that ships as a container image, not on the deprecated java11 runtime', () => {
    expect(one(inventory, 'AWS::Serverless::Application', 'FederatedLiveStockConnector').Properties.Location).toEqual({
      ApplicationId: 'arn:aws:serverlessrepo:us-east-1:292517598671:applications/AthenaDynamoDBConnector',
      SemanticVersion: '2026.33.1',
    });
  });
});

describe('who may invoke the connector (defect 7)', () => {
  // live_stock is inventory's, classified internal: analysts (every domain, public and internal) and
  // supply-chain (inventory up to confidential) are granted it; customer-service is not.
  const readers = ['arn:aws:iam::111111111111:role/TesseraAnalyst', 'arn:aws:iam::111111111111:role/TesseraSupplyChain'];
  const functionArn = partitionArn(':lambda:eu-west-1:444444444444:function:tessera-ecommerce-live-stock');

  it('names each reader role and nothing else', () => {
    const permissions = Object.values(inventory).filter((r) => r.Type === 'AWS::Lambda::Permission').map((r) => r.Properties);
    expect(permissions).toHaveLength(2);
    expect(permissions).toContainEqual({ Action: 'lambda:InvokeFunction', FunctionName: functionArn, Principal: readers[0] });
    expect(permissions).toContainEqual({ Action: 'lambda:InvokeFunction', FunctionName: functionArn, Principal: readers[1] });
  });

  it('lets the same roles, and no one else of the governance account, read the spilled pages', () => {
    const bucketPolicy = one(inventory, 'AWS::S3::BucketPolicy', 'FederatedLiveStockSpillPolicy').Properties.PolicyDocument as { Statement: Statement[] };
    const allows = bucketPolicy.Statement.filter((s) => s.Effect === 'Allow');
    const governanceRoot = { AWS: partitionArn(':iam::111111111111:root') };
    const onlyReaders = { ArnEquals: { 'aws:PrincipalArn': readers } };
    expect(allows).toEqual([
      {
        Sid: 'ReadersReadSpill',
        Effect: 'Allow',
        Principal: governanceRoot,
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['FederatedLiveStockSpill75BBE356', 'Arn'] }, '/athena-spill/*']] },
        Condition: onlyReaders,
      },
      {
        Sid: 'ReadersListSpill',
        Effect: 'Allow',
        Principal: governanceRoot,
        Action: ['s3:GetBucketLocation', 's3:ListBucket'],
        Resource: { 'Fn::GetAtt': ['FederatedLiveStockSpill75BBE356', 'Arn'] },
        Condition: onlyReaders,
      },
    ]);
  });
});

describe('the quality state machine (defect 7)', () => {
  it('runs statements through the Athena .sync integration in its workgroup and database', () => {
    const definition = JSON.stringify(one(inventory, 'AWS::StepFunctions::StateMachine', 'QualityStateMachine').Properties.DefinitionString);
    expect(definition).toContain(':states:::athena:startQueryExecution.sync');
    expect(definition).toContain('\\"WorkGroup\\":\\"tessera-quality-inventory\\"');
    expect(definition).toContain('\\"QueryExecutionContext\\":{\\"Database\\":\\"inventory\\"}');
  });

  it('may not create buckets, touch objects outside its results prefix, or change the Glue catalog', () => {
    const statements = policyStatements(inventory, 'QualityStateMachineRoleDefaultPolicy');
    const all = statements.flatMap(actions);
    expect(all).not.toContain('s3:CreateBucket');
    expect(all.filter((a) => /^glue:(Create|Delete|Update|BatchCreate|BatchDelete)/.test(a))).toEqual([]);
    for (const statement of statements.filter((s) => s.Resource === '*')) {
      expect(actions(statement).filter((a) => a.startsWith('s3:') || a.startsWith('glue:') || a.startsWith('kms:')), JSON.stringify(statement)).toEqual([]);
    }
  });

  it('holds exactly the Athena, Glue, results and key statements the integration needs', () => {
    const statements = policyStatements(inventory, 'QualityStateMachineRoleDefaultPolicy');
    const results = { 'Fn::GetAtt': ['QualityAthenaResults771C4C11', 'Arn'] };
    const expected: Statement[] = [
      { Sid: 'RunStatements', Effect: 'Allow', Action: ['athena:GetQueryExecution', 'athena:StartQueryExecution', 'athena:StopQueryExecution'], Resource: partitionArn(':athena:eu-west-1:444444444444:workgroup/tessera-quality-inventory') },
      { Sid: 'ReadDataCatalog', Effect: 'Allow', Action: 'athena:GetDataCatalog', Resource: partitionArn(':athena:eu-west-1:444444444444:datacatalog/AwsDataCatalog') },
      {
        Sid: 'ReadPartitions',
        Effect: 'Allow',
        Action: 'glue:BatchGetPartition',
        Resource: [
          partitionArn(':glue:eu-west-1:444444444444:catalog'),
          partitionArn(':glue:eu-west-1:444444444444:database/inventory'),
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:444444444444:table/inventory/', { Ref: 'StockLevelsTableStockLevels43F2BF7A' }]] },
        ],
      },
      { Sid: 'WriteResults', Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], Resource: { 'Fn::Join': ['', [results, '/results/*']] } },
      { Sid: 'ResultsBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: results },
      { Sid: 'ResultsAndDataKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] } },
    ];
    for (const statement of expected) expect(statements).toContainEqual(statement);
  });

  it('reaches Lake Formation credentials with a statement that can match (GetDataAccess has no resource types)', () => {
    const statements = policyStatements(inventory, 'QualityStateMachineRoleDefaultPolicy');
    const withDataAccess = statements.filter((s) => actions(s).includes('lakeformation:GetDataAccess'));
    expect(withDataAccess.length).toBeGreaterThan(0);
    for (const statement of withDataAccess) expect(statement.Resource).toBe('*');
  });
});

describe('trust policies (defect 7)', () => {
  it('lets only the named producer roles assume the producer role, not the whole domain account', () => {
    expect(one(orders, 'AWS::IAM::Role', 'ProducerRole').Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: partitionArn(':iam::333333333333:root') },
          Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::333333333333:role/tessera-ecommerce-orders-producer-*'] } },
        },
      ],
    });
  });

  it("holds Lake Formation's use of the data-access role to the domain's account", () => {
    expect(one(orders, 'AWS::IAM::Role', 'DataAccessRole').Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lakeformation.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } } }],
    });
  });
});

describe('the governance key (defect 7)', () => {
  it('grants the domain accounts nothing: EventBridge encrypts the bus as its own service principal', () => {
    const key = Object.values(governance).find((r) => r.Type === 'AWS::KMS::Key')!;
    const statements = (key.Properties.KeyPolicy as { Statement: Statement[] }).Statement;
    const text = JSON.stringify(statements);
    for (const account of ['222222222222', '333333333333', '444444444444', '555555555555']) expect(text).not.toContain(account);
    expect(statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes('kms:ViaService'))).toEqual([]);
  });
});
