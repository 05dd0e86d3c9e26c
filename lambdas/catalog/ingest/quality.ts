/** `tessera.quality`: store the run, then recompute the product's latest quality and trust. */
import { issuesOf, PermanentError } from '../../../lib/catalog/ingest-errors.js';
import { qualityEventDetail } from '../../../lib/catalog/publication.js';
import { authorizeQualityRun } from '../../../lib/catalog/publisher-authorization.js';
import { qualityRunOf } from '../../../lib/catalog/records.js';
import type { IngestDeps, IngestOutcome } from './deps.js';
import { utc, type Envelope } from './envelope.js';
import { recordQualityLineage } from './lineage.js';
import { refreshProductSummary } from './summary.js';

export async function recordQuality(event: Envelope, deps: IngestDeps): Promise<IngestOutcome> {
  const parsed = qualityEventDetail.safeParse(event.detail);
  if (!parsed.success) throw new PermanentError(`the tessera.quality event ${event.id} is malformed: ${issuesOf(parsed.error, 'detail')}`, 'invalid-event');
  const detail = parsed.data;
  const summary = await deps.store.getSummary(detail.product);
  const owner = summary?.summary.domain;
  const config = summary ? await deps.store.getMeshConfig() : undefined;
  authorizeQualityRun(event.account, detail.product, config, owner);
  const run = qualityRunOf(
    {
      runId: detail.runId,
      version: detail.version,
      at: utc(detail.at),
      summary: { passed: detail.summary.passed, failed: detail.summary.failed, errors: detail.summary.errors, failedErrorSeverity: detail.summary.failedErrorSeverity },
      failing: detail.failing.map((f) => ({ id: f.id, name: f.name, status: f.status, severity: f.severity, actual: f.actual, expected: f.expected })),
    },
    summary?.slaCheckIds ?? [],
  );
  const written = await deps.store.putQualityRun({ product: detail.product, ...run });
  // Runs of a product not published yet are kept; its first publication computes the trust from them.
  await refreshProductSummary(detail.product, deps);
  await recordQualityLineage(deps, detail, run.at, config);
  if (written) {
    deps.telemetry?.qualityRecorded(detail.product, owner);
    const score = deps.telemetry?.trust ? (await deps.store.getSummary(detail.product))?.summary.trust.score : undefined;
    if (score !== undefined && score !== null) deps.telemetry!.trust!(detail.product, owner, score);
  }
  return written ? 'quality-recorded' : 'quality-duplicate';
}
