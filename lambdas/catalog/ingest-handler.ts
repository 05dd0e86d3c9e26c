/**
 * The catalog's ingest: an SQS queue (subscribed to the mesh's central bus for `tessera.catalog` and
 * `tessera.quality` events, with a dead-letter queue after 5 receives) delivers EventBridge envelopes.
 *
 * - `ContractPublished`: read the contract from the product's bucket, check it is the one announced
 *   (sha256, id, version, domain) and valid, then store the version. A version is written once and
 *   never overwritten: the same sha256 again is a duplicate (no change); another sha256 under a
 *   published version is refused and recorded as a rejection, shown on the product's page. Versions
 *   may arrive in any order: each version's diff is against the previous one in semver order (a late
 *   1.1.0 also corrects 1.2.0's diff) and the product's summary always shows the highest version.
 * - `tessera.quality`: store the run, recompute the latest quality and the trust signal.
 *
 * Error policy (partial batch responses):
 * - a message that can never succeed (not JSON, not an EventBridge envelope, an unknown source or
 *   detail-type, a detail failing its schema, another mesh, a contract that is invalid or not the one
 *   announced) is dropped: logged as an error naming the field, counted in the `Tessera/Catalog`
 *   metrics, and, when it names a product, recorded as a rejection that the API shows. Retrying it
 *   would only delay the DLQ and hide it among real failures;
 * - anything else (AWS errors, a contract object not readable yet, contention, bugs) is reported in
 *   `batchItemFailures`, so SQS redelivers it after the visibility timeout and moves it to the DLQ
 *   after 5 receives. Redriving the DLQ is safe: every step is idempotent.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import semver from 'semver';
import { z } from 'zod';
import { PRODUCT_ID, type ContractLocation, type Rejection } from '../../lib/catalog/api-schema.js';
import { PUBLICATION_DETAIL_TYPE, PUBLICATION_SOURCE, publicationDetail, QUALITY_DETAIL_TYPE, QUALITY_SOURCE, type PublicationDetail } from '../../lib/catalog/publication.js';
import { diffReportOf, encodeDocument, productPageOf, productSummaryOf, qualityRunOf, searchDocumentOf } from '../../lib/catalog/records.js';
import { computeTrust, TRUST_WINDOW } from '../../lib/catalog/trust.js';
import { stableJson } from '../../lib/contract/diff.js';
import { loadContract } from '../../lib/contract/load.js';
import type { DataContract } from '../../lib/contract/model.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import type { MeshConfig } from '../../lib/mesh/config.js';
import { requireEnv, validateInput } from '../shared/input.js';
import { logger } from '../shared/powertools.js';
import { DynamoCatalogStore } from './dynamo-store.js';
import type { CatalogStore, VersionRecord } from './store.js';

const endpoint = process.env.AWS_ENDPOINT_URL;
const clients = {
  s3: new S3Client({ forcePathStyle: endpoint !== undefined }),
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
};
const metrics = new Metrics({ namespace: 'Tessera/Catalog', serviceName: 'catalog-ingest' });

/** Reads a contract's text from where a publication says it is. */
export type ContractReader = (location: ContractLocation) => Promise<string>;

export function s3ContractReader(s3: S3Client): ContractReader {
  return async (location) => {
    // ExpectedBucketOwner: the object must live in the account the event names, not a look-alike bucket.
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key, ExpectedBucketOwner: location.account }));
    if (!object.Body) throw new Error(`s3://${location.bucket}/${location.key} has no body`);
    return object.Body.transformToString('utf-8');
  };
}

export interface IngestDeps {
  readonly store: CatalogStore;
  readonly readContract: ContractReader;
  /** The mesh this catalog serves; events of other meshes are dropped. */
  readonly mesh: string;
  /** The clock for `changedAt`. @default Date.now */
  readonly now?: () => Date;
  /** Called for every dropped or refused message (metrics). */
  readonly onRejected?: (kind: string) => void;
}

