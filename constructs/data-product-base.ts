/**
 * What any data product offers whoever uses it, whether this app created it (`DataProduct`) or
 * another app deployed it (`DataProduct.fromProductAttributes`): read and write grants that carry
 * everything access needs (S3, KMS, Glue and Lake Formation), and the quality metrics the product's
 * QualityService publishes.
 */
import { Annotations, Aws, Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, Dependable, type IConstruct } from 'constructs';
import { acknowledge, acknowledgeBucketGrant, grantPolicyOf } from './core/compliance.js';
import { QUALITY_DIMENSION, QUALITY_METRIC, QUALITY_METRIC_NAMESPACE } from '../lib/quality/telemetry.js';
import { constructIdFor } from './core/ids.js';

/** A data product, created in this app or deployed by another. */
export interface IDataProduct extends IConstruct {
  /** The contract id. */
  readonly productId: string;
  /** The owning domain. */
  readonly domain: string;
  readonly bucket: s3.IBucket;
  /** Key prefix of the product in `bucket`: '' or ending with '/'. */
  readonly prefix: string;
  readonly encryptionKey?: kms.IKey;
  readonly databaseName: string;
  /** The Glue table names (physical), in contract order. */
  readonly tableNames: readonly string[];
  /**
   * Lets `grantee` read the product: objects under its prefix, the key, the Glue tables and, for
   * roles, Lake Formation SELECT and DESCRIBE on every table. The grant covers all of them:
   * `grant.applyBefore(x)` makes `x` wait for the IAM policy and the Lake Formation permissions.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
  /** Like `grantRead`, to write: put and delete under the prefix, encrypt, INSERT, DELETE, DESCRIBE. */
  grantWrite(grantee: iam.IGrantable): iam.Grant;
  /** Error-severity checks that failed or could not be measured, per quality run. @default Maximum over 6 hours */
  metricFailedChecks(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** 1 when a quality check (by its id, e.g. `order_lines.order_ts.latency`) did not pass, else 0. @default Maximum over 6 hours */
  metricCheckFailed(checkId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Seconds between a run and the newest value of a latency SLA check's column. @default Maximum over 6 hours */
  metricDataAge(checkId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Share of a run's checks that passed, 0..100. @default Minimum over 6 hours */
  metricPassRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Rows a run's aggregate statements counted. @default Maximum over 6 hours */
  metricRowsScanned(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** How to refer to a product another app deployed. */
export interface DataProductAttributes {
  readonly productId: string;
  readonly domain: string;
  /** The product's bucket, with its `encryptionKey` when it has one (`s3.Bucket.fromBucketAttributes`). */
  readonly bucket: s3.IBucket;
  /** @default '' (the bucket root) */
  readonly prefix?: string;
  /** @default - the bucket's `encryptionKey` */
  readonly encryptionKey?: kms.IKey;
  readonly databaseName: string;
  readonly tableNames: readonly string[];
  /**
   * The account whose Glue Data Catalog holds the tables.
   * @default - this stack's account
   */
  readonly catalogId?: string;
}

const READ_GLUE = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'];

export abstract class DataProductBase extends Construct implements IDataProduct {
  abstract readonly productId: string;
  abstract readonly domain: string;
  abstract readonly bucket: s3.IBucket;
  abstract readonly prefix: string;
  abstract readonly encryptionKey?: kms.IKey;
  abstract readonly databaseName: string;
  abstract readonly tableNames: readonly string[];
  /** The account of the Glue Data Catalog holding the tables. */
  protected abstract readonly catalogId: string;
  /** What Lake Formation permissions wait for (the account's data lake settings), if anything. */
  protected lakeFormationDependencies(): IConstruct[] {
    return [];
  }

  grantRead(grantee: iam.IGrantable): iam.Grant {
    const storage = this.bucket.grantRead(grantee, `${this.prefix}*`);
    return this.grantWhole(grantee, storage, this.encryptionKey?.grantDecrypt(grantee), READ_GLUE, 'Read', ['SELECT', 'DESCRIBE']);
  }

  grantWrite(grantee: iam.IGrantable): iam.Grant {
    const storage = this.bucket.grantReadWrite(grantee, `${this.prefix}*`);
    return this.grantWhole(grantee, storage, this.encryptionKey?.grantEncryptDecrypt(grantee), [...READ_GLUE, 'glue:BatchCreatePartition'], 'Write', ['INSERT', 'DELETE', 'DESCRIBE']);
  }

  metricFailedChecks(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.qualityMetric(QUALITY_METRIC.failedErrorChecks, {}, props);
  }

  metricCheckFailed(checkId: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    // CloudWatch dimension values are at most 255 characters; the handler cuts check ids there too.
    return this.qualityMetric(QUALITY_METRIC.checkFailed, { [QUALITY_DIMENSION.check]: checkId.slice(0, 255) }, props);
  }

  metricDataAge(checkId: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.qualityMetric(QUALITY_METRIC.dataAge, { [QUALITY_DIMENSION.check]: checkId.slice(0, 255) }, props);
  }

  metricPassRate(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    // The worst run of a period is the one to see.
    return this.qualityMetric(QUALITY_METRIC.passRate, {}, { statistic: 'Minimum', ...props });
  }

  metricRowsScanned(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.qualityMetric(QUALITY_METRIC.rowsScanned, {}, props);
  }

  private qualityMetric(metricName: string, dimensions: Record<string, string>, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return qualityMetricOf(this.productId, metricName, dimensions, props);
  }

  /**
   * One grant for S3, KMS, Glue and Lake Formation. S3's own grant also adds the key statements but
   * returns only its own, so the key grant is asked for again (identical statements are merged).
   * Lake Formation permissions are not IAM statements: they are added to what the grant's
   * dependents wait for, so `applyBefore` orders a consumer after them.
   */
  private grantWhole(grantee: iam.IGrantable, storage: iam.Grant, key: iam.Grant | undefined, glueActions: string[], purpose: string, permissions: string[]): iam.Grant {
    acknowledgeBucketGrant(grantee, this.bucket, this.prefix);
    const stack = Stack.of(this);
    const glue = iam.Grant.addToPrincipal({
      grantee,
      actions: glueActions,
      resourceArns: [
        stack.formatArn({ service: 'glue', resource: 'catalog', account: this.catalogId }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName, account: this.catalogId }),
        ...this.tableNames.map((t) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${t}`, account: this.catalogId })),
      ],
    });
    // Lake Formation's actions have no resource types, so a statement naming resources never
    // matches them (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslakeformation.html);
    // the Lake Formation grants below decide what the vended credentials reach.
    const dataAccess = iam.Grant.addToPrincipal({ grantee, actions: ['lakeformation:GetDataAccess'], resourceArns: ['*'] });
    const policy = grantPolicyOf(grantee);
    if (policy) acknowledge(policy, 'lakeformation:GetDataAccess has no resource-level permissions; Lake Formation grants on the product tables decide what it vends', 'AwsSolutions-IAM5[Resource::*]');
    let grant = storage.combine(glue).combine(dataAccess);
    if (key) grant = grant.combine(key);
    const permissionsGranted = this.grantLakeFormation(grantee, purpose, permissions);
    if (permissionsGranted.length > 0) {
      // Read when a dependency is resolved: the IAM side's policy may be created after this call.
      const iam = Dependable.of(grant);
      Dependable.implement(grant, {
        get dependencyRoots() {
          return [...iam.dependencyRoots, ...permissionsGranted];
        },
      });
    }
    return grant;
  }

  private grantLakeFormation(grantee: iam.IGrantable, purpose: string, permissions: string[]): lakeformation.CfnPrincipalPermissions[] {
    const principal = grantee.grantPrincipal;
    const roleArn = principal instanceof iam.Role ? principal.roleArn : (principal as { roleArn?: string }).roleArn;
    if (!roleArn) {
      // Lake Formation grants to IAM users and roles; a service principal or an account reads through a role.
      Annotations.of(this).addWarningV2('@tessera/data-product:lf-grant-skipped', `grant${purpose}: the grantee is not an IAM role, so no Lake Formation permissions were granted to it`);
      return [];
    }
    const granteeId = Names.nodeUniqueId(principal instanceof Construct ? principal.node : this.node);
    return this.tableNames.map((name, i) => {
      const permission = new lakeformation.CfnPrincipalPermissions(this, `${purpose}${constructIdFor(this.tableIdOf(i))}${granteeId}`, {
        principal: { dataLakePrincipalIdentifier: roleArn },
        resource: { table: { catalogId: this.catalogId, databaseName: this.databaseName, name } },
        permissions,
        permissionsWithGrantOption: [],
      });
      for (const dependency of this.lakeFormationDependencies()) permission.node.addDependency(dependency);
      return permission;
    });
  }

  /** A stable name for the i-th table in construct ids (its logical name where known). */
  protected tableIdOf(index: number): string {
    return this.tableNames[index] ?? String(index);
  }
}

/**
 * A metric a product's quality runs publish, by product id: for whoever graphs a product it holds
 * no construct of, such as the mesh dashboard reading it from the domain's account (`account`).
 */
export function qualityMetricOf(productId: string, metricName: string, dimensions: Record<string, string>, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: QUALITY_METRIC_NAMESPACE,
    metricName,
    statistic: 'Maximum',
    period: Duration.hours(6),
    ...props,
    dimensionsMap: { [QUALITY_DIMENSION.product]: productId, ...dimensions, ...props.dimensionsMap },
  });
}

/** A product deployed by another app, known by its attributes. */
export class ImportedDataProduct extends DataProductBase {
  readonly productId: string;
  readonly domain: string;
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly encryptionKey?: kms.IKey;
  readonly databaseName: string;
  readonly tableNames: readonly string[];
  protected readonly catalogId: string;

  constructor(scope: Construct, id: string, attrs: DataProductAttributes) {
    super(scope, id);
    if (attrs.tableNames.length === 0) throw new Error(`DataProduct.fromProductAttributes ${id}: tableNames must name at least one table of '${attrs.productId}'`);
    this.productId = attrs.productId;
    this.domain = attrs.domain;
    this.bucket = attrs.bucket;
    const trimmed = (attrs.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = trimmed === '' ? '' : `${trimmed}/`;
    this.encryptionKey = attrs.encryptionKey ?? attrs.bucket.encryptionKey;
    this.databaseName = attrs.databaseName;
    this.tableNames = [...attrs.tableNames];
    this.catalogId = attrs.catalogId ?? Aws.ACCOUNT_ID;
  }
}
