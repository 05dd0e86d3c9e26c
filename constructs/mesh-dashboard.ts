/**
 * `MeshDashboard`: the mesh's health on one CloudWatch dashboard in the governance account.
 * Per product: the age of its newest data against the mesh's latency SLAs, its trust score (the
 * catalog's, `lib/catalog/trust.ts`), its failed error-severity checks; then the catalog: ingest lag
 * (age of the oldest message in the inbox) and dead letters, API latency and 4xx/5xx; and the bytes
 * Athena scanned per workgroup and day.
 *
 * The per-product and per-workgroup graphs are CloudWatch SEARCH expressions, one per graph, so the
 * dashboard's body is the same size for 5 products or 2,500 (one metric per product made it 312 KB
 * of the governance template at 100 domains × 5 products). A search finds what exists when the
 * dashboard is viewed, and returns at most 500 time series
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html).
 *
 * Cross-account: the quality metrics and the quality workgroups' Athena metrics live in the domain
 * accounts. A SEARCH in a CloudWatch cross-account observability monitoring account includes the
 * metrics of every linked source account, so the governance account must be the monitoring account
 * with every domain account linked to it, sharing metrics
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Unified-Cross-Account.html).
 * Tessera does not create the link: it is an account-wide choice of the organization
 * (docs/observability.md). Without it the searches find only the governance account's metrics
 * (trust, catalog, the analysts' workgroup).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CATALOG_DIMENSION, CATALOG_METRIC, CATALOG_METRIC_NAMESPACE, CATALOG_SERVICE_NAME, SERVICE_DIMENSION } from '../lib/catalog/telemetry.js';
import type { MeshConfig } from '../lib/mesh/config.js';
import type { MeshProduct } from '../lib/mesh/load.js';
import { formatDuration } from '../lib/quality/plan.js';
import { latencyChecks } from '../lib/quality/sla-alarm.js';
import { QUALITY_DIMENSION, QUALITY_METRIC, QUALITY_METRIC_NAMESPACE } from '../lib/quality/telemetry.js';
import type { CatalogService } from './catalog-service.js';
import { dashboardNameFor } from './product-dashboard.js';

export interface MeshDashboardProps {
  readonly config: MeshConfig;
  /** The mesh's products: their latency SLAs are the freshness graph's lines. */
  readonly products: readonly MeshProduct[];
  readonly catalog: CatalogService;
  /**
   * The dashboard's name.
   * @default `tessera-<mesh>`
   */
  readonly dashboardName?: string;
}

const RUN_PERIOD = Duration.hours(6);
const SERVICE_PERIOD = Duration.minutes(5);

/** A half-width graph of numbers from zero, without units on the axis. */
function counts(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, width: 12, left, leftYAxis: { min: 0, showUnits: false } });
}

/**
 * Every time series of `metric` in `namespace` with exactly the dimensions `dimensions` (and the
 * exact values of `equal`), aggregated by `statistic` over `period`; the graph labels each by its dimension values.
 */
function searchOf(namespace: string, dimensions: readonly string[], metric: string, statistic: string, period: Duration, equal: Record<string, string> = {}): cloudwatch.SearchExpression {
  const terms = [`MetricName="${metric}"`, ...Object.entries(equal).map(([k, v]) => `${k}="${v}"`)].join(' ');
  // An empty label leaves each series its dimension values; without one CDK labels them with the expression.
  return new cloudwatch.SearchExpression({ expression: `SEARCH('{${[namespace, ...dimensions].join(',')}} ${terms}', '${statistic}', ${period.toSeconds()})`, label: '', period });
}

export class MeshDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MeshDashboardProps) {
    super(scope, id);
    const { config, catalog } = props;
    // One line per distinct SLA of the mesh: products sharing an SLA share its line.
    const slas = [...new Set(props.products.flatMap((p) => latencyChecks(p.contract).map((c) => c.maxAgeMs)))].sort((a, b) => a - b);
    const freshness = new cloudwatch.GraphWidget({
      title: 'Freshness: age of the newest value (seconds) per product and check, against the latency SLAs',
      width: 12,
      left: [searchOf(QUALITY_METRIC_NAMESPACE, [QUALITY_DIMENSION.check, QUALITY_DIMENSION.product], QUALITY_METRIC.dataAge, 'Maximum', RUN_PERIOD)],
      leftAnnotations: slas.map((ms) => ({ value: ms / 1000, label: `SLA ${formatDuration(ms)}`, color: cloudwatch.Color.RED })),
      leftYAxis: { min: 0, label: 'seconds', showUnits: false },
    });
    const trust = new cloudwatch.GraphWidget({
      title: 'Trust score per product (0..100)',
      width: 12,
      left: [searchOf(CATALOG_METRIC_NAMESPACE, [CATALOG_DIMENSION.domain, CATALOG_DIMENSION.product, SERVICE_DIMENSION], CATALOG_METRIC.trustScore, 'Minimum', RUN_PERIOD, { [SERVICE_DIMENSION]: CATALOG_SERVICE_NAME })],
      leftYAxis: { min: 0, max: 100, showUnits: false },
    });
    const failed = counts('Failed error-severity checks per product', [searchOf(QUALITY_METRIC_NAMESPACE, [QUALITY_DIMENSION.product], QUALITY_METRIC.failedErrorChecks, 'Maximum', RUN_PERIOD)]);
    const ingest = new cloudwatch.GraphWidget({
      title: 'Catalog ingest: lag (age of the oldest inbox message, s) and dead letters',
      width: 12,
      left: [catalog.queue.metricApproximateAgeOfOldestMessage({ period: SERVICE_PERIOD, statistic: 'Maximum', label: 'ingest lag (s)' })],
      right: [catalog.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: SERVICE_PERIOD, statistic: 'Maximum', label: 'dead letters' })],
      leftYAxis: { min: 0, showUnits: false },
      rightYAxis: { min: 0, showUnits: false },
    });
    const apiLatency = counts('Catalog API latency (ms)', [
      catalog.api.metricLatency({ period: SERVICE_PERIOD, statistic: 'p50', label: 'p50' }),
      catalog.api.metricLatency({ period: SERVICE_PERIOD, statistic: 'p99', label: 'p99' }),
    ]);
    const apiErrors = counts('Catalog API errors', [
      catalog.api.metricClientError({ period: SERVICE_PERIOD, statistic: 'Sum', label: '4xx' }),
      catalog.api.metricServerError({ period: SERVICE_PERIOD, statistic: 'Sum', label: '5xx' }),
    ]);
    // ProcessedBytes by WorkGroup alone, as the analysts' spend alarm reads it (constructs/mesh-query.ts):
    // the analysts' workgroup here and each domain's quality workgroup in its account.
    const athenaBytes = new cloudwatch.GraphWidget({
      title: 'Athena bytes scanned per workgroup and day',
      width: 24,
      left: [searchOf('AWS/Athena', ['WorkGroup'], 'ProcessedBytes', 'Sum', Duration.days(1))],
      leftYAxis: { min: 0 },
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? dashboardNameFor(`tessera-${config.name}`),
      defaultInterval: Duration.days(14),
    });
    this.dashboard.addWidgets(freshness, trust);
    this.dashboard.addWidgets(failed, ingest);
    this.dashboard.addWidgets(apiLatency, apiErrors);
    this.dashboard.addWidgets(athenaBytes);
  }
}
