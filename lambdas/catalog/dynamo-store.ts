/**
 * The DynamoDB adapter of `CatalogStore` (layout in `store.ts`), and the table definition the CDK
 * construct deploys, as a helper for tests, the CLI and demos against a local endpoint.
 */
import { packEvents, unpackEvents } from '../../lib/lineage/openlineage/pack.js';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException, CreateTableCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ContractLocation, DiffReport, ProductPage, Rejection, VersionSummary } from '../../lib/catalog/api-schema.js';
import { CursorError } from '../../lib/catalog/cursor.js';
import { meshConfigSchema, type MeshConfig } from '../../lib/mesh/config.js';
import { meshConfigOfItem, PACKED_CONFIG_ATTRIBUTE, packMeshConfig } from '../../lib/catalog/mesh-config-item.js';
import type { RunEvent } from '../../lib/lineage/openlineage/run-event.js';
import {
  CHANGE_INDEX,
  LINEAGE_PREFIX,
  lineageSortKey,
  MESH_LINEAGE_PK,
  MESH_LINEAGE_SK,
  CONFIG_SK,
  MESH_PK,
  PRODUCT_CHANGE_KEY,
  productPk,
  qualitySortKey,
  REJECTION_PREFIX,
  rejectionSortKey,
  QUALITY_PREFIX,
  SUMMARY_SK,
  VERSION_PREFIX,
  versionSortKey,
  type CatalogStore,
  type LineageRecord,
  type Page,
  type PageRequest,
  type StoredQualityRun,
  type SummaryRecord,
  type VersionRecord,
} from './store.js';

type Item = Record<string, unknown>;

