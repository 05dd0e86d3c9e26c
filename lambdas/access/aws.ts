/**
 * The access-request ports on the AWS SDK: Lake Formation grants, the expiry schedule, the owners'
 * SNS topic, and the products as the catalog table holds them.
 *
 * Lake Formation behaviour the grants rely on:
 * - a grant on an LF-tag expression gives the permissions on every table (and, for SELECT, every
 *   column) whose tags match, now and later (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-granting-tags.html);
 * - a data cells filter belongs to one table and is granted SELECT like a table; whoever creates it
 *   must be a data lake admin, the table's owner, or hold a Lake Formation permission on the table
 *   (https://docs.aws.amazon.com/lake-formation/latest/dg/data-filters-about.html,
 *   https://docs.aws.amazon.com/lake-formation/latest/dg/creating-data-filters.html);
 * - BatchRevokePermissions takes at most 20 entries per call and reports failures per entry
 *   instead of failing the call (https://docs.aws.amazon.com/cli/v1/reference/lakeformation/batch-revoke-permissions.html).
 */
import {
  BatchRevokePermissionsCommand,
  CreateDataCellsFilterCommand,
  DeleteDataCellsFilterCommand,
  GrantPermissionsCommand,
  ListPermissionsCommand,
  type LakeFormationClient,
} from '@aws-sdk/client-lakeformation';
import { CreateScheduleCommand, DeleteScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { atExpression, lfResource, scheduleName, type CellsFilter, type HeldPermission } from '../../lib/access/requests/index.js';
import type { ProductPage } from '../../lib/catalog/api-schema.js';
import type { MeshConfig } from '../../lib/mesh/config.js';
import type { CatalogStore } from '../catalog/store.js';
import type { ExpiryScheduler, LakeFormationPort, Notifier, ProductSource } from './ports.js';

const BATCH = 20;

export function lakeFormationPort(client: LakeFormationClient): LakeFormationPort {
  return {
    async grant(principal, entries, filters) {
      for (const f of filters) await createFilter(client, f);
      for (const entry of entries) {
        await client.send(new GrantPermissionsCommand({ Principal: { DataLakePrincipalIdentifier: principal }, Resource: lfResource(entry.resource), Permissions: [...entry.permissions], PermissionsWithGrantOption: [] }));
      }
    },
    async revoke(principal, entries, filters) {
      for (let i = 0; i < entries.length; i += BATCH) {
        const batch = entries.slice(i, i + BATCH);
        const { Failures } = await client.send(
          new BatchRevokePermissionsCommand({
            Entries: batch.map((entry, n) => ({ Id: String(i + n), Principal: { DataLakePrincipalIdentifier: principal }, Resource: lfResource(entry.resource), Permissions: [...entry.permissions] })),
          }),
        );
        if (Failures && Failures.length > 0) throw new Error(`Lake Formation refused ${Failures.length} revocation(s): ${Failures.map((f) => `${f.RequestEntry?.Id ?? '?'}: ${f.Error?.ErrorCode ?? ''} ${f.Error?.ErrorMessage ?? ''}`).join('; ')}`);
      }
      for (const f of filters) {
        await client.send(new DeleteDataCellsFilterCommand({ TableCatalogId: f.catalog, DatabaseName: f.database, TableName: f.table, Name: f.name })).catch((e: Error) => {
          if (e.name !== 'EntityNotFoundException') throw e;
        });
      }
    },
    async list() {
      const held: HeldPermission[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListPermissionsCommand({ NextToken: token }));
        for (const p of page.PrincipalResourcePermissions ?? []) held.push({ principal: p.Principal?.DataLakePrincipalIdentifier ?? '', resource: p.Resource ?? {}, permissions: p.Permissions ?? [] });
        token = page.NextToken;
      } while (token);
      return held;
    },
  };
}

async function createFilter(client: LakeFormationClient, f: CellsFilter): Promise<void> {
  try {
    await client.send(new CreateDataCellsFilterCommand({ TableData: { TableCatalogId: f.catalog, DatabaseName: f.database, TableName: f.table, Name: f.name, ColumnNames: [...f.columns], RowFilter: { FilterExpression: f.rowFilter } } }));
  } catch (e) {
    // A retried approval finds the filter it created the first time.
    if ((e as Error).name !== 'AlreadyExistsException') throw e;
  }
}

export interface SchedulerTarget {
  /** The expiry handler's ARN. */
  readonly functionArn: string;
  /** The role the scheduler invokes it with. */
  readonly roleArn: string;
  readonly group?: string;
  /** Where the scheduler puts an invocation it gave up on. */
  readonly deadLetterArn?: string;
}

export function expiryScheduler(client: SchedulerClient, target: SchedulerTarget): ExpiryScheduler {
  return {
    async schedule(requestId, at) {
      await client.send(
        new CreateScheduleCommand({
          Name: scheduleName(requestId),
          GroupName: target.group,
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Description: `Ends Tessera access request ${requestId}`,
          Target: { Arn: target.functionArn, RoleArn: target.roleArn, Input: JSON.stringify({ requestId }), RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 }, ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}) },
        }),
      );
    },
    async cancel(requestId) {
      await client.send(new DeleteScheduleCommand({ Name: scheduleName(requestId), GroupName: target.group })).catch((e: Error) => {
        if (e.name !== 'ResourceNotFoundException') throw e;
      });
    },
  };
}

export function snsNotifier(client: SNSClient, topicArn: string): Notifier {
  return {
    async notify(subject, message, attributes) {
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          // SNS subjects are at most 100 printable ASCII characters.
          Subject: subject.replace(/[^\x20-\x7e]/g, '?').slice(0, 100),
          Message: message,
          MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
        }),
      );
    },
  };
}

/** Products as the catalog holds them: the latest published version's page. */
export function catalogProducts(store: CatalogStore): ProductSource {
  return {
    async config(): Promise<MeshConfig> {
      const config = await store.getMeshConfig();
      if (!config) throw new Error('the catalog table holds no mesh config (the governance stack writes it)');
      return config;
    },
    async page(product) {
      return (await store.latestVersion(product))?.page;
    },
    async pages() {
      const summaries = await store.changedSummaries();
      const pages = await Promise.all(summaries.map(async (s) => (await store.latestVersion(s.product))?.page));
      return pages.filter((p): p is ProductPage => p !== undefined);
    },
  };
}
