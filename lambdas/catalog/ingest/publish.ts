/**
 * `ContractPublished`: read the contract from the product's bucket, check it is the one announced
 * and valid, then store the version. A version is written once and never overwritten: the same
 * sha256 again is a duplicate (no change); another sha256 under a published version is refused and
 * recorded as a rejection, shown on the product's page. Versions may arrive in any order: each
 * version's diff is against the previous one in semver order, and the summary shows the highest.
 */
import { PRODUCT_ID } from '../../../lib/catalog/api-schema.js';
import { verifyPublishedContract } from '../../../lib/catalog/contract-verification.js';
import { diffAgainst } from '../../../lib/catalog/diff-reconciliation.js';
import { issuesOf, PermanentError } from '../../../lib/catalog/ingest-errors.js';
import { publicationDetail } from '../../../lib/catalog/publication.js';
import { authorizePublication } from '../../../lib/catalog/publisher-authorization.js';
import { logger } from '../../shared/powertools.js';
import type { VersionRecord } from '../store.js';
import { recordRejection, type IngestDeps, type IngestOutcome } from './deps.js';
import { utc, type Envelope } from './envelope.js';
import { correlationIdOf, recordPublicationLineage } from './lineage.js';
import { reconcileDiffs } from './reconcile-diffs.js';
import { refreshProductSummary } from './summary.js';

export async function publish(event: Envelope, deps: IngestDeps): Promise<IngestOutcome> {
  const parsed = publicationDetail.safeParse(event.detail);
  const at = utc(event.time);
  if (!parsed.success) {
    const message = `the ContractPublished event ${event.id} is malformed: ${issuesOf(parsed.error, 'detail')}`;
    const product = event.detail.product;
    // Recorded against the product it names, when it names one, so its owners see it in the catalog.
    if (typeof product === 'string' && PRODUCT_ID.test(product)) {
      return recordRejection(deps, { kind: 'invalid-event', product, at, eventId: event.id, message, findings: parsed.error.issues.map((i) => `detail.${i.path.join('.')}: ${i.message}`) });
    }
    throw new PermanentError(message, 'invalid-event');
  }
  const detail = parsed.data;
  if (detail.mesh !== deps.mesh) throw new PermanentError(`detail.mesh: the event is for mesh '${detail.mesh}', this catalog serves '${deps.mesh}'`, 'other-mesh');
  if (!PRODUCT_ID.test(detail.product)) throw new PermanentError(`detail.product: '${detail.product}' is not a product id the catalog can serve`, 'invalid-event');
  const correlationId = correlationIdOf(detail);
  // Removed again after each message by ingest/batch.ts, so it never leaks into the next message's lines.
  logger.appendKeys({ correlationId });

  const config = await deps.store.getMeshConfig();
  authorizePublication(event.account, detail, config, (await deps.store.getSummary(detail.product))?.summary.domain);

  const base = { product: detail.product, version: detail.version, sha256: detail.sha256, at, eventId: event.id, location: detail.location };
  const text = await deps.readContract(detail.location);
  const verdict = verifyPublishedContract(text, detail, config);
  if (!verdict.ok) return recordRejection(deps, { ...base, kind: verdict.kind, message: verdict.message, findings: verdict.findings }, detail.domain);
  const { contract, sha256 } = verdict;

  const { previous } = await deps.store.adjacentVersions(contract.id, contract.version);
  const record: VersionRecord = { product: contract.id, version: contract.version, sha256, publishedAt: at, location: detail.location, correlationId, page: verdict.page, doc: verdict.doc, text, ...diffAgainst(previous, contract, config) };
  const put = await deps.store.putVersionIfAbsent(record);
  let outcome: IngestOutcome = 'published';
  if (!put.written) {
    if (put.existing.sha256 !== sha256) {
      return recordRejection(
        deps,
        {
          ...base,
          kind: 'sha256-conflict',
          existingSha256: put.existing.sha256,
          message: `version ${contract.version} of ${contract.id} is already published with sha256 ${put.existing.sha256}; a different contract under the same version (sha256 ${sha256}) was refused. Publish it under a new version.`,
          findings: [],
        },
        detail.domain,
      );
    }
    // The same contract again (a redelivery, or a retry after a partial failure): finish what may
    // be unfinished; every step below writes only what differs.
    outcome = 'duplicate';
  }
  await reconcileDiffs(deps.store, contract, config);
  await refreshProductSummary(contract.id, deps);
  // A publication is one run, however often it is announced: the first announcement's time and id.
  const first = put.written ? record : put.existing;
  await recordPublicationLineage(deps, { ...detail, correlationId: first.correlationId ?? correlationId }, verdict.page, first.publishedAt);
  if (outcome === 'published') deps.telemetry?.published(contract.id, detail.domain);
  return outcome;
}
