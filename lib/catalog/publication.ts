/**
 * How a product reaches the catalog. Deploying a domain stack stores the contract with the product
 * (`<prefix>_tessera/contract/<version>.odcs.yaml` in the product's bucket) and puts one
 * `ContractPublished` event on the mesh's central bus. The event carries where the contract is, its
 * version and sha256, never the contract itself: events are limited to 256 KB and contracts are not.
 * The governance account's catalog ingest reads the contract from that location.
 *
 * Names shared by the constructs (which emit and route the events, and name the roles) and the
 * catalog handlers (which consume them) live here, so the two cannot drift.
 */
import { z } from 'zod';
import { PRODUCT_ID } from './api-schema.js';

/** EventBridge `source` of catalog publication events. */
export const PUBLICATION_SOURCE = 'tessera.catalog';
/** EventBridge `detail-type` of a publication. */
export const PUBLICATION_DETAIL_TYPE = 'ContractPublished';
/** EventBridge `source` and `detail-type` of quality results (`lambdas/quality/evaluate-handler.ts`). */
export const QUALITY_SOURCE = 'tessera.quality';
export const QUALITY_DETAIL_TYPE = 'tessera.quality';

const SHA256 = /^[0-9a-f]{64}$/;
const ACCOUNT = /^\d{12}$/;

/** The `detail` of a `ContractPublished` event. */
export const publicationDetail = z.strictObject({
  mesh: z.string().min(1),
  domain: z.string().min(1),
  /** The contract's id (the product id). */
  product: z.string().min(1),
  version: z.string().min(1),
  sha256: z.string().regex(SHA256, 'must be a sha256 in lower-case hex'),
  /** Where the contract is stored, in the domain's account. */
  location: z.strictObject({
    account: z.string().regex(ACCOUNT, 'must be a 12-digit AWS account id'),
    region: z.string().min(1),
    bucket: z.string().min(3),
    key: z.string().min(1),
  }),
  /**
   * One id for the publication from the domain's event through the ingest's logs into the catalog's
   * version record and its OpenLineage run (whose run id it is, so a UUID).
   * @default - derived from mesh, product, version and sha256 (`publicationRunId`), as the domain does
   */
  correlationId: z.uuid().optional(),
});
export type PublicationDetail = z.infer<typeof publicationDetail>;

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

/**
 * The name of the catalog's ingest role in the governance account. Fixed, because each domain's
 * bucket and key policies name it across accounts before the governance stack exists.
 */
export function catalogReaderRoleName(mesh: string): string {
  return `tessera-${mesh}-catalog-ingest`;
}

/** The object key of the catalog API's persisted search index, in the catalog's snapshot bucket. */
export const SEARCH_SNAPSHOT_KEY = 'search/index.json.gz';
