/**
 * `GovernanceStack`: the mesh's central account. Lake Formation settings (admins appended, never
 * replaced; no IAM-allowed-principals defaults; cross-account version 4), the LF-tag ontology, one
 * resource link per domain to the database that domain shares by LF-tag, the central EventBridge
 * bus the domains publish Tessera events to (and nothing else), the catalog those events feed, the
 * analysts' Athena workgroup, and the consumer grants of the grant plan (`lib/access`), validated at
 * synth time.
 */
import { Aws, CfnOutput, Stack, type CfnResource, type StackProps } from 'aws-cdk-lib';
import type * as athena from 'aws-cdk-lib/aws-athena';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { centralBusName, databaseNameFor } from '../lib/glue/names.js';
import { analyzeAccess, stepIds, type AccessAnalysis } from '../lib/access/index.js';
import { formatDiagnostic } from '../lib/diagnostics.js';
import type { MeshConfig } from '../lib/mesh/config.js';
import type { MeshProduct } from '../lib/mesh/load.js';
import { emitPermissionSteps, permissionSteps, serializeLakeFormationGrants } from './core/grants.js';
import { constructIdFor } from './core/ids.js';
import { dataRemovalPolicy } from './core/removal.js';
import { CatalogService } from './catalog-service.js';
import { AccessLogsBucket } from './data-product.js';
import { MeshQuery } from './mesh-query.js';
import { MeshViews } from './mesh-views.js';
import { connectorArn, FederatedCatalog } from './federated-source.js';
import type { DescribedView } from '../lib/views/describe.js';
import { CLASSIFICATION_TAG, DOMAIN_TAG, LakeFormationSetup } from './lake-formation.js';

export { ATHENA_MIN_CUTOFF_BYTES } from './mesh-query.js';

export interface GovernanceStackProps extends StackProps {
  readonly config: MeshConfig;
  /** The mesh's products: what the consumer grants reach and how their columns are tagged. */
  readonly products: readonly MeshProduct[];
  /**
   * The access analysis of the mesh, when the caller has it already.
   * @default - computed from config and products
   */
  readonly access?: AccessAnalysis;
  /**
   * Per-query scan cutoff of the analysts' workgroup, in bytes (at least 10 MB).
   * @default 100 GB
   */
  readonly analystBytesScannedCutoffPerQuery?: number;
  /**
   * The mesh's cross-product views, as `loadMeshFile` checked and described them.
   * @default - no views
   */
  readonly views?: readonly DescribedView[];
}

export class GovernanceStack extends Stack {
  readonly key: kms.Key;
  readonly lakeFormation: LakeFormationSetup;
  readonly bus: events.EventBus;
  /** Resource-link databases by domain name, named like the domain's own database. */
  readonly resourceLinks: ReadonlyMap<string, glue.CfnDatabase>;
  /** The analysts' query setup: workgroup, results, spend alarm. */
  readonly query: MeshQuery;
  readonly analystWorkGroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;
  /** The access model, its matrix and the grant plan this stack emits its part of. */
  readonly access: AccessAnalysis;
  /** The catalog: publication and quality events in, an IAM-authorized read API out. */
  readonly catalog: CatalogService;
  /** The mesh's views in the central views database. */
  readonly views: MeshViews;
  /** Athena data catalogs of the domains' federated sources, by source name. */
  readonly federatedCatalogs: ReadonlyMap<string, FederatedCatalog>;

