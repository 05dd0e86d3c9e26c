/**
 * The catalog's records and its HTTP API, as zod schemas: one source for the records the ingest
 * writes, the responses the API returns, the validation of every request parameter and the OpenAPI
 * document (`openapi.ts`). Request parameters arrive as strings, so their schemas parse strings.
 */
import semver from 'semver';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------

/** Product ids the API accepts in a path; the ingest rejects contracts whose id does not match. */
export const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const productId = z
  .string()
  .regex(PRODUCT_ID, 'a product id is 1 to 128 letters, digits, dots, dashes or underscores, starting with a letter or digit')
  .meta({ description: "The product's contract id.", example: 'order-lines' });

export const semverString = z
  .string()
  .max(256)
  .refine((v) => semver.valid(v) === v, { message: 'must be a semantic version such as 1.2.0' })
  .meta({ description: 'A semantic version (https://semver.org).', example: '1.0.0' });

const isoInstant = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------------------------------------
// Records (what the catalog stores and shows)
// ---------------------------------------------------------------------------------------------

export const TRUST_LABELS = ['high', 'medium', 'low', 'unknown'] as const;
export const trustSchema = z
  .object({
    /** 0..100, or null when there is nothing to judge (`unknown`). */
    score: z.number().int().min(0).max(100).nullable(),
    label: z.enum(TRUST_LABELS),
    /** Quality runs the score is computed from (the newest ones, at most the window). */
    runs: z.number().int().min(0),
    /** Mean share of passed checks per run, 0..1. */
    passRate: z.number().min(0).max(1).nullable(),
    /** Share of runs in which every SLA check (latency, retention) passed, 0..1; null without SLA checks. */
    slaAttainment: z.number().min(0).max(1).nullable(),
    explanation: z.string(),
  })
  .meta({ description: 'How far consumers can rely on the product, from its recent quality runs and SLA attainment.' });
export type Trust = z.infer<typeof trustSchema>;

export const qualityCountsSchema = z.object({
  passed: z.number().int().min(0),
  failed: z.number().int().min(0),
  errors: z.number().int().min(0),
  failedErrorSeverity: z.number().int().min(0),
});

export const failingCheckSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  severity: z.string(),
  actual: z.string().optional(),
  expected: z.string().optional(),
});

export const qualityRunSchema = z
  .object({
    runId: z.string(),
    version: z.string(),
    at: isoInstant,
    summary: qualityCountsSchema,
    failing: z.array(failingCheckSchema),
    /** Whether every SLA check of the product passed in this run; null when the product has none. */
    slaMet: z.boolean().nullable(),
  });
export type QualityRun = z.infer<typeof qualityRunSchema>;

export const locationSchema = z.object({ account: z.string(), region: z.string(), bucket: z.string(), key: z.string() });
export type ContractLocation = z.infer<typeof locationSchema>;

export const productSummarySchema = z
  .object({
    id: productId,
    name: z.string(),
    domain: z.string(),
    status: z.string(),
    /** The highest published version (semver order). */
    version: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    /** The team, then the owners' user names. */
    owners: z.array(z.string()),
    classifications: z.array(z.string()),
    tables: z.array(z.string()),
    publishedAt: isoInstant,
    trust: trustSchema,
    latestQuality: qualityRunSchema.omit({ failing: true }).nullable(),
  });
export type ProductSummary = z.infer<typeof productSummarySchema>;

export const columnSchema = z.object({
  name: z.string(),
  physicalName: z.string(),
  businessName: z.string().optional(),
  description: z.string().optional(),
  logicalType: z.string().optional(),
  /** The Glue/Athena type, e.g. `decimal(10,2)`. */
  type: z.string().optional(),
  classification: z.string().optional(),
  required: z.boolean(),
  unique: z.boolean(),
  primaryKeyPosition: z.number().int().optional(),
  partitionKeyPosition: z.number().int().optional(),
});

export const tablePageSchema = z.object({
  name: z.string(),
  physicalName: z.string(),
  businessName: z.string().optional(),
  description: z.string().optional(),
  granularity: z.string().optional(),
  /** The most sensitive classification of its columns: the table's Lake Formation tag. */
  classification: z.string().optional(),
  /** `<database>.<table>` as analysts query it in Athena (the governance account's resource link). */
  athenaTable: z.string(),
  sampleQuery: z.string(),
  columns: z.array(columnSchema),
  primaryKey: z.array(z.string()),
  partitionKeys: z.array(z.string()),
});

export const slaSchema = z.object({
  property: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  unit: z.string().optional(),
  description: z.string().optional(),
  /** `table.column` the SLA is measured on. */
  elements: z.array(z.string()),
});

export const slaCheckSchema = z.object({ id: z.string(), name: z.string(), kind: z.enum(['latency', 'retention']) });
export type SlaCheck = z.infer<typeof slaCheckSchema>;

