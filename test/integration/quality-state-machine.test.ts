/**
 * The quality state machine as deployed: the `DefinitionString` synthesized for the example mesh's
 * orders domain, started with the input its EventBridge schedule sends, executed by a local ASL
 * interpreter (aws-local-stepfunctions) with the real handlers behind its Lambda tasks.
 *
 * Real here: every state, path, Map, Retry, Catch and Choice of the synthesized definition; the
 * plan and evaluate handlers through their middy chains; S3, DynamoDB, CloudWatch, EventBridge and
 * Athena's API (moto). Substituted, and only these:
 * - the Lambda service: a task's payload goes to the handler in this process (as JSON, as Lambda
 *   would pass it), not through Lambda's Invoke API;
 * - the `athena:startQueryExecution.sync` integration: the override sends the task's parameters to
 *   moto's StartQueryExecution and polls GetQueryExecution until the query ends, returning that
 *   response, as the `.sync` pattern does
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html);
 * - the numbers: moto's Athena does not run SQL, so each statement's result is the one DuckDB
 *   computes on the sample data for the same statement compiled in the DuckDB dialect;
 * - a failing Athena query: moto never fails one, so the override raises the task error itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, CreateWorkGroupCommand, GetQueryExecutionCommand, StartQueryExecutionCommand, type StartQueryExecutionCommandInput } from '@aws-sdk/client-athena';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as EvaluateHandler from '../../lambdas/quality/evaluate-handler.js';
import type * as PlanHandler from '../../lambdas/quality/plan-handler.js';
import { loadContract } from '../../lib/contract/load.js';
import { duckdbReference } from '../support/duckdb-reference.js';
import type { QualityReport } from '../../lib/quality/run.js';
import { generateSampleData } from '../../mesh/generator/generate.js';
import { ensurePromiseWithResolvers, forLocalExecutor, localLambdaArn, resolveIntrinsics, scheduledInputs, stateMachineOf } from '../support/state-machine.js';
import { motoEnvironment, queueAthenaResults, startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';
import { resourcesOf, type TemplateResource } from '../unit/constructs/template-json.js';
import { exampleMeshStacks, root } from '../unit/constructs/helpers.js';

ensurePromiseWithResolvers();

const EVENT_TIME = '2026-11-25T06:00:00Z';
const PRODUCTS = ['orders', 'order-lines'];
const context = { functionName: 'local', awsRequestId: 'req', getRemainingTimeInMillis: () => 300_000 } as unknown as Context;

interface Planned {
  readonly product: string;
  readonly statements: readonly { id: string; sql: string }[];
}
interface Summary {
  product: string;
  version: string;
  runId: string;
  passed: number;
  failed: number;
  errors: number;
  failedErrorSeverity: number;
}
interface RunOutput {
  readonly product: string;
  readonly statements: readonly { id: string; sql: string }[];
  readonly executions: readonly { id: string; queryExecutionId?: string; error?: { Error: string; Cause: string } }[];
  readonly summary: Summary;
}

let moto: Moto;
let scratch: string;
let resources: Record<string, TemplateResource>;
let definition: StateMachineDefinition;
let inputs: Map<string, Record<string, string>>;
let handlers: { plan: typeof PlanHandler; evaluate: typeof EvaluateHandler };
let clients: { athena: AthenaClient; dynamo: DynamoDBDocumentClient };
let workGroup: string;
let runsTable: string;
/** Per product: DuckDB's report and, per statement id, DuckDB's result rows as Athena returns text. */
const reference = new Map<string, { report: QualityReport; valuesById: Map<string, { columns: string[]; rows: (string | null)[][] }> }>();

