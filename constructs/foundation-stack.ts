/**
 * `FoundationStack`: the first stack of a mesh, in the governance account. It holds what the domain
 * stacks reach while they deploy, so it must exist before any of them: the central EventBridge bus
 * (with its key and its policy letting the domain accounts put Tessera events), and the catalog
 * inbox that keeps every publication until the catalog's ingest, deployed last with the
 * governance stack, reads it. It also owns the governance account's Lake Formation settings and
 * LF-tags (one owner per account, `lib/mesh/layout.ts`), so that a domain living in the governance
 * account finds them in place. And it creates the consumer roles the mesh marks `createRole: true`:
 * the domain stacks name them while they deploy (a federated connector's invoke permission and
 * spill-bucket policy), and Lambda and S3 refuse a policy naming a role that does not exist yet.
 *
 * Names here are derived from the mesh config (`centralBusName`, `catalogInboxQueueName`,
 * `eventsKeyAlias`), never exported: other accounts cannot import CloudFormation exports.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { analyzeAccess, type AccessAnalysis } from '../lib/access/index.js';
import { centralBusName } from '../lib/glue/names.js';
import type { MeshConfig } from '../lib/mesh/config.js';
import type { MeshProduct } from '../lib/mesh/load.js';
import { eventsKeyAlias } from '../lib/mesh/layout.js';
import { CatalogInbox } from './catalog-inbox.js';
import { createConsumerRoles } from './consumer-roles.js';
import { accountLakeFormation } from './core/grants.js';
import { allowLogGroupEncryption } from './core/keys.js';
import { dataRemovalPolicy } from './core/removal.js';
import type { LakeFormationSetup } from './lake-formation.js';

export interface FoundationStackProps extends StackProps {
  readonly config: MeshConfig;
  /** The mesh's products (for the grant plan, when `access` is not given). */
  readonly products: readonly MeshProduct[];
  /**
   * The access analysis of the mesh: the governance account's admins and LF-tags come from its plan.
   * @default - computed from config and products
   */
  readonly access?: AccessAnalysis;
}

export class FoundationStack extends Stack {
  /** Encrypts the bus and the catalog inbox; alias `eventsKeyAlias(mesh)`. */
  readonly key: kms.Key;
  readonly bus: events.EventBus;
  readonly inbox: CatalogInbox;
  /** The governance account's Lake Formation settings and LF-tags. */
  readonly lakeFormation: LakeFormationSetup;
  /** The consumer roles Tessera creates, by ARN. */
  readonly consumerRoles: ReadonlyMap<string, iam.Role>;

  constructor(scope: Construct, id: string, props: FoundationStackProps) {
    super(scope, id, { description: `Tessera data mesh '${props.config.name}': foundation (central bus, catalog inbox, Lake Formation settings)`, ...props });
    const { config } = props;
    const access = props.access ?? analyzeAccess({ config, products: props.products });
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: `Tessera mesh ${config.name}: the central bus and the catalog inbox`,
      alias: eventsKeyAlias(config.name),
      removalPolicy: dataRemovalPolicy(this),
    });
    // The Lake Formation function's log group.
    allowLogGroupEncryption(this.key);

    this.lakeFormation = accountLakeFormation(this, access.plan.steps, config.governance.account, { mesh: config.name, key: this.key }).setup;

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
    this.consumerRoles = createConsumerRoles(this, config);
    // Construct id `Catalog`: the queues and rule keep the logical ids they had in the governance stack.
    this.inbox = new CatalogInbox(this, 'Catalog', { mesh: config.name, bus: this.bus, key: this.key });

    new CfnOutput(this, 'CentralBusArn', { description: 'Where domains publish Tessera events', value: this.bus.eventBusArn });
    new CfnOutput(this, 'CatalogInboxUrl', { description: 'Catalog events waiting for the catalog ingest', value: this.inbox.queue.queueUrl });
  }
}
