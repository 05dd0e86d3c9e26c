/**
 * The catalog in-process, for the CLI, demos and benchmarks: create the table and seed the mesh
 * config, publish contracts through the real ingest handler (wrapped in the EventBridge envelope and
 * SQS record the queue would deliver), and call the real API handler with a path and query.
 *
 * ```ts
 * const catalog = new LocalCatalog({ store: new MemoryCatalogStore(), mesh: 'ecommerce' });
 * await catalog.seedMeshConfig(config);
 * await catalog.publish([{ text, domain: 'orders' }]);
 * const { status, body } = await catalog.get('/products?q=shipmnts');
 * ```
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ContractLocation } from '../../lib/catalog/api-schema.js';
import { defaultCursorKey } from '../../lib/catalog/cursor.js';
import { PUBLICATION_DETAIL_TYPE, PUBLICATION_SOURCE, QUALITY_DETAIL_TYPE, QUALITY_SOURCE, type PublicationDetail, type QualityEventDetail } from '../../lib/catalog/publication.js';
import { loadContract } from '../../lib/contract/load.js';
import type { MeshConfig } from '../../lib/mesh/config.js';
import { createApiHandler, type ApiDeps } from './api-handler.js';
import { DynamoCatalogStore } from './dynamo-store.js';
import { createIngestHandler } from './ingest-handler.js';
import type { ContractReader, IngestDeps } from './ingest/deps.js';
import { SearchCache } from './search-cache.js';
import type { CatalogStore } from './store.js';

export { createCatalogTable, DynamoCatalogStore } from './dynamo-store.js';
export { MemoryCatalogStore } from './memory-store.js';

/** A `CatalogStore` on a DynamoDB table (e.g. moto, DynamoDB Local, or AWS). */
export function dynamoCatalogStore(client: DynamoDBClient, tableName: string): CatalogStore {
  return new DynamoCatalogStore(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), tableName);
}

export interface EventBridgeEnvelope<D = unknown> {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: D;
}

export function eventEnvelope<D>(source: string, detailType: string, detail: D, options: { id?: string; time?: string; account?: string; region?: string } = {}): EventBridgeEnvelope<D> {
  return {
    version: '0',
    id: options.id ?? randomUUID(),
    'detail-type': detailType,
    source,
    account: options.account ?? '000000000000',
    time: options.time ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: options.region ?? 'eu-west-1',
    resources: [],
    detail,
  };
}

/** An SQS event as the catalog queue delivers it: one record per message body. */
export function sqsEventOf(bodies: readonly (string | object)[]): SQSEvent {
  return {
    Records: bodies.map((body) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return {
        messageId: randomUUID(),
        receiptHandle: randomUUID(),
        body: text,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'local', ApproximateFirstReceiveTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(text).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:tessera-catalog',
        awsRegion: 'eu-west-1',
      };
    }),
  };
}

/** A Lambda context for calling a handler in-process. */
export function localContext(functionName = 'tessera-catalog-local'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    // The Context type still declares the callbacks of Node's old Lambda runtimes; nothing calls them.
    /* eslint-disable @typescript-eslint/no-deprecated */
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    /* eslint-enable @typescript-eslint/no-deprecated */
  };
}

/** An API Gateway REST proxy event for `GET /products?q=...` style paths (repeated parameters kept). */
export function apiEventOf(pathAndQuery: string, method = 'GET', body: string | null = null): APIGatewayProxyEvent {
  const url = new URL(pathAndQuery, 'http://catalog.local');
  const multi: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) (multi[k] ??= []).push(v);
  const single = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]!]));
  const path = decodeURIComponent(url.pathname);
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: Object.keys(single).length > 0 ? single : null,
    multiValueQueryStringParameters: Object.keys(multi).length > 0 ? multi : null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
    body,
    isBase64Encoded: false,
  };
}

export interface LocalContract {
  readonly text: string;
  /** The publishing domain. @default the contract's domain */
  readonly domain?: string;
  /** Where the contract is (read through `readContract`). @default an in-memory location */
  readonly location?: ContractLocation;
}

export interface LocalCatalogOptions {
  readonly store: CatalogStore;
  readonly mesh: string;
  /** @default contracts are read from what `publish` was given */
  readonly readContract?: ContractReader;
  readonly cursorKey?: string;
  /** How long the API's search index is served before it refreshes. @default 30 s */
  readonly searchMaxAgeMs?: number;
  /** @default - lineage events stay in the store */
  readonly forwardLineage?: IngestDeps['forwardLineage'];
}

