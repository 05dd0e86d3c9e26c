/**
 * `GovernanceStack`: the mesh's central account, deployed last (after the foundation stack and every
 * domain). One resource link per domain to the database that domain shares by LF-tag, the consumer
 * roles Tessera creates and the consumer grants of the grant plan (`lib/access`), validated at
 * synth time, the catalog fed by the foundation stack's inbox, the mesh's views, the analysts'
 * Athena workgroup and the mesh dashboard. The account's Lake Formation settings, LF-tags and the central bus are the
 * foundation stack's.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as athena from 'aws-cdk-lib/aws-athena';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { catalogInboxDeadLetterQueueName, catalogInboxQueueName, eventsKeyAlias } from '../lib/mesh/layout.js';
import { grantAnalystQuery, importConsumerRoles } from './consumer-roles.js';
import { analyzeAccess, type AccessAnalysis } from '../lib/access/index.js';
import { formatDiagnostic } from '../lib/diagnostics.js';
import type { MeshConfig } from '../lib/mesh/config.js';
import type { MeshProduct } from '../lib/mesh/load.js';
import { serializeLakeFormationGrants } from './core/grants.js';
import { emitDomainAccess } from './governance-group-stack.js';
import { constructIdFor } from './core/ids.js';
import { dataRemovalPolicy } from './core/removal.js';
import { AccessRequests } from './access-requests.js';
import { CatalogService } from './catalog-service.js';
import { CatalogSite, type CatalogSiteProps } from './catalog-site.js';
import { AccessLogsBucket } from './data-product.js';
import { MeshDashboard } from './mesh-dashboard.js';
import { MeshQuery } from './mesh-query.js';
import { MeshViews } from './mesh-views.js';
import { connectorArn, FederatedCatalog } from './federated-source.js';
import type { DescribedView } from '../lib/views/describe.js';

import type { ViewColumnLineage } from '../lib/lineage/model.js';
import { describedViewLineage, meshLineageEvents } from '../lib/lineage/openlineage/mesh.js';

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
  /**
   * Every view of the mesh, when `views` are only those of governance group 1: their audience gets
   * DESCRIBE on the views database here.
   * @default - `views`
   */
  readonly allViews?: readonly DescribedView[];
  /**
   * The web catalog behind sign-in (docs/web-catalog.md): the organization's SAML identity provider and a sign-in domain prefix.
   * @default - no web catalog; the catalog API and the CLI only
   */
  readonly catalogSite?: Pick<CatalogSiteProps, 'samlMetadata' | 'signInDomainPrefix' | 'webAclArn' | 'assets'>;
  /**
   * The column lineage of the mesh's views, derived from their SQL (lib/lineage/columns.ts): each
   * becomes an OpenLineage event in the catalog, beside the product lineage from input ports.
   * @default - none: only the products' input ports make lineage events
   */
  readonly viewLineage?: readonly ViewColumnLineage[];
  /**
   * The time of the mesh's lineage events (ISO 8601). A fixed value keeps the template unchanged
   * between synths; a new value rewrites every lineage item at the next deploy.
   * @default - the day of synthesis (midnight UTC): the items change at most once a day
   */
  readonly lineageEventTime?: string;
  /**
   * The domains whose resource links and grants this stack holds (governance group 1); the others'
   * are in `GovernanceGroupStack`s (constructs/governance-group-stack.ts).
   * @default - every domain of the mesh
   */
  readonly domains?: readonly string[];
}

export class GovernanceStack extends Stack {
  readonly key: kms.Key;
  /** The consumer roles Tessera creates (`createRole: true`), by ARN. */
  readonly consumerRoles: ReadonlyMap<string, iam.IRole>;
  /** Resource-link databases by domain name (of this stack's domains), named like the domain's own database. */
  readonly resourceLinks: ReadonlyMap<string, glue.CfnDatabase>;
  /** The analysts' query setup: workgroup, results, spend alarm. */
  readonly query: MeshQuery;
  readonly analystWorkGroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;
  /** The access model, its matrix and the grant plan this stack emits its part of. */
  readonly access: AccessAnalysis;
  /** The catalog: publication and quality events in, an IAM-authorized read API out. */
  readonly catalog: CatalogService;
  /** Access requests: asked and decided through the catalog API, granted for a time. */
  readonly accessRequests: AccessRequests;
  /** The web catalog, when `catalogSite` is given. */
  readonly site?: CatalogSite;
  /** The mesh's views in the central views database. */
  readonly views: MeshViews;
  /** Athena data catalogs of the domains' federated sources, by source name. */
  readonly federatedCatalogs: ReadonlyMap<string, FederatedCatalog>;
  /** The mesh's health across products and accounts (`MeshDashboard`). */
  readonly dashboard: MeshDashboard;

