/**
 * The example mesh's dashboards and SLA alarms, asserted on the synthesized templates with values
 * written by hand: the dashboard body is a JSON string holding tokens, so it is joined and parsed
 * (`joinedJson`) and its widgets' metrics, dimensions and annotations compared literally.
 *
 * Every example contract's latency SLA is `2 d` = 2 × 86400 = 172800 s: the alarm threshold and
 * the dashboards' annotation; a 2-day window is two one-day (86400 s) periods that must both breach.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataProduct } from '../../../constructs/data-product.js';
import { ProductDashboard } from '../../../constructs/product-dashboard.js';
import { exampleMeshStacks, testStack } from './helpers.js';
import { joinedJson } from './template-json.js';

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly view?: string;
    readonly metrics?: unknown[][];
    readonly annotations?: { readonly horizontal?: { value: number; label: string; yAxis: string }[] };
    readonly alarms?: string[];
  };
}

let orders: Template;
let governance: Template;

beforeAll(async () => {
  const { stacks } = await exampleMeshStacks();
  orders = Template.fromStack(stacks.domains.get('orders')!);
  governance = Template.fromStack(stacks.governance);
}, 300_000);

type Resource = { readonly Properties: Record<string, unknown> };

function alarmsOf(template: Template, properties: Record<string, unknown>): Resource[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: properties })) as Resource[];
}

function dashboard(template: Template, name: string): Widget[] {
  const found = Object.values(template.findResources('AWS::CloudWatch::Dashboard', { Properties: { DashboardName: name } })) as Resource[];
  expect(found, `dashboard ${name}`).toHaveLength(1);
  return (joinedJson(found[0]!.Properties.DashboardBody) as { widgets: Widget[] }).widgets;
}

function widget(widgets: Widget[], title: string): Widget {
  const found = widgets.find((w) => w.properties.title?.startsWith(title));
  expect(found, `widget '${title}' among ${widgets.map((w) => w.properties.title).join(' | ')}`).toBeDefined();
  return found!;
}

describe('the SLA alarm of a product (order-lines: latency 2 d on order_lines.order_date)', () => {
  it('alarms on DataAge above 172800 s over two one-day periods, missing data breaching', () => {
    const alarms = alarmsOf(orders, { MetricName: 'DataAge', Dimensions: [{ Name: 'Check', Value: 'order_lines.order_date.latency' }, { Name: 'Product', Value: 'order-lines' }] });
    expect(alarms).toHaveLength(1);
    const p = alarms[0]!.Properties;
    expect({ ns: p.Namespace, stat: p.Statistic, period: p.Period, n: p.EvaluationPeriods, m: p.DatapointsToAlarm, threshold: p.Threshold, op: p.ComparisonOperator, missing: p.TreatMissingData }).toEqual({
      ns: 'Tessera/Quality',
      stat: 'Maximum',
      period: 86400,
      n: 2,
      m: 2,
      threshold: 172800,
      op: 'GreaterThanThreshold',
      missing: 'breaching',
    });
    expect(p.AlarmActions).toHaveLength(1);
  });

  it('one SLA alarm per latency check of the domain: orders and order-lines', () => {
    const checks = alarmsOf(orders, { MetricName: 'DataAge' }).map((a) => (a.Properties.Dimensions as { Value: string }[])[0]!.Value);
    expect(checks.sort()).toEqual(['order_lines.order_date.latency', 'orders.order_date.latency']);
  });

  it('leaves the error-check alarm quiet without data: silence is the SLA alarm\'s to report', () => {
    orders.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FailedErrorChecks', Dimensions: [{ Name: 'Product', Value: 'order-lines' }], TreatMissingData: 'notBreaching', Period: 21600, Statistic: 'Maximum' });
  });
});

describe('the product dashboard (tessera-orders-order-lines)', () => {
  let widgets: Widget[];
  beforeAll(() => {
    widgets = dashboard(orders, 'tessera-orders-order-lines');
  });

  it('graphs the age of order_lines.order_date against a line at the 2-day SLA', () => {
    const w = widget(widgets, 'Freshness');
    expect(w.properties.metrics).toEqual([['Tessera/Quality', 'DataAge', 'Check', 'order_lines.order_date.latency', 'Product', 'order-lines', { label: 'order_lines.order_date.latency', period: 21600, stat: 'Maximum' }]]);
    expect(w.properties.annotations?.horizontal).toEqual([{ value: 172800, label: 'SLA order_lines.order_date.latency: 2d', color: '#d62728', yAxis: 'left' }]);
  });

  it('graphs the pass rate (worst run) and the failed error checks over time', () => {
    expect(widget(widgets, 'Quality').properties.metrics).toEqual([
      ['Tessera/Quality', 'PassRate', 'Product', 'order-lines', { label: 'pass rate (%)', period: 21600, stat: 'Minimum' }],
      ['Tessera/Quality', 'FailedErrorChecks', 'Product', 'order-lines', { label: 'failed error checks', period: 21600, stat: 'Maximum', yAxis: 'right' }],
    ]);
  });

  it('graphs the rows scanned and shows the last run as single values', () => {
    expect(widget(widgets, 'Rows scanned').properties.metrics).toEqual([['Tessera/Quality', 'RowsScanned', 'Product', 'order-lines', { label: 'rows', period: 21600, stat: 'Maximum' }]]);
    const last = widget(widgets, 'Last run');
    expect(last.properties.view).toBe('singleValue');
    expect(last.properties.metrics!.map((m) => m.slice(0, 4))).toEqual([
      ['Tessera/Quality', 'PassRate', 'Product', 'order-lines'],
      ['Tessera/Quality', 'FailedErrorChecks', 'Product', 'order-lines'],
      ['Tessera/Quality', 'RowsScanned', 'Product', 'order-lines'],
      ['Tessera/Quality', 'DataAge', 'Check', 'order_lines.order_date.latency'],
    ]);
  });

  it('shows the state of the product\'s error-check and SLA alarms', () => {
    const alarms = widget(widgets, 'Alarms').properties.alarms!;
    expect(alarms).toHaveLength(2);
    expect(alarms[0]).toMatch(/^\$\{QualityErrorChecksOrderLines[0-9A-F]{8}\.Arn\}$/);
    expect(alarms[1]).toMatch(/^\$\{QualitySlaOrderLinesOrderLinesOrderDateLatency[0-9A-F]{8}\.Arn\}$/);
  });
});

describe('the mesh dashboard (tessera-ecommerce, governance account 111111111111)', () => {
  let widgets: Widget[];
  beforeAll(() => {
    widgets = dashboard(governance, 'tessera-ecommerce');
  });

  // One SEARCH per graph, whatever the number of products (expressions written by hand from the
  // search syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html).
  it('searches every product\'s freshness (DataAge by Check and Product), against the 2-day SLA', () => {
    const w = widget(widgets, 'Freshness');
    expect(w.properties.metrics).toEqual([[{ expression: `SEARCH('{Tessera/Quality,Check,Product} MetricName="DataAge"', 'Maximum', 21600)`, period: 21600 }]]);
    expect(w.properties.annotations?.horizontal).toEqual([{ value: 172800, label: 'SLA 2d', color: '#d62728', yAxis: 'left' }]);
  });

  it('searches the catalog\'s trust score per product, with the ingest\'s service dimension', () => {
    expect(widget(widgets, 'Trust').properties.metrics).toEqual([
      [{ expression: `SEARCH('{Tessera/Catalog,Domain,Product,service} MetricName="TrustScore" service="tessera-catalog"', 'Minimum', 21600)`, period: 21600 }],
    ]);
  });

  it('searches failed error checks per product', () => {
    expect(widget(widgets, 'Failed error-severity checks').properties.metrics).toEqual([[{ expression: `SEARCH('{Tessera/Quality,Product} MetricName="FailedErrorChecks"', 'Maximum', 21600)`, period: 21600 }]]);
  });

  it('graphs the catalog ingest lag (inbox oldest message) and the dead-letter depth', () => {
    expect(widget(widgets, 'Catalog ingest').properties.metrics).toEqual([
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', 'tessera-ecommerce-catalog-inbox', { label: 'ingest lag (s)', stat: 'Maximum' }],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'tessera-ecommerce-catalog-inbox-dlq', { label: 'dead letters', stat: 'Maximum', yAxis: 'right' }],
    ]);
  });

  it('graphs the API latency and its 4xx and 5xx', () => {
    expect(widget(widgets, 'Catalog API latency').properties.metrics).toEqual([
      ['AWS/ApiGateway', 'Latency', 'ApiName', 'tessera-ecommerce-catalog', { label: 'p50', stat: 'p50' }],
      ['AWS/ApiGateway', 'Latency', 'ApiName', 'tessera-ecommerce-catalog', { label: 'p99', stat: 'p99' }],
    ]);
    expect(widget(widgets, 'Catalog API errors').properties.metrics).toEqual([
      ['AWS/ApiGateway', '4XXError', 'ApiName', 'tessera-ecommerce-catalog', { label: '4xx', stat: 'Sum' }],
      ['AWS/ApiGateway', '5XXError', 'ApiName', 'tessera-ecommerce-catalog', { label: '5xx', stat: 'Sum' }],
    ]);
  });

  it('searches Athena ProcessedBytes per workgroup and day', () => {
    expect(widget(widgets, 'Athena bytes scanned').properties.metrics).toEqual([[{ expression: `SEARCH('{AWS/Athena,WorkGroup} MetricName="ProcessedBytes"', 'Sum', 86400)`, period: 86400 }]]);
  });

  it('has a body of the same size for any number of products: no metric names a product or a domain', () => {
    const body = JSON.stringify(widgets);
    for (const name of ['customer-profiles', 'order-lines', 'stock-levels', 'shipments', 'tessera-quality-orders', '222222222222']) expect(body).not.toContain(name);
  });
});

describe('a product dashboard without a latency SLA', () => {
  it('says freshness is not measured instead of graphing nothing', () => {
    const stack = testStack();
    const product = DataProduct.fromProductAttributes(stack, 'Product', { productId: 'events', domain: 'web', bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'web-products'), databaseName: 'web', tableNames: ['events'] });
    new ProductDashboard(stack, 'Dashboard', { product, latencyChecks: [] });
    const widgets = dashboard(Template.fromStack(stack), 'tessera-web-events');
    expect(widgets[0]).toMatchObject({ type: 'text', properties: { markdown: expect.stringContaining('The contract of events has no latency SLA') as string } });
    expect(widgets.filter((w) => w.properties.title?.startsWith('Freshness'))).toEqual([]);
  });
});