/** What a version of a contract says, ready to show: computed once at ingest. */
export const productPageSchema = z
  .object({
    id: productId,
    name: z.string(),
    version: z.string(),
    status: z.string(),
    domain: z.string(),
    database: z.string(),
    description: z.object({ purpose: z.string().optional(), usage: z.string().optional(), limitations: z.string().optional() }),
    tags: z.array(z.string()),
    team: z.object({ name: z.string().optional(), description: z.string().optional() }).optional(),
    owners: z.array(z.object({ username: z.string(), name: z.string().optional(), role: z.string().optional() })),
    support: z.array(z.object({ channel: z.string(), tool: z.string().optional(), url: z.string().optional(), scope: z.string().optional(), description: z.string().optional() })),
    slas: z.array(slaSchema),
    /** The quality checks measuring the SLAs, as the quality service names them. */
    slaChecks: z.array(slaCheckSchema),
    tables: z.array(tablePageSchema),
  });
export type ProductPage = z.infer<typeof productPageSchema>;

export const changeSchema = z.object({
  severity: z.enum(['breaking', 'warning', 'compatible']),
  rule: z.string(),
  subject: z.string(),
  message: z.string(),
  before: z.string().optional(),
  after: z.string().optional(),
});

export const diffReportSchema = z
  .object({
    before: z.string(),
    after: z.string(),
    versionBump: z.string(),
    breaking: z.boolean(),
    /** False when a breaking change comes without a major bump. */
    ok: z.boolean(),
    suggested: z.string().optional(),
    changes: z.array(changeSchema),
  })
  .meta({ description: 'What changed since the previous version (semver order), judged from the consumers side.' });
export type DiffReport = z.infer<typeof diffReportSchema>;

export const REJECTION_KINDS = ['sha256-conflict', 'invalid-contract', 'mismatch', 'unreadable-contract', 'invalid-event'] as const;
export const rejectionSchema = z
  .object({
    kind: z.enum(REJECTION_KINDS),
    product: z.string(),
    version: z.string().optional(),
    /** The sha256 the event announced. */
    sha256: z.string().optional(),
    /** The sha256 already published under the same version (for `sha256-conflict`). */
    existingSha256: z.string().optional(),
    at: isoInstant,
    eventId: z.string(),
    location: locationSchema.optional(),
    message: z.string(),
    findings: z.array(z.string()),
  })
  .meta({ description: 'A publication the catalog refused; the catalog keeps what it had.' });
export type Rejection = z.infer<typeof rejectionSchema>;

export const accessSchema = z
  .discriminatedUnion('available', [
    z.object({
      available: z.literal(true),
      howTo: z.string(),
      consumers: z.array(
        z.object({
          name: z.string(),
          description: z.string().optional(),
          role: z.string(),
          tables: z.array(z.object({ table: z.string(), athenaTable: z.string(), readableColumns: z.array(z.string()), totalColumns: z.number().int() })),
        }),
      ),
    }),
    z.object({ available: z.literal(false), reason: z.string() }),
  ])
  .meta({ description: 'Which consumers of the mesh can read the product, and which columns each would see.' });
export type Access = z.infer<typeof accessSchema>;

export const freshnessSchema = z.object({
  status: z.enum(['met', 'missed', 'unknown']),
  /** The latency SLA as written, e.g. `2 d`. */
  latency: z.string().nullable(),
  checkedAt: isoInstant.nullable(),
  detail: z.string(),
});
export type Freshness = z.infer<typeof freshnessSchema>;

export const productDetailSchema = productPageSchema
  .extend({
    publishedAt: isoInstant,
    sha256: z.string(),
    trust: trustSchema,
    quality: qualityRunSchema.nullable(),
    freshness: freshnessSchema,
    access: accessSchema,
    /** Newest first; publications the catalog refused for this product. */
    rejections: z.array(rejectionSchema),
  });
export type ProductDetail = z.infer<typeof productDetailSchema>;

export const versionSummarySchema = z
  .object({
    version: z.string(),
    sha256: z.string(),
    publishedAt: isoInstant,
    previousVersion: z.string().nullable(),
    /** Null for the first version. */
    breaking: z.boolean().nullable(),
    changes: z.number().int().min(0),
  });
export type VersionSummary = z.infer<typeof versionSummarySchema>;

export const versionDetailSchema = versionSummarySchema
  .extend({ location: locationSchema, diff: diffReportSchema.nullable(), contract: productPageSchema });
export type VersionDetail = z.infer<typeof versionDetailSchema>;

// ---------------------------------------------------------------------------------------------
// Requests (query strings: every value is a string)
// ---------------------------------------------------------------------------------------------

export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const limitParam = z
  .string()
  .regex(/^\d+$/, `must be a whole number from 1 to ${MAX_LIMIT}`)
  .transform(Number)
  .pipe(z.number().int().min(1, `must be a whole number from 1 to ${MAX_LIMIT}`).max(MAX_LIMIT, `must be a whole number from 1 to ${MAX_LIMIT}`))
  .meta({ description: `Page size, 1 to ${MAX_LIMIT}; default ${DEFAULT_LIMIT}.` });

const cursorParam = z.string().min(1, 'must not be empty').max(2048, 'is too long').meta({ description: "The `next` value of the previous page; opaque." });

