/**
 * The ingest's counts as CloudWatch metrics (embedded metric format, `Tessera/Catalog`): one
 * single-metric line per product event (and the trust score after a quality run), so each carries
 * its own Domain and Product dimensions, which can be graphed per product; batch totals go out when `logMetrics` flushes.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { CATALOG_DIMENSION, CATALOG_METRIC } from '../../../lib/catalog/telemetry.js';
import type { IngestTelemetry } from './deps.js';

const UNKNOWN = 'unknown';

export function metricsTelemetry(metrics: Metrics): IngestTelemetry {
  const put = (name: string, dimensions: Record<string, string | undefined>, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number): void => {
    const single = metrics.singleMetric();
    // A domain not known yet (a quality run before the first publication, a malformed event) is
    // named, not left out: a metric is identified by its whole dimension set, and one product's
    // graph must not split in two.
    for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value ?? UNKNOWN);
    single.addMetric(name, unit, value);
  };
  const count = (name: string, dimensions: Record<string, string | undefined>): void => put(name, dimensions, MetricUnit.Count, 1);
  return {
    published: (product, domain) => count(CATALOG_METRIC.versionsPublished, { [CATALOG_DIMENSION.domain]: domain, [CATALOG_DIMENSION.product]: product }),
    refused: (product, domain, kind) => count(CATALOG_METRIC.publicationsRefused, { [CATALOG_DIMENSION.domain]: domain, [CATALOG_DIMENSION.product]: product, [CATALOG_DIMENSION.reason]: kind }),
    qualityRecorded: (product, domain) => count(CATALOG_METRIC.qualityRunsRecorded, { [CATALOG_DIMENSION.domain]: domain, [CATALOG_DIMENSION.product]: product }),
    trust: (product, domain, score) => put(CATALOG_METRIC.trustScore, { [CATALOG_DIMENSION.domain]: domain, [CATALOG_DIMENSION.product]: product }, MetricUnit.NoUnit, score),
    dropped: (kind) => count(CATALOG_METRIC.messagesDropped, { [CATALOG_DIMENSION.reason]: kind }),
  };
}
