/**
 * `CatalogInbox`: where the catalog's events wait. A rule on the central bus sends contract
 * publications and quality results to a KMS-encrypted queue that keeps them 14 days (SQS's
 * maximum), with a dead-letter queue for what EventBridge cannot deliver or the ingest fails five
 * times. It lives in the foundation stack, which deploys before any domain: a domain's deploy
 * publishes its contracts while the catalog's ingest (governance stack, deployed last) does not
 * exist yet, and the queue holds them until the ingest reads them. Queue names are fixed
 * (`lib/mesh/layout.ts`) so the governance stack finds them without a cross-stack export.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PUBLICATION_DETAIL_TYPE, PUBLICATION_SOURCE, QUALITY_SOURCE } from '../lib/catalog/publication.js';
import { catalogInboxDeadLetterQueueName, catalogInboxQueueName } from '../lib/mesh/layout.js';

/** How long SQS waits before redelivering a message the ingest received: see `CatalogService`. */
export const CATALOG_INGEST_TIMEOUT = Duration.minutes(1);

export interface CatalogInboxProps {
  /** The mesh's name: names the queues. */
  readonly mesh: string;
  /** The central bus the domains publish to. */
  readonly bus: events.IEventBus;
  /** Encrypts both queues. */
  readonly key: kms.IKey;
}

export class CatalogInbox extends Construct {
  /** Publication and quality events waiting for the catalog's ingest. */
  readonly queue: sqs.Queue;
  /** Events that could not be delivered to `queue` or were received five times without success. */
  readonly deadLetterQueue: sqs.Queue;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: CatalogInboxProps) {
    super(scope, id);
    const { key } = props;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: catalogInboxDeadLetterQueueName(props.mesh),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Events', {
      queueName: catalogInboxQueueName(props.mesh),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      // Six times the function timeout, as Lambda's SQS guide advises, so a retried batch is not
      // delivered twice while it is still being processed.
      visibilityTimeout: Duration.seconds(CATALOG_INGEST_TIMEOUT.toSeconds() * 6),
      // The maximum: publications made before the catalog's ingest is deployed wait here.
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    // For a KMS-encrypted queue, CDK grants EventBridge the queue and the key with no condition at
    // all unless this flag is set, which holds both grants to this account (aws:SourceAccount). Set
    // on a scope of its own: context can only be set on a construct before it has children.
    // The target's dead-letter queue is encrypted with the same key. EventBridge delivers to an
    // encrypted DLQ only when the queue policy lets events.amazonaws.com send for this rule and the
    // key policy lets it use the key (kms:Decrypt, kms:GenerateDataKey;
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html#eb-dlq-perms): CDK
    // adds the first for the DLQ, and the key grant covers both queues, as event-delivery.test.ts pins.
    const routing = new Construct(this, 'Routing');
    routing.node.setContext('@aws-cdk/aws-events:eventsTargetQueueSameAccount', true);
    this.rule = new events.Rule(routing, 'Rule', {
      eventBus: props.bus,
      description: `Contract publications and quality results of mesh ${props.mesh}, to the catalog`,
      eventPattern: { source: [PUBLICATION_SOURCE, QUALITY_SOURCE] },
      targets: [
        new targets.SqsQueue(this.queue, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 10,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    // The typed pattern above cannot say "publications, or anything from quality": the exact
    // pattern is an $or, which EventBridge supports and the L2 does not model, so it replaces the
    // rendered one (the typed one stays for the L2's own checks).
    (this.rule.node.defaultChild as events.CfnRule).eventPattern = {
      $or: [{ source: [PUBLICATION_SOURCE], 'detail-type': [PUBLICATION_DETAIL_TYPE] }, { source: [QUALITY_SOURCE] }],
    };
  }
}