export type IngestOutcome = 'published' | 'duplicate' | 'rejected' | 'quality-recorded' | 'quality-duplicate' | 'dropped';

/** A message that retrying cannot fix. */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

const envelopeSchema = z.looseObject({
  id: z.string().min(1),
  /** Set by EventBridge to the account that put the event: the one field a publisher cannot forge. */
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  detail: z.record(z.string(), z.unknown()),
});
type Envelope = z.infer<typeof envelopeSchema>;

/** The `detail` of a `tessera.quality` event (`lambdas/quality/evaluate-handler.ts`); extra fields are tolerated. */
export const qualityEventDetail = z.looseObject({
  product: z.string().regex(PRODUCT_ID, 'must be a product id'),
  version: z.string().min(1),
  runId: z.string().min(1).max(200),
  at: z.iso.datetime({ offset: true }),
  summary: z.looseObject({ passed: z.number().int().min(0), failed: z.number().int().min(0), errors: z.number().int().min(0), failedErrorSeverity: z.number().int().min(0) }),
  failing: z
    .array(z.looseObject({ id: z.string(), name: z.string(), status: z.string(), severity: z.string(), actual: z.string().optional(), expected: z.string().optional() }))
    .max(1000),
});
export type QualityEventDetail = z.infer<typeof qualityEventDetail>;

/** Contract text, page and search document together must fit a DynamoDB item (400 KB) with room to spare. */
const MAX_VERSION_BYTES = 350_000;