/** Creates the catalog table exactly as the construct does (keys, the `byChange` index, on demand). */
export async function createCatalogTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'changeKey', AttributeType: 'S' },
        { AttributeName: 'changedAt', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: CHANGE_INDEX,
          KeySchema: [
            { AttributeName: 'changeKey', KeyType: 'HASH' },
            { AttributeName: 'changedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
}

export class DynamoCatalogStore implements CatalogStore {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getMeshConfig(): Promise<MeshConfig | undefined> {
    const item = await this.get(MESH_PK, CONFIG_SK);
    const json = item && meshConfigOfItem(item);
    if (json === undefined) return undefined;
    const parsed = meshConfigSchema.safeParse(json);
    if (!parsed.success) throw new Error(`the catalog's MESH/CONFIG item is not a valid mesh config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  async putMeshConfig(config: MeshConfig): Promise<void> {
    await this.dynamo.send(new PutCommand({ TableName: this.tableName, Item: { pk: MESH_PK, sk: CONFIG_SK, [PACKED_CONFIG_ATTRIBUTE]: packMeshConfig(config) } }));
  }

  async getSummary(product: string): Promise<SummaryRecord | undefined> {
    const item = await this.get(productPk(product), SUMMARY_SK);
    return item ? summaryFromItem(item) : undefined;
  }

  async putSummary(record: SummaryRecord): Promise<boolean> {
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: productPk(record.product),
            sk: SUMMARY_SK,
            changeKey: PRODUCT_CHANGE_KEY,
            changedAt: record.changedAt,
            revision: record.revision,
            summary: JSON.stringify(record.summary),
            doc: record.doc,
            sla: record.slaCheckIds,
          },
          ConditionExpression: record.revision === 1 ? 'attribute_not_exists(pk)' : 'revision = :previous',
          ExpressionAttributeValues: record.revision === 1 ? undefined : { ':previous': record.revision - 1 },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async changedSummaries(since?: string): Promise<SummaryRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: CHANGE_INDEX,
      KeyConditionExpression: since === undefined ? 'changeKey = :k' : 'changeKey = :k AND changedAt > :since',
      ExpressionAttributeValues: since === undefined ? { ':k': PRODUCT_CHANGE_KEY } : { ':k': PRODUCT_CHANGE_KEY, ':since': since },
    });
    return items.map(summaryFromItem);
  }

  async getVersion(product: string, version: string): Promise<VersionRecord | undefined> {
    const item = await this.get(productPk(product), versionSortKey(version));
    return item ? versionFromItem(item) : undefined;
  }

  async latestVersion(product: string): Promise<VersionRecord | undefined> {
    const out = await this.dynamo.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': productPk(product), ':prefix': VERSION_PREFIX },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? versionFromItem(item) : undefined;
  }

  async adjacentVersions(product: string, version: string): Promise<{ previous?: VersionRecord; next?: VersionRecord }> {
    const key = versionSortKey(version);
    const neighbour = async (forward: boolean): Promise<VersionRecord | undefined> => {
      const out = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          // Bounded by the prefix on the far side, so no other item kind is read.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': productPk(product), ':from': forward ? key : VERSION_PREFIX, ':to': forward ? `${VERSION_PREFIX}\uffff` : key },
          ScanIndexForward: forward,
          Limit: 2,
          ConsistentRead: true,
        }),
      );
      const item = (out.Items ?? []).find((i) => i.sk !== key);
      return item ? versionFromItem(item) : undefined;
    };
    const [previous, next] = await Promise.all([neighbour(false), neighbour(true)]);
    return { previous, next };
  }

  async putVersionIfAbsent(record: VersionRecord): Promise<{ written: true } | { written: false; existing: VersionRecord }> {
    try {
      await this.dynamo.send(new PutCommand({ TableName: this.tableName, Item: versionToItem(record), ConditionExpression: 'attribute_not_exists(pk)' }));
      return { written: true };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      const existing = await this.getVersion(record.product, record.version);
      if (!existing) throw new Error(`version ${record.version} of ${record.product} was there a moment ago and is gone`);
      return { written: false, existing };
    }
  }

  async setVersionDiff(product: string, version: string, sha256: string, expectedPrevious: string | null, previousVersion: string | null, diff: DiffReport | null): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: productPk(product), sk: versionSortKey(version) },
          UpdateExpression: diff ? 'SET previousVersion = :prev, diff = :diff, breaking = :breaking, changeCount = :count' : 'SET previousVersion = :prev REMOVE diff, breaking, changeCount',
          // The first version stores previousVersion as NULL.
          ConditionExpression: expectedPrevious === null ? 'sha256 = :sha AND (attribute_not_exists(previousVersion) OR attribute_type(previousVersion, :null))' : 'sha256 = :sha AND previousVersion = :expected',
          ExpressionAttributeValues: {
            ':prev': previousVersion,
            ':sha': sha256,
            ...(expectedPrevious === null ? { ':null': 'NULL' } : { ':expected': expectedPrevious }),
            ...(diff ? { ':diff': JSON.stringify(diff), ':breaking': diff.breaking, ':count': diff.changes.length } : {}),
          },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async versions(product: string, page: PageRequest): Promise<Page<VersionSummary>> {
    const { items, last } = await this.page(product, VERSION_PREFIX, page, 'sk, version, sha256, publishedAt, previousVersion, breaking, changeCount');
    return {
      items: items.map((i) => ({
        version: i.version as string,
        sha256: i.sha256 as string,
        publishedAt: i.publishedAt as string,
        previousVersion: (i.previousVersion as string | null | undefined) ?? null,
        breaking: typeof i.breaking === 'boolean' ? i.breaking : null,
        changes: typeof i.changeCount === 'number' ? i.changeCount : 0,
      })),
      last,
    };
  }

  async putQualityRun(run: StoredQualityRun): Promise<boolean> {
    try {
      await this.dynamo.send(
        new PutCommand({ TableName: this.tableName, Item: { pk: productPk(run.product), sk: qualitySortKey(run), run: JSON.stringify(run) }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async qualityRuns(product: string, page: PageRequest): Promise<Page<StoredQualityRun>> {
    const { items, last } = await this.page(product, QUALITY_PREFIX, page);
    return { items: items.map((i) => JSON.parse(i.run as string) as StoredQualityRun), last };
  }

  async putRejection(rejection: Rejection): Promise<void> {
    await this.dynamo.send(new PutCommand({ TableName: this.tableName, Item: { pk: productPk(rejection.product), sk: rejectionSortKey(rejection), ...rejection } }));
  }

  async rejections(product: string, limit: number): Promise<Rejection[]> {
    const { items } = await this.page(product, REJECTION_PREFIX, { limit });
    return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as Rejection);
  }

  async putLineageEvent(record: LineageRecord): Promise<void> {
    const { event, ...rest } = record;
    await this.dynamo.send(new PutCommand({ TableName: this.tableName, Item: { pk: productPk(record.product), sk: lineageSortKey(event), ...rest, event: JSON.stringify(event) } }));
  }

  async lineageEvents(product: string, limit: number): Promise<LineageRecord[]> {
    const { items } = await this.page(product, LINEAGE_PREFIX, { limit });
    return items.map((i) => ({ product, ...(typeof i.correlationId === 'string' ? { correlationId: i.correlationId } : {}), event: JSON.parse(i.event as string) as RunEvent }));
  }

  async meshLineage(): Promise<RunEvent[]> {
    const item = await this.get(MESH_LINEAGE_PK, MESH_LINEAGE_SK);
    return typeof item?.events === 'string' ? unpackEvents(item.events) : [];
  }

  /** The item the governance stack's custom resource writes (constructs/catalog-service.ts). */
  async putMeshLineage(events: readonly RunEvent[]): Promise<void> {
    await this.dynamo.send(new PutCommand({ TableName: this.tableName, Item: { pk: MESH_LINEAGE_PK, sk: MESH_LINEAGE_SK, events: packEvents(events) } }));
  }

  private async get(pk: string, sk: string): Promise<Item | undefined> {
    const out = await this.dynamo.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk }, ConsistentRead: true }));
    return out.Item;
  }

  /** One page of items under a prefix, newest (highest sort key) first; reads one extra to know whether more follow. */
  private async page(product: string, prefix: string, { limit, after }: PageRequest, projection?: string): Promise<{ items: Item[]; last?: string }> {
    const pk = productPk(product);
    // A cursor is signed, but its key must also lie in the range queried, or DynamoDB refuses the query.
    if (after !== undefined && !after.startsWith(prefix)) throw new CursorError(`the cursor does not belong to this list`);
    const items: Item[] = [];
    let start: Item | undefined = after === undefined ? undefined : { pk, sk: after };
    do {
      const out = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ScanIndexForward: false,
          Limit: limit + 1 - items.length,
          ExclusiveStartKey: start,
          ProjectionExpression: projection,
          ConsistentRead: true,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length <= limit);
    const more = items.length > limit;
    const kept = items.slice(0, limit);
    return { items: kept, last: more ? (kept[kept.length - 1]!.sk as string) : undefined };
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

function summaryFromItem(item: Item): SummaryRecord {
  return {
    product: (item.pk as string).slice('PRODUCT#'.length),
    revision: item.revision as number,
    changedAt: item.changedAt as string,
    summary: JSON.parse(item.summary as string) as SummaryRecord['summary'],
    doc: item.doc as string,
    slaCheckIds: (item.sla as string[] | undefined) ?? [],
  };
}

function versionToItem(record: VersionRecord): Item {
  return {
    pk: productPk(record.product),
    sk: versionSortKey(record.version),
    product: record.product,
    version: record.version,
    sha256: record.sha256,
    publishedAt: record.publishedAt,
    location: record.location,
    ...(record.correlationId ? { correlationId: record.correlationId } : {}),
    previousVersion: record.previousVersion,
    ...(record.diff ? { diff: JSON.stringify(record.diff), breaking: record.diff.breaking, changeCount: record.diff.changes.length } : {}),
    page: JSON.stringify(record.page),
    doc: record.doc,
    // Contracts compress about tenfold; it keeps large contracts under the 400 KB item limit.
    text: gzipSync(Buffer.from(record.text, 'utf8')),
  };
}

function versionFromItem(item: Item): VersionRecord {
  return {
    product: item.product as string,
    version: item.version as string,
    sha256: item.sha256 as string,
    publishedAt: item.publishedAt as string,
    location: item.location as ContractLocation,
    ...(typeof item.correlationId === 'string' ? { correlationId: item.correlationId } : {}),
    previousVersion: (item.previousVersion as string | null | undefined) ?? null,
    diff: typeof item.diff === 'string' ? (JSON.parse(item.diff) as DiffReport) : null,
    page: JSON.parse(item.page as string) as ProductPage,
    doc: item.doc as string,
    text: gunzipSync(item.text as Uint8Array).toString('utf8'),
  };
}