const word = (what: string) => z.string().min(1, 'must not be empty').max(200, 'is too long').meta({ description: `Only products with this ${what}.` });

export const searchParams = z.strictObject({
  q: z
    .string()
    .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`)
    .refine((v) => v.trim().length > 0, 'must not be empty; leave q out to list every product')
    .refine((v) => /[\p{L}\p{N}]/u.test(v), 'has no letters or digits to search for')
    .optional()
    .meta({ description: 'Search words: names, tags, tables, columns, owners, descriptions; typos and prefixes are tolerated.' }),
  domain: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a domain name: lower-case letters, digits and dashes')
    .optional()
    .meta({ description: 'Only products of this domain.' }),
  tag: word('tag').optional(),
  classification: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, 'must be a classification: a lower-case word')
    .optional()
    .meta({ description: 'Only products with at least one column of this classification.' }),
  owner: word('owning team or owner').optional(),
  limit: limitParam.optional(),
  cursor: cursorParam.optional(),
});

export const pageParams = z.strictObject({ limit: limitParam.optional(), cursor: cursorParam.optional() });

export const MAX_LINEAGE_DEPTH = 10;
export const DEFAULT_LINEAGE_DEPTH = 3;
export const lineageParams = z.strictObject({
  direction: z
    .enum(['up', 'down', 'both'], { error: 'must be up, down or both' })
    .optional()
    .meta({ description: 'Upstream (what the product reads), downstream (who reads it) or both; default both.' }),
  depth: z
    .string()
    .regex(/^\d+$/, `must be a whole number from 1 to ${MAX_LINEAGE_DEPTH}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `must be a whole number from 1 to ${MAX_LINEAGE_DEPTH}`).max(MAX_LINEAGE_DEPTH, `must be a whole number from 1 to ${MAX_LINEAGE_DEPTH}`))
    .optional()
    .meta({ description: `Hops to follow, 1 to ${MAX_LINEAGE_DEPTH}; default ${DEFAULT_LINEAGE_DEPTH}.` }),
  column: z
    .string()
    .regex(/^[^.\s]+\.[^.\s]+$/, 'must be <table>.<column>, the physical names of one of the product\'s columns')
    .max(257)
    .optional()
    .meta({ description: 'Column lineage of one column, `<table>.<column>`: the view columns derived from it (and views it shapes, as INDIRECT).', example: 'orders.order_id' }),
});
export const noParams = z.strictObject({});

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const nextCursor = z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' });

export const searchResponseSchema = z
  .object({
    items: z.array(productSummarySchema.extend({ score: z.number(), matched: z.array(z.string()) })),
    next: nextCursor,
  });
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const versionListSchema = z.object({ product: z.string(), items: z.array(versionSummarySchema), next: nextCursor });
export type VersionList = z.infer<typeof versionListSchema>;

export const qualityHistorySchema = z
  .object({ product: z.string(), trust: trustSchema, items: z.array(qualityRunSchema), next: nextCursor });
export type QualityHistory = z.infer<typeof qualityHistorySchema>;

const transformationSchema = z.object({ type: z.string(), subtype: z.string().optional() });

export const lineageSchema = z
  .object({
    product: z.string(),
    direction: z.enum(['up', 'down', 'both']),
    depth: z.number().int(),
    nodes: z.array(
      z.object({
        id: z.string().meta({ description: '`product:<id>`, `view:<database>.<view>` or `dataset:<name>`.' }),
        kind: z.enum(['product', 'view', 'dataset']),
        distance: z.number().int().meta({ description: 'Hops from the product: negative upstream, positive downstream.' }),
      }),
    ),
    edges: z.array(z.object({ from: z.string(), to: z.string(), job: z.string().meta({ description: 'The OpenLineage job linking them.' }) })),
    column: z
      .object({
        table: z.string(),
        column: z.string(),
        downstream: z.array(
          z.object({
            dataset: z.string().meta({ description: '`AwsDataCatalog.<database>.<view>`.' }),
            column: z.string().optional().meta({ description: 'Absent when the column shapes the whole view (INDIRECT: a join key, filter or grouping).' }),
            transformations: z.array(transformationSchema),
            distance: z.number().int(),
          }),
        ),
      })
      .optional(),
  })
  .meta({ description: "A product's lineage: the products and views it reads from or that read it, from the mesh's OpenLineage events (views' column lineage, products' input ports)." });
export type Lineage = z.infer<typeof lineageSchema>;

export const API_ERRORS = [
  'UnknownRoute',
  'MethodNotAllowed',
  'InvalidParameter',
  'UnknownParameter',
  'RepeatedParameter',
  'InvalidCursor',
  'InvalidPath',
  'BodyNotAllowed',
  'ProductNotFound',
  'VersionNotFound',
  'ColumnNotFound',
  'InternalError',
] as const;
export type ApiErrorCode = (typeof API_ERRORS)[number];
export const errorSchema = z
  .object({ error: z.enum(API_ERRORS), message: z.string().meta({ description: 'What was wrong and where (for 4xx); nothing internal for 5xx.' }) });
export type ApiErrorBody = z.infer<typeof errorSchema>;
