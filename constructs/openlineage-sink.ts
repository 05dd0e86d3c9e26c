/**
 * `OpenLineageSink`: forwards the catalog's OpenLineage events to an OpenLineage HTTP endpoint
 * (Marquez and others): a KMS-encrypted queue the catalog sends each event to, a Lambda that POSTs
 * them (lambdas/lineage/http-sink.ts) with partial batch responses, and a dead-letter queue after
 * five receives, alarmed by the catalog like its inbox's.
 */
import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './core/compliance.js';
import { tesseraFunction } from './core/functions.js';

const SINK_TIMEOUT = Duration.seconds(30);

export interface OpenLineageSinkProps {
  /** The endpoint events are POSTed to, e.g. `https://marquez.example.com/api/v1/lineage`. */
  readonly url: string;
  /** Encrypts the queues and the function's logs. */
  readonly key: kms.IKey;
}

export class OpenLineageSink extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: OpenLineageSinkProps) {
    super(scope, id);
    const encryption = { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.key, enforceSSL: true, retentionPeriod: Duration.days(14) };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', encryption);
    // Six times the function timeout, as Lambda's SQS guide advises for the visibility timeout.
    this.queue = new sqs.Queue(this, 'Events', { ...encryption, visibilityTimeout: Duration.seconds(SINK_TIMEOUT.toSeconds() * 6), deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 } });
    this.function = tesseraFunction(this, 'Function', { handler: 'lineage/http-sink-handler', timeout: SINK_TIMEOUT, key: props.key, service: 'tessera-lineage-sink', environment: { OPENLINEAGE_URL: props.url } });
    this.function.addEventSource(new lambdaEventSources.SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }));

    acknowledge(this.function, 'The sink calls the configured OpenLineage endpoint and AWS service endpoints only; VPC placement is a per-account network choice', 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
    acknowledge(this.function, 'Its asynchronous path is the SQS queue, whose redrive policy dead-letters a message after five failed receives', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
    acknowledge(this.function, 'The SQS event source’s maximum concurrency (2) bounds it, and the load on the endpoint', 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency');
    acknowledge(this.function, 'The basic execution policy is the AWS managed policy for writing the function’s own logs', 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]');
    const policy = this.function.role!.node.findChild('DefaultPolicy');
    acknowledge(policy, 'X-Ray trace segments have no resource-level permissions', 'AwsSolutions-IAM5[Resource::*]');
    acknowledge(policy, 'CDK grants attach least-privilege statements inline to the role they serve', 'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy');
  }

  /** Lets `grantee` send events to the sink's queue. */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantSendMessages(grantee);
  }
}
