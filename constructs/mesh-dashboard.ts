/**
 * `MeshDashboard`: the mesh's health on one CloudWatch dashboard in the governance account.
 * Per product: the age of its newest data against its latency SLA, its trust score (the catalog's,
 * `lib/catalog/trust.ts`), its failed error-severity checks; then the catalog: ingest lag (age of
 * the oldest message in the inbox) and dead letters, API latency and 4xx/5xx; and the bytes Athena
 * scanned per workgroup (the analysts' and every domain's quality workgroup).
 *
 * Cross-account: the quality metrics and the quality workgroups' Athena metrics live in the domain
 * accounts, so each such metric names its `account` (the dashboard JSON's `accountId`). CloudWatch
 * shows them only when the governance account may read the domains' metrics: either CloudWatch
 * cross-account observability, with the governance account as the monitoring account and every
 * domain account linked to it as a source account sharing metrics
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Unified-Cross-Account.html),
 * or the older cross-account cross-Region console sharing, where each domain account grants the
 * governance account the `CloudWatch-CrossAccountSharingRole` and the governance account enables
 * cross-account viewing (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Cross-Account-Cross-Region.html).
 * Tessera creates neither: both are account-wide choices of the organization (docs/observability.md).
 * Without them the widgets of other accounts are empty, not wrong.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CATALOG_DIMENSION, CATALOG_METRIC, CATALOG_METRIC_NAMESPACE, CATALOG_SERVICE_NAME, SERVICE_DIMENSION } from '../lib/catalog/telemetry.js';
import type { MeshConfig } from '../lib/mesh/config.js';
import { qualityWorkGroupName } from '../lib/mesh/layout.js';
import type { MeshProduct } from '../lib/mesh/load.js';
import { formatDuration } from '../lib/quality/plan.js';
import { latencyChecks } from '../lib/quality/sla-alarm.js';
import { QUALITY_DIMENSION, QUALITY_METRIC } from '../lib/quality/telemetry.js';
import type { CatalogService } from './catalog-service.js';
import { qualityMetricOf } from './data-product-base.js';
import { dashboardNameFor } from './product-dashboard.js';

export interface MeshDashboardProps {
  readonly config: MeshConfig;
  readonly products: readonly MeshProduct[];
  readonly catalog: CatalogService;
  /** The analysts' Athena workgroup (in this account). */
  readonly analystWorkGroupName: string;
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

export class MeshDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MeshDashboardProps) {
    super(scope, id);
    const { config, catalog } = props;
    const here = Stack.of(this).account;
    const accountOf = new Map(config.domains.map((d) => [d.name, d.account]));
    const inDomain = (domain: string): cloudwatch.MetricOptions => ({ account: accountOf.get(domain) ?? here, region: config.region });

    const ages = props.products.flatMap((p) => latencyChecks(p.contract).map((c) => ({ product: p, check: c })));
    // One line per distinct SLA: products sharing an SLA share its line.
    const slas = [...new Set(ages.map((a) => a.check.maxAgeMs))].sort((a, b) => a - b);
    const freshness = new cloudwatch.GraphWidget({
      title: 'Freshness: age of the newest value (seconds) per product, against the latency SLAs',
      width: 12,
      left: ages.map(({ product, check }) => qualityMetricOf(product.contract.id, QUALITY_METRIC.dataAge, { [QUALITY_DIMENSION.check]: check.id.slice(0, 255) }, { ...inDomain(product.domain), period: RUN_PERIOD, label: `${product.contract.id} ${check.id}` })),
      leftAnnotations: slas.map((ms) => ({ value: ms / 1000, label: `SLA ${formatDuration(ms)}`, color: cloudwatch.Color.RED })),
      leftYAxis: { min: 0, label: 'seconds', showUnits: false },
    });
    const trust = new cloudwatch.GraphWidget({
      title: 'Trust score per product (0..100)',
      width: 12,
      left: props.products.map((p) =>
        new cloudwatch.Metric({
          namespace: CATALOG_METRIC_NAMESPACE,
          metricName: CATALOG_METRIC.trustScore,
          dimensionsMap: { [SERVICE_DIMENSION]: CATALOG_SERVICE_NAME, [CATALOG_DIMENSION.domain]: p.domain, [CATALOG_DIMENSION.product]: p.contract.id },
          statistic: 'Minimum',
          period: RUN_PERIOD,
          label: p.contract.id,
        }),
      ),
      leftYAxis: { min: 0, max: 100, showUnits: false },
    });
    const failed = counts(
      'Failed error-severity checks per product',
      props.products.map((p) => qualityMetricOf(p.contract.id, QUALITY_METRIC.failedErrorChecks, {}, { ...inDomain(p.domain), period: RUN_PERIOD, label: p.contract.id })),
    );
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
    // ProcessedBytes by WorkGroup alone, as the analysts' spend alarm reads it (constructs/mesh-query.ts).
    const scanned = (workGroup: string, options: cloudwatch.MetricOptions): cloudwatch.Metric =>
      new cloudwatch.Metric({ namespace: 'AWS/Athena', metricName: 'ProcessedBytes', dimensionsMap: { WorkGroup: workGroup }, statistic: 'Sum', period: Duration.days(1), label: workGroup, ...options });
    const athenaBytes = new cloudwatch.GraphWidget({
      title: 'Athena bytes scanned per workgroup and day',
      width: 24,
      left: [scanned(props.analystWorkGroupName, {}), ...config.domains.map((d) => scanned(qualityWorkGroupName(d.name), inDomain(d.name)))],
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
