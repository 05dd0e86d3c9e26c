/**
 * The access-request store on two DynamoDB tables:
 *
 * | table    | key                          | what                                               |
 * |----------|------------------------------|----------------------------------------------------|
 * | requests | `id`                         | the request (`record`, JSON), `product`, `state`,  |
 * |          |                              | `revision`, `createdAt`; GSI `byProduct`           |
 * | audit    | `requestId`, `revision` (N)  | one event per change, written once, never changed  |
 *
 * Each change writes both in one transaction: the request on the condition that its revision is
 * the one the change was computed from, the audit event on the condition that it does not exist.
 * The API's role holds PutItem on the audit table and nothing that changes or deletes an item.
 */
import { CreateTableCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, paginateScan, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditEventSchema } from '../../lib/access/requests/api-schema.js';
import { refuse, type AccessRequest, type AuditEvent } from '../../lib/access/requests/index.js';
import type { AccessStore } from './ports.js';

export const PRODUCT_INDEX = 'byProduct';

export interface AccessTables {
  readonly requests: string;
  readonly audit: string;
}

export class DynamoAccessStore implements AccessStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: AccessTables,
  ) {}

  async get(id: string): Promise<AccessRequest | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tables.requests, Key: { id }, ConsistentRead: true }));
    return Item ? (JSON.parse(Item.record as string) as AccessRequest) : undefined;
  }

  async save(request: AccessRequest, event: AuditEvent): Promise<void> {
    const first = request.revision === 1;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.requests,
                Item: { id: request.id, product: request.product, state: request.state, revision: request.revision, createdAt: request.createdAt, record: JSON.stringify(request) },
                ConditionExpression: first ? 'attribute_not_exists(id)' : '#revision = :previous',
                ...(first ? {} : { ExpressionAttributeNames: { '#revision': 'revision' }, ExpressionAttributeValues: { ':previous': request.revision - 1 } }),
              },
            },
            {
              Put: {
                TableName: this.tables.audit,
                Item: { requestId: event.requestId, revision: event.revision, at: event.at, action: event.action, actor: event.actor, state: event.state, detail: JSON.stringify(event.detail) },
                ConditionExpression: 'attribute_not_exists(requestId)',
              },
            },
          ],
        }),
      );
    } catch (e) {
      if ((e as Error).name === 'TransactionCanceledException') {
        refuse('StaleDecision', `request ${request.id} changed while this decision was made (it is no longer at revision ${request.revision - 1}); read it again and decide on what it is now`);
      }
      throw e;
    }
  }

  async list(filter: { product?: string; state?: string }): Promise<AccessRequest[]> {
    const items: Record<string, unknown>[] = [];
    if (filter.product !== undefined) {
      const pages = paginateQuery({ client: this.client }, { TableName: this.tables.requests, IndexName: PRODUCT_INDEX, KeyConditionExpression: 'product = :p', ExpressionAttributeValues: { ':p': filter.product }, ScanIndexForward: false });
      for await (const page of pages) items.push(...(page.Items ?? []));
    } else {
      for await (const page of paginateScan({ client: this.client }, { TableName: this.tables.requests })) items.push(...(page.Items ?? []));
    }
    return items
      .map((i) => JSON.parse(i.record as string) as AccessRequest)
      .filter((r) => filter.state === undefined || r.state === filter.state)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  async audit(id: string): Promise<AuditEvent[]> {
    const items: AuditEvent[] = [];
    const pages = paginateQuery({ client: this.client }, { TableName: this.tables.audit, KeyConditionExpression: 'requestId = :id', ExpressionAttributeValues: { ':id': id }, ConsistentRead: true });
    for await (const page of pages) {
      for (const i of page.Items ?? []) items.push(auditEventSchema.parse({ ...i, detail: JSON.parse(String(i.detail)) as unknown }));
    }
    return items;
  }
}

/** Creates both tables as the construct does (for moto and local runs). */
export async function createAccessTables(client: DynamoDBClient, tables: AccessTables): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tables.requests,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'product', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: PRODUCT_INDEX, KeySchema: [{ AttributeName: 'product', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }),
  );
  await client.send(
    new CreateTableCommand({
      TableName: tables.audit,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'requestId', KeyType: 'HASH' },
        { AttributeName: 'revision', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'requestId', AttributeType: 'S' },
        { AttributeName: 'revision', AttributeType: 'N' },
      ],
    }),
  );
  for (const TableName of [tables.requests, tables.audit]) await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName });
}