const issuesOf = (error: z.ZodError, prefix: string): string => error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`).join('; ');
const utc = (instant: string): string => new Date(instant).toISOString();

/** Handles one SQS message body. Throws `PermanentError` for a message to drop, anything else to retry. */
export async function ingestMessage(body: string, deps: IngestDeps): Promise<IngestOutcome> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new PermanentError(`the message body is not JSON: ${(e as Error).message}`, 'invalid-json');
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw new PermanentError(`the message is not an EventBridge event: ${issuesOf(envelope.error, '')}`, 'invalid-envelope');
  const event = envelope.data;
  if (event.source === PUBLICATION_SOURCE && event['detail-type'] === PUBLICATION_DETAIL_TYPE) return publish(event, deps);
  if (event.source === QUALITY_SOURCE && event['detail-type'] === QUALITY_DETAIL_TYPE) return recordQuality(event, deps);
  throw new PermanentError(`source: '${event.source}' with detail-type '${event['detail-type']}' is not an event the catalog consumes (${PUBLICATION_SOURCE}/${PUBLICATION_DETAIL_TYPE} or ${QUALITY_SOURCE}/${QUALITY_DETAIL_TYPE})`, 'unknown-source');
}

async function publish(event: Envelope, deps: IngestDeps): Promise<IngestOutcome> {
  const parsed = publicationDetail.safeParse(event.detail);
  const at = utc(event.time);
  if (!parsed.success) {
    const message = `the ContractPublished event ${event.id} is malformed: ${issuesOf(parsed.error, 'detail')}`;
    const product = event.detail.product;
    // Recorded against the product it names, when it names one, so its owners see it in the catalog.
    if (typeof product === 'string' && PRODUCT_ID.test(product)) {
      await reject(deps, { kind: 'invalid-event', product, at, eventId: event.id, message, findings: parsed.error.issues.map((i) => `detail.${i.path.join('.')}: ${i.message}`) });
      return 'rejected';
    }
    throw new PermanentError(message, 'invalid-event');
  }
  const detail = parsed.data;
  if (detail.mesh !== deps.mesh) throw new PermanentError(`detail.mesh: the event is for mesh '${detail.mesh}', this catalog serves '${deps.mesh}'`, 'other-mesh');
  if (!PRODUCT_ID.test(detail.product)) throw new PermanentError(`detail.product: '${detail.product}' is not a product id the catalog can serve`, 'invalid-event');

  const config = await deps.store.getMeshConfig();
  await checkPublisher(event, detail, config, deps);

  const base = { product: detail.product, version: detail.version, sha256: detail.sha256, at, eventId: event.id, location: detail.location };
  const where = `s3://${detail.location.bucket}/${detail.location.key}`;
  const text = await deps.readContract(detail.location);
  const actualSha = createHash('sha256').update(text, 'utf8').digest('hex');
  if (actualSha !== detail.sha256) {
    return rejected(deps, { ...base, kind: 'mismatch', message: `the contract at ${where} has sha256 ${actualSha}, not the ${detail.sha256} the event announced`, findings: [] });
  }
  // The deployed contract passed the product rules at synth time; the standard and the mesh's
  // ontology are enough here, so a stricter Tessera release never hides a deployed product.
  const loaded = loadContract(text, where, { profile: 'odcs', classifications: config?.classifications });
  const contract = loaded.contract;
  if (!contract) {
    const findings = loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    return rejected(deps, { ...base, kind: 'invalid-contract', message: `the contract at ${where} is invalid (${findings.length} error${findings.length === 1 ? '' : 's'})`, findings });
  }
  const mismatches = [
    contract.id !== detail.product ? `id: the contract is product '${contract.id}', the event says '${detail.product}'` : undefined,
    contract.version !== detail.version ? `version: the contract is version ${contract.version}, the event says ${detail.version}` : undefined,
    contract.domain !== undefined && contract.domain !== detail.domain ? `domain: the contract is in domain '${contract.domain}', the event says '${detail.domain}'` : undefined,
  ].filter((m): m is string => m !== undefined);
  if (mismatches.length > 0) return rejected(deps, { ...base, kind: 'mismatch', message: `the contract at ${where} is not the one the event announced`, findings: mismatches });
  if (semver.valid(contract.version) !== contract.version) {
    return rejected(deps, { ...base, kind: 'invalid-contract', message: `version '${contract.version}' is not a semantic version; the catalog orders versions by semver`, findings: [`version: must be a semantic version such as 1.2.0`] });
  }

  const page = productPageOf(contract, { domain: detail.domain, classifications: config?.classifications });
  const record: VersionRecord = {
    product: contract.id,
    version: contract.version,
    sha256: actualSha,
    publishedAt: at,
    location: detail.location,
    previousVersion: null,
    diff: null,
    page,
    doc: encodeDocument(searchDocumentOf(contract)),
    text,
  };
  // The version item holds the contract gzipped (as the store writes it), its page and its search document.
  const size = gzipSync(text).byteLength + Buffer.byteLength(JSON.stringify(page)) + Buffer.byteLength(record.doc);
  if (size > MAX_VERSION_BYTES) {
    return rejected(deps, { ...base, kind: 'invalid-contract', message: `the contract is too large for the catalog (about ${Math.round(size / 1000)} KB stored, at most ${MAX_VERSION_BYTES / 1000} KB)`, findings: [] });
  }

  const { previous } = await deps.store.adjacentVersions(contract.id, contract.version);
  const first = { ...record, ...diffAgainst(previous, contract, config) };
  const put = await deps.store.putVersionIfAbsent(first);
  let outcome: IngestOutcome = 'published';
  if (!put.written) {
    if (put.existing.sha256 !== actualSha) {
      return rejected(deps, {
        ...base,
        kind: 'sha256-conflict',
        existingSha256: put.existing.sha256,
        message: `version ${contract.version} of ${contract.id} is already published with sha256 ${put.existing.sha256}; a different contract under the same version (sha256 ${actualSha}) was refused. Publish it under a new version.`,
        findings: [],
      });
    }
    // The same contract again (a redelivery, or a retry after a partial failure): finish what may
    // be unfinished; every step below writes only what differs.
    outcome = 'duplicate';
  }
  await reconcileDiffs(deps.store, contract, config);
  await refreshProductSummary(contract.id, deps);
  return outcome;
}