  constructor(scope: Construct, id: string, props: GovernanceStackProps) {
    super(scope, id, { description: `Tessera data mesh '${props.config.name}': governance`, ...props });
    const { config } = props;
    const removalPolicy = dataRemovalPolicy(this);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Tessera governance of mesh ${config.name}`, removalPolicy });

    // The account's Lake Formation settings and LF-tags are the foundation stack's (deployed first).
    this.access = props.access ?? analyzeAccess({ config, products: props.products });

    this.node.addValidation({
      validate: () => this.access.diagnostics.filter((d) => d.severity === 'error').map((d) => `grant graph: ${formatDiagnostic(d)}`),
    });
    // Lake Formation refuses grants to a principal that does not exist yet: the roles Tessera
    // creates are the foundation stack's, which deploys first.
    this.consumerRoles = importConsumerRoles(this, config);
    // Resource links and consumer grants of the domains of governance group 1 (every domain unless
    // the caller says otherwise; constructs/governance-group-stack.ts has the rule).
    const held = new Set(props.domains ?? config.domains.map((d) => d.name));
    const links = emitDomainAccess(this, config, this.access, held, true);
    this.resourceLinks = links;

    // The catalog reads the inbox of the foundation stack, found by its fixed names.
    const inbox = {
      queue: sqs.Queue.fromQueueArn(this, 'CatalogInbox', this.formatArn({ service: 'sqs', resource: catalogInboxQueueName(config.name) })),
      deadLetterQueue: sqs.Queue.fromQueueArn(this, 'CatalogInboxDeadLetters', this.formatArn({ service: 'sqs', resource: catalogInboxDeadLetterQueueName(config.name) })),
      key: kms.Alias.fromAliasName(this, 'EventsKey', eventsKeyAlias(config.name)),
    };

    const logs = new AccessLogsBucket(this, 'AccessLogs', { removalPolicy });
    this.catalog = new CatalogService(this, 'Catalog', { config, inbox, key: this.key, accessLogsBucket: logs.bucket, meshLineage: meshLineageOf(props) });
    this.accessRequests = new AccessRequests(this, 'AccessRequests', { config, api: this.catalog.api, apiCallers: this.catalog.meshCallers, catalogTable: this.catalog.table, key: this.key, links, domains: held });
    if (props.catalogSite) this.site = new CatalogSite(this, 'CatalogSite', { ...props.catalogSite, mesh: config.name, api: this.catalog.api, accessLogsBucket: logs.bucket, removalPolicy });

    this.query = new MeshQuery(this, 'Query', {
      workGroupName: `tessera-${config.name}-analysts`,
      key: this.key,
      accessLogsBucket: logs.bucket,
      bytesScannedCutoffPerQuery: props.analystBytesScannedCutoffPerQuery,
    });
    this.analystWorkGroup = this.query.workGroup;
    for (const [arn, role] of this.consumerRoles) grantAnalystQuery(this, `Query${constructIdFor(arn.split('/').pop()!)}`, role, this.query, this.key);
    this.resultsBucket = this.query.resultsBucket;

    // The views of governance group 1; DESCRIBE on the views database for every view's audience.
    const describers = [...new Set((props.allViews ?? props.views ?? []).flatMap((v) => v.view.audience))];
    this.views = new MeshViews(this, 'Views', { mesh: config.name, views: props.views ?? [], consumers: config.consumers, dependsOn: [...links.values()], describers });
    const catalogs = new Map<string, FederatedCatalog>();
    for (const domain of config.domains) {
      for (const source of domain.federated) {
        catalogs.set(source.name, new FederatedCatalog(this, `Federated${constructIdFor(source.name)}`, { source, functionArn: connectorArn(config.name, source.name, domain.account, config.region) }));
      }
    }
    this.federatedCatalogs = catalogs;

    this.dashboard = new MeshDashboard(this, 'Dashboard', { config, products: props.products, catalog: this.catalog });

    serializeLakeFormationGrants(this);
    new CfnOutput(this, 'CatalogApiUrl', { description: 'The catalog API (IAM-authorized, SigV4)', value: this.catalog.api.url });
    if (this.site) new CfnOutput(this, 'CatalogSiteUrl', { description: 'The web catalog (sign-in through the organization)', value: this.site.url });
    new CfnOutput(this, 'CatalogTableName', { description: 'The catalog table', value: this.catalog.table.tableName });
    new CfnOutput(this, 'AnalystWorkGroupName', { description: 'The Athena workgroup analysts query the mesh in', value: this.analystWorkGroup.name });
  }
}

/** The mesh's structural lineage events, from the products' input ports and the views' column lineage. */
function meshLineageOf(props: GovernanceStackProps) {
  return meshLineageEvents({
    mesh: props.config.name,
    region: props.config.region,
    at: props.lineageEventTime ?? `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`,
    products: props.products,
    views: describedViewLineage(props.viewLineage ?? [], props.allViews ?? props.views ?? []),
  });
}
