/**
 * A domain team's own CDK app with one Tessera data product: the README's example, compiled by tsc
 * and synthesized by the package test (test/integration/package-install.test.ts) as both an ES
 * module and CommonJS app, against the packed `tessera-mesh`.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AccessLogsBucket, DataProduct, QualityService } from 'tessera-mesh';

const app = new App();
const stack = new Stack(app, 'OrdersDataProducts', { env: { account: '111111111111', region: 'eu-west-1' } });

// Validated here: a contract with problems stops the synth with one error listing every finding
// at its file:line:column. Paths are relative to the folder `cdk synth` runs in.
const orderLines = DataProduct.fromContractFile(stack, 'OrderLines', 'contracts/order-lines.odcs.yaml');

// The team's pipeline writes the product: one grant for S3, KMS, Glue and Lake Formation.
const pipeline = new iam.Role(stack, 'Pipeline', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
orderLines.grantWrite(pipeline);

// The contract's quality rules and SLAs, checked daily in Athena; the results are CloudWatch metrics.
const key = new kms.Key(stack, 'QualityKey', { enableKeyRotation: true });
new QualityService(stack, 'Quality', {
  domain: orderLines.domain,
  // The Glue database DataProduct created: named after the domain.
  database: 'orders',
  products: [orderLines],
  key,
  accessLogsBucket: new AccessLogsBucket(stack, 'QualityLogs', { removalPolicy: RemovalPolicy.RETAIN }).bucket,
  centralBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/tessera-ecommerce',
});
new cloudwatch.Alarm(stack, 'OrderLinesStale', {
  metric: orderLines.metricFreshness({ period: Duration.hours(6) }),
  threshold: 0,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  evaluationPeriods: 1,
});

app.synth();