/** previousVersion and diff of `contract` against the version below it. */
function diffAgainst(previous: VersionRecord | undefined, contract: DataContract, config: MeshConfig | undefined): Pick<VersionRecord, 'previousVersion' | 'diff'> {
  if (!previous) return { previousVersion: null, diff: null };
  const before = loadStored(previous, config);
  return { previousVersion: previous.version, diff: before ? diffReportOf(before, contract, config?.classifications) : null };
}

function loadStored(record: VersionRecord, config: MeshConfig | undefined): DataContract | undefined {
  return loadContract(record.text, `s3://${record.location.bucket}/${record.location.key}`, { profile: 'odcs', classifications: config?.classifications }).contract;
}

/**
 * After a version is stored, read its neighbours again and correct both diffs that involve it: its
 * own (a lower version may have arrived meanwhile) and the next version's (which was diffed against
 * whatever was below it before). Of two versions written concurrently, the later read sees both.
 */
async function reconcileDiffs(store: CatalogStore, contract: DataContract, config: MeshConfig | undefined): Promise<void> {
  // Read self, then its neighbours, then compare-and-set on what was read first: a concurrent ingest
  // that corrected the same version in between makes the write fail, and the round starts again.
  for (let round = 1; ; round++) {
    const self = await store.getVersion(contract.id, contract.version);
    const { previous, next } = await store.adjacentVersions(contract.id, contract.version);
    let settled = true;
    if (self) {
      const wanted = diffAgainst(previous, contract, config);
      if (self.previousVersion !== wanted.previousVersion || stableJson(self.diff) !== stableJson(normalized(wanted.diff))) {
        settled = await store.setVersionDiff(self.product, self.version, self.sha256, self.previousVersion, wanted.previousVersion, wanted.diff);
      }
    }
    const after = next ? loadStored(next, config) : undefined;
    if (settled && next && after) {
      const wanted = { previousVersion: contract.version, diff: diffReportOf(contract, after, config?.classifications) };
      if (next.previousVersion !== wanted.previousVersion || stableJson(next.diff) !== stableJson(normalized(wanted.diff))) {
        settled = await store.setVersionDiff(next.product, next.version, next.sha256, next.previousVersion, wanted.previousVersion, wanted.diff);
        if (settled) logger.info('corrected the diff of a later version after an earlier one arrived', { product: contract.id, version: next.version, previousVersion: contract.version });
      }
    }
    if (settled) return;
    // Retried by SQS (and idempotent) if the versions keep moving.
    if (round >= 5) throw new Error(`the diffs of ${contract.id} around ${contract.version} kept changing under concurrent publications`);
  }
}

