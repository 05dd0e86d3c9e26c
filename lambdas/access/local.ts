/**
 * The access-request service in-process over a local AWS API server (moto), for the demo, the CLI's
 * `--local` and the integration tests: the same tables, topic, adapters and handlers as on AWS,
 * with API Gateway's part (the verified caller ARN) played by `call(..., { as })`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { apiEventOf, localContext } from '../catalog/local.js';
import type { CatalogStore } from '../catalog/store.js';
import { createAccessApiHandler } from './api-handler.js';
import { catalogProducts, expiryScheduler, lakeFormationPort, snsNotifier } from './aws.js';
import { createAccessTables, DynamoAccessStore, type AccessTables } from './dynamo-store.js';
import { createExpiryHandler } from './expiry-handler.js';
import type { AccessDeps } from './ports.js';
import { newRequestId } from './service.js';

export interface LocalAccessOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly mesh: string;
  readonly account: string;
  /** Where products and the mesh config are read from. */
  readonly catalog: CatalogStore;
  /** @default the wall clock */
  readonly now?: () => Date;
  /** Create the tables and topic (false when a replayed recording created them). @default true */
  readonly create?: boolean;
}

/** Names as the construct gives them. */
export function localAccessNames(mesh: string, region: string, account: string) {
  return {
    tables: { requests: `tessera-${mesh}-access-requests`, audit: `tessera-${mesh}-access-audit` } satisfies AccessTables,
    topic: `tessera-${mesh}-access-owners`,
    expiryFunctionArn: `arn:aws:lambda:${region}:${account}:function:tessera-${mesh}-access-expiry`,
    schedulerRoleArn: `arn:aws:iam::${account}:role/tessera-${mesh}-access-scheduler`,
  };
}

export class LocalAccess {
  readonly apiHandler: ReturnType<typeof createAccessApiHandler>;
  readonly expiryHandler: ReturnType<typeof createExpiryHandler>;

  private constructor(readonly deps: AccessDeps) {
    this.apiHandler = createAccessApiHandler(() => deps);
    this.expiryHandler = createExpiryHandler(() => deps);
  }

  static async open(options: LocalAccessOptions): Promise<LocalAccess> {
    const config = { endpoint: options.endpoint, region: options.region, credentials: options.credentials };
    const names = localAccessNames(options.mesh, options.region, options.account);
    const dynamo = new DynamoDBClient(config);
    const sns = new SNSClient(config);
    if (options.create ?? true) await createAccessTables(dynamo, names.tables);
    // CreateTopic is idempotent: it returns the existing topic's ARN.
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: names.topic }));
    return new LocalAccess({
      store: new DynamoAccessStore(DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }), names.tables),
      products: catalogProducts(options.catalog),
      lakeFormation: lakeFormationPort(new LakeFormationClient(config)),
      scheduler: expiryScheduler(new SchedulerClient(config), { functionArn: names.expiryFunctionArn, roleArn: names.schedulerRoleArn }),
      notifier: snsNotifier(sns, TopicArn!),
      now: options.now ?? (() => new Date()),
      newId: newRequestId,
    });
  }

  /** Calls the access API as `as` (the ARN API Gateway's IAM authorization would report). */
  async call<T = unknown>(method: string, pathAndQuery: string, options: { as?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
    const base = apiEventOf(pathAndQuery, method, options.body === undefined ? null : JSON.stringify(options.body));
    const event: APIGatewayProxyEvent = { ...base, requestContext: { identity: { userArn: options.as ?? null } } as APIGatewayProxyEvent['requestContext'] };
    const response = await this.apiHandler(event, localContext('tessera-access-api'));
    return { status: response.statusCode, body: JSON.parse(response.body) as T };
  }

  /** What the request's schedule does at its time. */
  expire(requestId: string): Promise<{ requestId: string; state: string | null }> {
    return this.expiryHandler({ requestId }, localContext('tessera-access-expiry'));
  }
}
