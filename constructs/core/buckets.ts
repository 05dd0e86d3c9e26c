/** The settings every Tessera bucket holding data or results shares: KMS, TLS only, private, versioned, logged. */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from './compliance.js';

export function secureBucketProps(options: {
  readonly key: kms.IKey;
  readonly accessLogsBucket: s3.IBucket;
  readonly accessLogsPrefix: string;
  readonly lifecycleRules: s3.LifecycleRule[];
  readonly removalPolicy: RemovalPolicy;
}): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: options.key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    serverAccessLogsBucket: options.accessLogsBucket,
    serverAccessLogsPrefix: options.accessLogsPrefix,
    lifecycleRules: options.lifecycleRules,
    removalPolicy: options.removalPolicy,
  };
}

/**
 * A bucket for Athena query results: the secure defaults, results expired after 30 days, and the
 * replication findings acknowledged (scratch output that can be recomputed).
 */
export function athenaResultsBucket(
  scope: Construct,
  id: string,
  options: { readonly key: kms.IKey; readonly accessLogsBucket: s3.IBucket; readonly accessLogsPrefix: string; readonly removalPolicy: RemovalPolicy },
): s3.Bucket {
  const bucket = new s3.Bucket(
    scope,
    id,
    secureBucketProps({
      ...options,
      lifecycleRules: [{ id: 'expire-results', expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    }),
  );
  acknowledge(bucket, 'Athena query results are scratch output kept 30 days and recomputable; replicating them would only add cost', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled');
  return bucket;
}
