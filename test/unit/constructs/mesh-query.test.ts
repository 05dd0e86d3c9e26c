import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { MeshQuery } from '../../../constructs/mesh-query.js';
import { testStack } from './helpers.js';

function meshQuery(props: Partial<ConstructorParameters<typeof MeshQuery>[2]> = {}) {
  const stack = testStack();
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const logs = new s3.Bucket(stack, 'Logs');
  const query = new MeshQuery(stack, 'Query', { workGroupName: 'tessera-test-analysts', key, accessLogsBucket: logs, ...props });
  return { query, template: Template.fromStack(stack) };
}

describe('MeshQuery', () => {
  const { template } = meshQuery();

  it('enforces the workgroup configuration, KMS-encrypted results and a per-query cutoff', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'tessera-test-analysts',
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }) }),
      }),
    });
  });

  it('expires results after 30 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-results', ExpirationInDays: 30 })]) },
    });
  });

  it('alarms when the workgroup scans more than its daily budget, to an encrypted topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Athena',
      MetricName: 'ProcessedBytes',
      Dimensions: [{ Name: 'WorkGroup', Value: 'tessera-test-analysts' }],
      Statistic: 'Sum',
      Period: 86400,
      Threshold: 1024 ** 4,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [Match.anyValue()],
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it("refuses a cutoff below Athena's 10 MB minimum and a daily budget below one query", () => {
    expect(() => meshQuery({ bytesScannedCutoffPerQuery: 5 * 1024 * 1024 })).toThrow(/at least 10485760 bytes/);
    expect(() => meshQuery({ bytesScannedCutoffPerQuery: 20 * 1024 ** 3, dailyBytesScannedAlarm: 1024 ** 3 })).toThrow(/below the per-query cutoff/);
  });
});
