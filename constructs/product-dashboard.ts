/**
 * `ProductDashboard`: one CloudWatch dashboard per data product, from the metrics its quality runs
 * publish (`lib/quality/telemetry.ts`): the age of every latency SLA's newest value against the SLA
 * (a horizontal line at the contract's duration), the pass rate and the failed checks over time,
 * the rows scanned, the last run's figures, and the state of the product's alarms.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AgeCheck } from '../lib/quality/plan-types.js';
import { formatDuration } from '../lib/quality/plan.js';
import type { IDataProduct } from './data-product-base.js';

export interface ProductDashboardProps {
  readonly product: IDataProduct;
  /** The product's latency SLA checks (`latencyChecks(contract)`): one freshness line each. */
  readonly latencyChecks: readonly AgeCheck[];
  /**
   * Alarms whose state the dashboard shows (the SLA and error-check alarms).
   * @default - none
   */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /**
   * The dashboard's name.
   * @default `tessera-<domain>-<product>`, with characters a dashboard name may not hold replaced by `-`
   */
  readonly dashboardName?: string;
}

/** One run a day is the default schedule; a 6-hour bucket shows each run as its own point. */
const RUN_PERIOD = Duration.hours(6);

export class ProductDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ProductDashboardProps) {
    super(scope, id);
    const { product } = props;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? dashboardNameFor(`tessera-${product.domain}-${product.productId}`),
      defaultInterval: Duration.days(14),
    });
    const freshness = freshnessWidget(product, props.latencyChecks);
    const quality = new cloudwatch.GraphWidget({
      title: 'Quality: pass rate (%) and failed error-severity checks',
      width: 12,
      left: [product.metricPassRate({ period: RUN_PERIOD, label: 'pass rate (%)' })],
      right: [product.metricFailedChecks({ period: RUN_PERIOD, label: 'failed error checks' })],
      leftYAxis: { min: 0, max: 100, showUnits: false },
      rightYAxis: { min: 0, showUnits: false },
    });
    const rows = new cloudwatch.GraphWidget({
      title: 'Rows scanned per run',
      width: 12,
      left: [product.metricRowsScanned({ period: RUN_PERIOD, label: 'rows' })],
      leftYAxis: { min: 0, showUnits: false },
    });
    // The newest data point of each metric within the dashboard's time range: the last run.
    const lastRun = new cloudwatch.SingleValueWidget({
      title: 'Last run',
      width: 12,
      metrics: [
        product.metricPassRate({ period: RUN_PERIOD, label: 'pass rate (%)' }),
        product.metricFailedChecks({ period: RUN_PERIOD, label: 'failed error checks' }),
        product.metricRowsScanned({ period: RUN_PERIOD, label: 'rows scanned' }),
        ...props.latencyChecks.map((c) => product.metricDataAge(c.id, { period: RUN_PERIOD, label: `age of ${c.id} (s)` })),
      ],
    });
    this.dashboard.addWidgets(freshness, quality);
    this.dashboard.addWidgets(rows, lastRun);
    if (props.alarms && props.alarms.length > 0) this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: [...props.alarms] }));
  }
}

/** The age of every latency SLA's newest value, with a line at the SLA; a note when there is none. */
function freshnessWidget(product: IDataProduct, checks: readonly AgeCheck[]): cloudwatch.IWidget {
  if (checks.length === 0) {
    return new cloudwatch.TextWidget({ width: 12, height: 6, markdown: `### Freshness\n\nThe contract of ${product.productId} has no latency SLA, so its freshness is not measured: add \`slaProperties: [{property: latency, value: 1, unit: d, element: <table>.<column>}]\`.` });
  }
  return new cloudwatch.GraphWidget({
    title: 'Freshness: age of the newest value (seconds) against the latency SLA',
    width: 12,
    left: checks.map((c) => product.metricDataAge(c.id, { period: RUN_PERIOD, label: c.id })),
    leftAnnotations: checks.map((c) => ({ value: c.maxAgeMs / 1000, label: `SLA ${c.id}: ${formatDuration(c.maxAgeMs)}`, color: cloudwatch.Color.RED })),
    leftYAxis: { min: 0, label: 'seconds', showUnits: false },
  });
}

/** Dashboard names hold letters, digits, `-` and `_`, at most 255 characters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html). */
export function dashboardNameFor(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255);
}