/** As it reads back from storage (JSON drops undefined fields). */
function normalized<T>(value: T): T {
  return value === null || value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Recomputes the product's summary (highest version, latest quality, trust) from what is stored and
 * writes it only when it changed, with optimistic locking; so it is idempotent and order-independent.
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

/**
 * Every domain account may put `tessera.*` events on the bus, so an event is believed only for the
 * domain of the account that put it (EventBridge sets `account`; the detail is the publisher's
 * word): the event, the contract's bucket and the domain must all be that account's, and a product
 * stays with the domain that first published it. Refusals are dropped and logged, not recorded on
 * the product's page, which another domain must not be able to write to.
 */
async function checkPublisher(event: Envelope, detail: PublicationDetail, config: MeshConfig | undefined, deps: IngestDeps): Promise<void> {
  if (detail.location.account !== event.account) {
    throw new PermanentError(`detail.location.account: account ${event.account} announced a contract in account ${detail.location.account}; a domain publishes only from its own buckets`, 'foreign-publisher');
  }
  if (config) {
    const domain = config.domains.find((d) => d.name === detail.domain);
    if (!domain) throw new PermanentError(`detail.domain: '${detail.domain}' is not a domain of mesh '${config.name}'`, 'foreign-publisher');
    if (domain.account !== event.account) throw new PermanentError(`account: the event came from account ${event.account}, but domain '${domain.name}' is account ${domain.account}`, 'foreign-publisher');
  }
  const owner = (await deps.store.getSummary(detail.product))?.summary.domain;
  if (owner !== undefined && owner !== detail.domain) throw new PermanentError(`detail.domain: product '${detail.product}' belongs to domain '${owner}', not '${detail.domain}'`, 'foreign-publisher');
}

async function recordQuality(event: Envelope, deps: IngestDeps): Promise<IngestOutcome> {
  const parsed = qualityEventDetail.safeParse(event.detail);
  if (!parsed.success) throw new PermanentError(`the tessera.quality event ${event.id} is malformed: ${issuesOf(parsed.error, 'detail')}`, 'invalid-event');
  const detail = parsed.data;
  const summary = await deps.store.getSummary(detail.product);
  // Quality runs count only from the account of the product's own domain.
  const config = summary ? await deps.store.getMeshConfig() : undefined;
  const ownerAccount = config?.domains.find((d) => d.name === summary?.summary.domain)?.account;
  if (ownerAccount !== undefined && ownerAccount !== event.account) {
    throw new PermanentError(`account: a quality run of '${detail.product}' came from account ${event.account}, not from its domain's account ${ownerAccount}`, 'foreign-publisher');
  }
  const slaCheckIds = summary?.slaCheckIds ?? [];
  const run = qualityRunOf(
    {
      runId: detail.runId,
      version: detail.version,
      at: utc(detail.at),
      summary: { passed: detail.summary.passed, failed: detail.summary.failed, errors: detail.summary.errors, failedErrorSeverity: detail.summary.failedErrorSeverity },
      failing: detail.failing.map((f) => ({ id: f.id, name: f.name, status: f.status, severity: f.severity, actual: f.actual, expected: f.expected })),
    },
    slaCheckIds,
  );
  const written = await deps.store.putQualityRun({ product: detail.product, ...run });
  // Runs of a product not published yet are kept; its first publication computes the trust from them.
  await refreshProductSummary(detail.product, deps);
  return written ? 'quality-recorded' : 'quality-duplicate';
}

async function rejected(deps: IngestDeps, rejection: Omit<Rejection, 'location'> & { location?: ContractLocation }): Promise<IngestOutcome> {
  await reject(deps, rejection);
  return 'rejected';
}

async function reject(deps: IngestDeps, rejection: Rejection): Promise<void> {
  await deps.store.putRejection(rejection);
  const { message, ...details } = rejection;
  logger.error('catalog publication refused', { ...details, reason: message });
  deps.onRejected?.(rejection.kind);
}

const sqsEvent = z.looseObject({ Records: z.array(z.looseObject({ messageId: z.string().min(1), body: z.string() })) });

/** The ingest's middy chain over any store and reader: AWS below, in-memory ones in tests and demos. */
export function createIngestHandler(resolveDeps: () => IngestDeps) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(validateInput(sqsEvent))
    .handler(async (event) => {
      const deps = resolveDeps();
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
      // In order, one at a time: two messages of one product in a batch never race each other.
      for (const record of event.Records) {
        try {
          const outcome = await ingestMessage(record.body, deps);
          logger.info('catalog message handled', { messageId: record.messageId, outcome });
        } catch (e) {
          if (e instanceof PermanentError) {
            logger.error('catalog message dropped: it can never be processed', { messageId: record.messageId, kind: e.kind, reason: e.message });
            deps.onRejected?.(e.kind);
          } else {
            logger.warn('catalog message failed; SQS will redeliver it (DLQ after 5 receives)', { messageId: record.messageId, error: e as Error });
            batchItemFailures.push({ itemIdentifier: record.messageId });
          }
        }
      }
      return { batchItemFailures };
    });
}

export const handler = createIngestHandler(() => ({
  store: new DynamoCatalogStore(clients.dynamo, requireEnv('CATALOG_TABLE')),
  readContract: s3ContractReader(clients.s3),
  mesh: requireEnv('MESH_NAME'),
  onRejected: (kind) => {
    metrics.addMetric('RejectedMessages', MetricUnit.Count, 1);
    metrics.addMetadata('kind', kind);
    metrics.publishStoredMetrics();
  },
}));