function lambdaEnvironment(predicate: (variables: Record<string, unknown>) => boolean): Record<string, unknown> {
  const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function' && predicate(((r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {})));
  if (!fn) throw new Error('no Lambda function with that environment in the template');
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

beforeAll(async () => {
  const { stacks } = await exampleMeshStacks();
  resources = resourcesOf(Template.fromStack(stacks.domains.get('orders')!));
  const machine = stateMachineOf(resources);
  definition = forLocalExecutor(machine.definition) as unknown as StateMachineDefinition;
  inputs = new Map(scheduledInputs(resources, machine.logicalId, EVENT_TIME).map((i) => [(i as { product: string }).product, i as Record<string, string>]));

  moto = await startMoto();
  const evaluateEnv = lambdaEnvironment((v) => 'RUNS_TABLE' in v);
  runsTable = resolveIntrinsics(evaluateEnv.RUNS_TABLE, resources);
  const busArn = resolveIntrinsics(evaluateEnv.EVENT_BUS_NAME, resources);
  Object.assign(process.env, { ...motoEnvironment(moto), RUNS_TABLE: runsTable, EVENT_BUS_NAME: busArn, POWERTOOLS_LOG_LEVEL: 'WARN' });
  // The handlers create their clients at module scope, so they are imported once the env is set.
  handlers = { plan: await import('../../lambdas/quality/plan-handler.js'), evaluate: await import('../../lambdas/quality/evaluate-handler.js') };
  const config = { region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  clients = { athena: new AthenaClient(config), dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(config)) };

  workGroup = Object.values(resources).find((r) => r.Type === 'AWS::Athena::WorkGroup')!.Properties.Name as string;
  await clients.athena.send(new CreateWorkGroupCommand({ Name: workGroup }));
  await clients.dynamo.send(
    new CreateTableCommand({
      TableName: runsTable,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    }),
  );
  await new EventBridgeClient(config).send(new CreateEventBusCommand({ Name: busArn.split('/').pop()! }));

  scratch = mkdtempSync(join(tmpdir(), 'tessera-sfn-'));
  await generateSampleData({ meshDir: join(root, 'mesh'), outDir: scratch, asOf: EVENT_TIME.slice(0, 10) });
  for (const product of PRODUCTS) {
    const input = inputs.get(product);
    if (!input) throw new Error(`no schedule of ${product} targets the state machine`);
    const file = join(root, 'mesh/orders', `${product}.odcs.yaml`);
    await s3.send(new CreateBucketCommand({ Bucket: input.contractBucket, CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
    await s3.send(new PutObjectCommand({ Bucket: input.contractBucket, Key: input.contractKey, Body: readFileSync(file) }));

    const contract = loadContract(readFileSync(file, 'utf8'), file).contract!;
    reference.set(product, await duckdbReference(contract, scratch, EVENT_TIME));
  }
}, 300_000);

afterAll(async () => {
  await moto?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The Lambda ARN a task state names, so an override can tell which handler it stands for. */
function lambdaArnOf(logicalIdPrefix: string): string {
  const id = Object.keys(resources).find((k) => k.startsWith(logicalIdPrefix) && resources[k]!.Type === 'AWS::Lambda::Function');
  if (!id) throw new Error(`no Lambda function ${logicalIdPrefix}* in the template`);
  return localLambdaArn(id);
}

/** Every Task state of the definition with its resource, the Map's item processor included. */
function taskStates(states: Record<string, { Type: string; Resource?: string; ItemProcessor?: { States: Record<string, never> } }>): [string, string][] {
  return Object.entries(states).flatMap(([name, s]) => [...(s.Type === 'Task' ? [[name, s.Resource!] as [string, string]] : []), ...(s.ItemProcessor ? taskStates(s.ItemProcessor.States) : [])]);
}

interface Execution {
  readonly output: Promise<RunOutput>;
  /** What each RunStatement task was sent, with the planned statement it carried. */
  readonly athenaCalls: { statementId: string; parameters: StartQueryExecutionCommandInput }[];
}

/**
 * Runs the definition once. Each Task is routed by its Resource, never by its state name, so a
 * definition that calls the wrong Lambda fails here as it would deployed.
 */
function execute(input: unknown, executionName: string, failing: ReadonlySet<string> = new Set()): Execution {
  const planArn = lambdaArnOf('QualityPlan');
  const evaluateArn = lambdaArnOf('QualityEvaluate');
  const planned = new Map<string, { product: string; id: string }>();
  const athenaCalls: Execution['athenaCalls'] = [];
  let athenaQueue = Promise.resolve();
  const lambda = (arn: string) => async (payload: unknown) => {
    // Lambda passes the payload as JSON and returns JSON.
    const event = JSON.parse(JSON.stringify(payload)) as never;
    if (arn === planArn) {
      const out = (await handlers.plan.handler(event, context)) as Planned;
      for (const s of out.statements) planned.set(s.sql, { product: out.product, id: s.id });
      return JSON.parse(JSON.stringify(out)) as unknown;
    }
    if (arn === evaluateArn) return JSON.parse(JSON.stringify(await handlers.evaluate.handler(event, context))) as unknown;
    throw new Error(`the definition invokes ${arn}, which is neither quality Lambda`);
  };
  const athenaSync = async (parameters: StartQueryExecutionCommandInput) => {
    const statement = planned.get(parameters.QueryString ?? '');
    if (!statement) throw new Error(`Athena was sent SQL the plan did not produce: ${String(parameters.QueryString).slice(0, 80)}`);
    athenaCalls.push({ statementId: statement.id, parameters });
    if (failing.has(statement.id)) {
      const error = new Error(JSON.stringify({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: line 1:1: Table awsdatacatalog.orders.order_lines does not exist' } } }));
      error.name = 'States.TaskFailed';
      throw error;
    }
    // moto binds the next queued result to the next started query: queue and start as one step.
    const started = athenaQueue.then(async () => {
      await queueAthenaResults(moto.endpoint, [reference.get(statement.product)!.valuesById.get(statement.id)!]);
      return clients.athena.send(new StartQueryExecutionCommand(parameters));
    });
    athenaQueue = started.then(() => undefined, () => undefined);
    const { QueryExecutionId } = await started;
    for (;;) {
      const { $metadata: _, ...response } = await clients.athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
      const state = response.QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') return JSON.parse(JSON.stringify(response)) as unknown;
      if (state === 'FAILED' || state === 'CANCELLED') throw Object.assign(new Error(JSON.stringify(response)), { name: 'States.TaskFailed' });
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
  const overrides: LocalHandlers = {};
  for (const [name, resource] of taskStates(definition.States as never)) {
    overrides[name] = (resource.endsWith(':states:::athena:startQueryExecution.sync') ? athenaSync : lambda(resource)) as unknown as LocalHandlers[string];
  }
  const machine = new StateMachine(definition);
  const retryIntervalOverrides = Object.fromEntries(Object.keys(overrides).map((n) => [n, 0]));
  const run = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides },
    context: { Execution: { Id: `arn:aws:states:${TEST_REGION}:123456789012:execution:quality:${executionName}`, Name: executionName, Input: input as never, StartTime: EVENT_TIME } },
  });
  return { output: run.result as unknown as Promise<RunOutput>, athenaCalls };
}

describe('the quality state machine, synthesized, on a local ASL interpreter', () => {
  it('runs every product on its schedule: each statement through Athena, judged as DuckDB judges it, recorded under the execution name', async () => {
    for (const product of PRODUCTS) {
      const run = execute(inputs.get(product), `sched-${product}`);
      const output = await run.output;
      const expected = reference.get(product)!.report;
      expect(output.summary).toEqual({ product, version: '1.0.0', runId: `sched-${product}`, ...expected.summary });

      // The Map ran each planned statement once, with the parameters the definition sets.
      expect(run.athenaCalls.map((c) => c.statementId).sort()).toEqual(output.statements.map((s) => s.id).sort());
      // No ResultConfiguration: the workgroup enforces the results location (and the role may write only there).
      for (const { parameters } of run.athenaCalls) expect(parameters).toEqual({ QueryString: parameters.QueryString, WorkGroup: workGroup, QueryExecutionContext: { Database: 'orders' } });
      // Each execution names the Athena query that ran its own statement.
      expect(output.executions.map((e) => e.id).sort()).toEqual(output.statements.map((s) => s.id).sort());
      for (const e of output.executions) {
        const q = await clients.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: e.queryExecutionId }));
        expect(q.QueryExecution?.Query).toBe(output.statements.find((s) => s.id === e.id)!.sql);
      }

      const latest = await clients.dynamo.send(new GetCommand({ TableName: runsTable, Key: { pk: `product#${product}`, sk: 'latest' } }));
      expect(latest.Item).toMatchObject({ runId: `sched-${product}`, at: EVENT_TIME.replace('Z', '.000Z'), summary: expected.summary });
    }
    // The sample data's duplicates and negative quantities fail checks: a complete run with failed checks still succeeds.
    expect(reference.get('order-lines')!.report.summary.failed).toBeGreaterThan(0);
  }, 180_000);

  it('retries a failing statement, catches it, reports its checks as unmeasured and ends in RunIncomplete', async () => {
    const input = inputs.get('order-lines')!;
    const aggregate = 'order_lines.aggregate';
    expect(reference.get('order-lines')!.valuesById.has(aggregate)).toBe(true);
    const run = execute(input, 'failing-run', new Set([aggregate]));
    // The executor wraps the Fail state's error (its Error field as name) in an ExecutionError.
    await expect(run.output).rejects.toMatchObject({ cause: { name: 'QualityRunIncomplete', message: 'Some checks could not be measured; see the run in the runs table' } });
    // The first attempt and the two retries on States.TaskFailed, then the Catch; the other statements ran once.
    expect(run.athenaCalls.filter((c) => c.statementId === aggregate)).toHaveLength(3);
    expect(run.athenaCalls.filter((c) => c.statementId !== aggregate)).toHaveLength(reference.get('order-lines')!.valuesById.size - 1);

    const latest = await clients.dynamo.send(new GetCommand({ TableName: runsTable, Key: { pk: 'product#order-lines', sk: 'latest' } }));
    const expected = reference.get('order-lines')!.report.results.filter((r) => r.kind === 'aggregate' || r.kind === 'age').length;
    expect(latest.Item).toMatchObject({ runId: 'failing-run', summary: { errors: expected } });
    const unmeasured = (latest.Item!.results as { status: string; message?: string }[]).filter((r) => r.status === 'error');
    expect(unmeasured).toHaveLength(expected);
    for (const r of unmeasured) expect(r.message).toContain('TABLE_NOT_FOUND');
  }, 180_000);
});