  constructor(scope: Construct, id: string, props: GovernanceStackProps) {
    super(scope, id, { description: `Tessera data mesh '${props.config.name}': governance`, ...props });
    const { config } = props;
    const removalPolicy = dataRemovalPolicy(this);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Tessera governance of mesh ${config.name}`, removalPolicy });

    this.lakeFormation = new LakeFormationSetup(this, 'LakeFormation', {
      domains: config.domains.map((d) => d.name),
      classifications: config.classifications,
      admins: config.governance.admins,
    });

    // One resource link per domain, named like the domain's database, so analysts write
    // `orders.order_lines` in the governance account exactly as in the domain.
    const links = new Map<string, glue.CfnDatabase>();
    const emitted = new Map<string, CfnResource>([
      [stepIds.admins(config.governance.account), this.lakeFormation.settings],
      [stepIds.tag(config.governance.account, DOMAIN_TAG), this.lakeFormation.domainTag],
      [stepIds.tag(config.governance.account, CLASSIFICATION_TAG), this.lakeFormation.classificationTag],
    ]);
    for (const domain of config.domains) {
      const name = databaseNameFor(domain.name);
      const link = new glue.CfnDatabase(this, `Link${constructIdFor(domain.name)}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseInput: { name, targetDatabase: { catalogId: domain.account, databaseName: name } },
      });
      link.addResourceDependency(this.lakeFormation.settings);
      // Untagged: consumers get DESCRIBE on the link by name (see lib/access/plan.ts for why).
      links.set(domain.name, link);
    }
    this.resourceLinks = links;

    // Consumer grants: the governance account's part of the grant plan, in plan order, each with
    // its dependencies inside this stack (steps in domain accounts deploy first: stack dependency).
    this.access = props.access ?? analyzeAccess({ config, products: props.products });
    this.node.addValidation({
      validate: () => this.access.diagnostics.filter((d) => d.severity === 'error').map((d) => `grant graph: ${formatDiagnostic(d)}`),
    });
    const consumerSteps = permissionSteps(this.access.plan.steps, config.governance.account, 'consumer');
    emitPermissionSteps(this, consumerSteps, emitted);
    // A grant on a resource link names it, so it must wait for the link.
    const linksByDatabase = new Map(config.domains.map((d) => [databaseNameFor(d.name), links.get(d.name)!]));
    for (const step of consumerSteps) {
      if (step.resource.type !== 'database' || step.resource.catalog !== config.governance.account) continue;
      const link = linksByDatabase.get(step.resource.database);
      if (link) emitted.get(step.id)!.addResourceDependency(link);
    }

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: centralBusName(config.name), kmsKey: this.key });
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DomainsPublishTesseraEvents',
        principals: config.domains.map((d) => new iam.AccountPrincipal(d.account)),
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        // Only Tessera's own event sources: a domain cannot use the bus for anything else.
        conditions: { StringLike: { 'events:source': ['tessera.*'] } },
      }),
    );
    // No key statement for the domain accounts: EventBridge encrypts and decrypts a bus's events
    // itself, as events.amazonaws.com, under the statement CDK adds for this bus (aws:SourceArn and
    // the bus's encryption context); senders only need events:PutEvents
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-key-policy.html).

    const logs = new AccessLogsBucket(this, 'AccessLogs', { removalPolicy });
    this.catalog = new CatalogService(this, 'Catalog', { config, bus: this.bus, key: this.key, accessLogsBucket: logs.bucket });

    this.query = new MeshQuery(this, 'Query', {
      workGroupName: `tessera-${config.name}-analysts`,
      key: this.key,
      accessLogsBucket: logs.bucket,
      bytesScannedCutoffPerQuery: props.analystBytesScannedCutoffPerQuery,
    });
    this.analystWorkGroup = this.query.workGroup;
    this.resultsBucket = this.query.resultsBucket;

    this.views = new MeshViews(this, 'Views', { mesh: config.name, views: props.views ?? [], consumers: config.consumers, dependsOn: [this.lakeFormation.settings] });
    const catalogs = new Map<string, FederatedCatalog>();
    for (const domain of config.domains) {
      for (const source of domain.federated) {
        catalogs.set(source.name, new FederatedCatalog(this, `Federated${constructIdFor(source.name)}`, { source, functionArn: connectorArn(config.name, source.name, domain.account, config.region) }));
      }
    }
    this.federatedCatalogs = catalogs;

    serializeLakeFormationGrants(this);
    new CfnOutput(this, 'CentralBusArn', { description: 'Where domains publish Tessera events', value: this.bus.eventBusArn });
    new CfnOutput(this, 'CatalogApiUrl', { description: 'The catalog API (IAM-authorized, SigV4)', value: this.catalog.api.url });
    new CfnOutput(this, 'CatalogTableName', { description: 'The catalog table', value: this.catalog.table.tableName });
    new CfnOutput(this, 'AnalystWorkGroupName', { description: 'The Athena workgroup analysts query the mesh in', value: this.analystWorkGroup.name });
  }
}

