/**
 * cdk.json sets `@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard`: the catalog API's
 * access log destination is the log group's ARN without the `:*` that `LogGroup.logGroupArn`
 * carries, which is how API Gateway stores it; with the `Arn` attribute the stage shows as drifted
 * on every drift detection (aws/aws-cdk#38796, fixed behind this flag by aws/aws-cdk#38816).
 * Why the flag is set: docs/deploying.md.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { CatalogInbox } from '../../../constructs/catalog-inbox.js';
import { CatalogService } from '../../../constructs/catalog-service.js';
import { loadMeshFile } from '../../../lib/mesh/load.js';
import { cdkContext, root } from './helpers.js';

const FLAG = '@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard';

async function stageDestination(context: Record<string, unknown>): Promise<{ destination: unknown; logGroupId: string }> {
  const mesh = (await loadMeshFile(`${root}/mesh/mesh.yaml`)).mesh!;
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [], ...context }) });
  const stack = new Stack(app, 'Governance', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'tessera-test', kmsKey: key });
  const inbox = new CatalogInbox(stack, 'Inbox', { mesh: mesh.config.name, bus, key });
  const catalog = new CatalogService(stack, 'Catalog', { config: mesh.config, inbox: { queue: inbox.queue, deadLetterQueue: inbox.deadLetterQueue, key }, key, accessLogsBucket: new s3.Bucket(stack, 'Logs') });
  const stage = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage'))[0] as { Properties: { AccessLogSetting: { DestinationArn: unknown } } };
  return { destination: stage.Properties.AccessLogSetting.DestinationArn, logGroupId: stack.getLogicalId(catalog.node.findChild('ApiAccessLogs').node.defaultChild as never) };
}

describe('the catalog API access log destination', () => {
  it('is the log group ARN without the trailing :*, built from its name (the flag as cdk.json sets it)', async () => {
    expect(cdkContext()[FLAG]).toBe(true);
    const { destination, logGroupId } = await stageDestination({});
    expect(destination).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111111111111:log-group:', { Ref: logGroupId }]] });
  });

  it('was the Arn attribute, which ends in :*, without the flag', async () => {
    const { destination, logGroupId } = await stageDestination({ [FLAG]: false });
    expect(destination).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
  });
});