export class LocalCatalog {
  readonly store: CatalogStore;
  readonly ingestHandler: ReturnType<typeof createIngestHandler>;
  readonly apiHandler: ReturnType<typeof createApiHandler>;
  readonly search: SearchCache;
  private readonly texts = new Map<string, string>();
  /** What was published, for the accounts the events come from (as EventBridge would set them). */
  private config: MeshConfig | undefined;
  private readonly domains = new Map<string, string>();

  constructor(private readonly options: LocalCatalogOptions) {
    this.store = options.store;
    const readContract: ContractReader =
      options.readContract ??
      ((location) => {
        const text = this.texts.get(`${location.bucket}/${location.key}`);
        return text === undefined ? Promise.reject(new Error(`no contract at ${location.bucket}/${location.key}`)) : Promise.resolve(text);
      });
    const ingestDeps: IngestDeps = { store: this.store, readContract, mesh: options.mesh, forwardLineage: options.forwardLineage };
    this.search = new SearchCache(this.store, { maxAgeMs: options.searchMaxAgeMs });
    const apiDeps: ApiDeps = { store: this.store, search: this.search, cursorKey: options.cursorKey ?? defaultCursorKey(options.mesh) };
    this.ingestHandler = createIngestHandler(() => ingestDeps);
    this.apiHandler = createApiHandler(() => apiDeps);
  }

  seedMeshConfig(config: MeshConfig): Promise<void> {
    this.config = config;
    return this.store.putMeshConfig(config);
  }

  /** Publishes contracts as `ContractPublished` events through the ingest handler (one SQS batch). */
  async publish(contracts: readonly LocalContract[]): Promise<SQSBatchResponse> {
    const envelopes = contracts.map((c) => {
      const detail = this.publicationDetail(c);
      return eventEnvelope(PUBLICATION_SOURCE, PUBLICATION_DETAIL_TYPE, detail, { account: detail.location.account });
    });
    return this.deliver(envelopes);
  }

  /** Reports a quality run as the quality service's `tessera.quality` event would. */
  async publishQuality(detail: QualityEventDetail, options: { account?: string } = {}): Promise<SQSBatchResponse> {
    const account = options.account ?? this.accountOf(this.domains.get(detail.product));
    return this.deliver([eventEnvelope(QUALITY_SOURCE, QUALITY_DETAIL_TYPE, detail, { account })]);
  }

  /** Delivers message bodies (envelopes or raw strings) to the ingest handler as one SQS batch. */
  deliver(bodies: readonly (string | object)[]): Promise<SQSBatchResponse> {
    return this.ingestHandler(sqsEventOf(bodies), localContext('tessera-catalog-ingest'));
  }

  /** Calls the API handler and returns the status and the parsed JSON body. */
  async get<T = unknown>(pathAndQuery: string, method = 'GET'): Promise<{ status: number; body: T }> {
    const response = await this.apiHandler(apiEventOf(pathAndQuery, method), localContext('tessera-catalog-api'));
    return { status: response.statusCode, body: JSON.parse(response.body) as T };
  }

  /** The domain's account in the seeded mesh config, else a placeholder account. */
  private accountOf(domain: string | undefined): string {
    return this.config?.domains.find((d) => d.name === domain)?.account ?? '000000000000';
  }

  private publicationDetail(contract: LocalContract): PublicationDetail {
    const loaded = loadContract(contract.text, 'local.odcs.yaml', { profile: 'odcs' }).contract;
    // An invalid contract is still published, so the catalog's own validation reports it.
    const product = loaded?.id ?? 'unknown';
    const version = loaded?.version ?? '0.0.0';
    const domain = contract.domain ?? loaded?.domain ?? 'unknown';
    this.domains.set(product, domain);
    const location = contract.location ?? { account: this.accountOf(domain), region: 'eu-west-1', bucket: `${domain}-${product}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-'), key: `_tessera/contract/${version}.odcs.yaml` };
    this.texts.set(`${location.bucket}/${location.key}`, contract.text);
    return { mesh: this.options.mesh, domain, product, version, sha256: createHash('sha256').update(contract.text, 'utf8').digest('hex'), location };
  }
}
