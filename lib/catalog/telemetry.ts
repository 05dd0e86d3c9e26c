/**
 * What the catalog ingest publishes (CloudWatch embedded metric format, through its logs), named
 * once for the handler that writes it and whatever graphs or alarms on it: the namespace, metric
 * names and dimensions. Per product and domain, so a dashboard can plot one product's publications
 * and refusals; per reason for messages dropped before any product is known.
 */
export const CATALOG_METRIC_NAMESPACE = 'Tessera/Catalog';

/**
 * The catalog Lambdas' POWERTOOLS_SERVICE_NAME. Powertools Metrics adds it to every metric as the
 * `service` dimension, so whoever reads a catalog metric names it too (a metric is identified by
 * its whole dimension set).
 */
export const CATALOG_SERVICE_NAME = 'tessera-catalog';
export const SERVICE_DIMENSION = 'service';

export const CATALOG_METRIC = {
  /** A new version stored (not a duplicate); per Domain and Product. */
  versionsPublished: 'VersionsPublished',
  /** A publication refused and shown on the product's page; per Domain and Product. */
  publicationsRefused: 'PublicationsRefused',
  /** A quality run stored; per Domain and Product. */
  qualityRunsRecorded: 'QualityRunsRecorded',
  /** The product's trust score (0..100, lib/catalog/trust.ts) after a quality run was stored; per Domain and Product. */
  trustScore: 'TrustScore',
  /** A message dropped because it can never succeed; per Reason. */
  messagesDropped: 'MessagesDropped',
  /** Messages handed back to SQS for redelivery, per batch. */
  messagesRetried: 'MessagesRetried',
} as const;

export const CATALOG_DIMENSION = { domain: 'Domain', product: 'Product', reason: 'Reason' } as const;
