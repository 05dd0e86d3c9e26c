/**
 * The catalog's own lineage store: the OpenLineage event of every publication and quality run the
 * ingest processes, stored under the product (lambdas/catalog/store.ts). Written after the step it
 * describes, idempotently (the run id is derived from the message's content), so a redelivery
 * writes the same item again.
 */
import type { ProductPage } from '../../../lib/catalog/api-schema.js';
import type { PublicationDetail, QualityEventDetail } from '../../../lib/catalog/publication.js';
import { loadStored } from '../../../lib/catalog/diff-reconciliation.js';
import { publicationEvent, publicationRunId } from '../../../lib/lineage/openlineage/publication.js';
import { qualityRunEvent } from '../../../lib/lineage/openlineage/quality.js';
import { qualityRunFailed, qualityTablesOf } from '../../../lib/lineage/openlineage/quality-checks.js';
import type { MeshConfig } from '../../../lib/mesh/config.js';
import { planQuality } from '../../../lib/quality/plan.js';
import type { QualityPlan } from '../../../lib/quality/plan-types.js';
import { logger } from '../../shared/powertools.js';
import type { IngestDeps } from './deps.js';

/** The publication's correlation id: the event's, or the one its domain would have derived. */
export function correlationIdOf(detail: PublicationDetail): string {
  return detail.correlationId ?? publicationRunId(detail.mesh, detail.product, detail.version, detail.sha256);
}

export async function recordPublicationLineage(deps: IngestDeps, detail: PublicationDetail, page: ProductPage, publishedAt: string): Promise<void> {
  const correlationId = correlationIdOf(detail);
  const event = publicationEvent({ mesh: deps.mesh, page, sha256: detail.sha256, account: detail.location.account, region: detail.location.region, publishedAt, correlationId });
  await deps.store.putLineageEvent({ product: page.id, correlationId, event });
  // After the store: a failed send retries the whole message, which rewrites the same item.
  await deps.forwardLineage?.(event);
}

export async function recordQualityLineage(deps: IngestDeps, detail: QualityEventDetail, at: string, config: MeshConfig | undefined): Promise<void> {
  const version = await deps.store.getVersion(detail.product, detail.version);
  // Before the version is published there is no database, region or plan to name the tables by.
  if (!version) return;
  const event = qualityRunEvent({
    mesh: deps.mesh,
    region: version.location.region,
    product: detail.product,
    database: version.page.database,
    runId: detail.runId,
    at,
    failed: qualityRunFailed(detail),
    tables: qualityTablesOf(detail, planOf(version, config)),
  });
  await deps.store.putLineageEvent({ product: detail.product, event });
  await deps.forwardLineage?.(event);
}

function planOf(version: Parameters<typeof loadStored>[0], config: MeshConfig | undefined): QualityPlan | undefined {
  const contract = loadStored(version, config);
  try {
    return contract ? planQuality(contract) : undefined;
  } catch (e) {
    logger.warn('the stored contract has no quality plan: the lineage event names the failing checks only', { error: e as Error });
    return undefined;
  }
}
