/**
 * The product's summary (highest version, latest quality, trust), recomputed from what is stored
 * after every publication and quality run.
 */
import { productSummaryOf, qualityRunOf } from '../../../lib/catalog/records.js';
import { computeTrust, TRUST_WINDOW } from '../../../lib/catalog/trust.js';
import { normalized } from '../../../lib/catalog/diff-reconciliation.js';
import { stableJson } from '../../../lib/contract/diff.js';
import type { IngestDeps } from './deps.js';

/**
 * Writes the summary only when it changed, with optimistic locking; so it is idempotent and
 * order-independent.
 */
export async function refreshProductSummary(product: string, deps: Pick<IngestDeps, 'store' | 'now'>): Promise<'changed' | 'unchanged' | 'no-version'> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [current, latest, runs] = await Promise.all([deps.store.getSummary(product), deps.store.latestVersion(product), deps.store.qualityRuns(product, { limit: TRUST_WINDOW })]);
    if (!latest) return 'no-version';
    const slaCheckIds = latest.page.slaChecks.map((c) => c.id);
    const trust = computeTrust(runs.items, slaCheckIds);
    const newest = runs.items[0];
    const summary = productSummaryOf(latest.page, { publishedAt: latest.publishedAt, trust, latestQuality: newest ? qualityRunOf(newest, slaCheckIds) : null });
    if (current && stableJson(normalized(current.summary)) === stableJson(normalized(summary)) && current.doc === latest.doc && stableJson(current.slaCheckIds) === stableJson(slaCheckIds)) {
      return 'unchanged';
    }
    const written = await deps.store.putSummary({
      product,
      revision: (current?.revision ?? 0) + 1,
      changedAt: (deps.now?.() ?? new Date()).toISOString(),
      summary,
      doc: latest.doc,
      slaCheckIds,
    });
    if (written) return 'changed';
  }
  throw new Error(`the summary of ${product} kept changing under us; the message will be retried`);
}
