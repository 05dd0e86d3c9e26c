/**
 * The access-request routes' Lambda, behind the catalog API's `/access-requests` resources. It is
 * a function of its own, not the catalog's read handler, so that only this role holds the Lake
 * Formation, Scheduler and audit-table rights the flow needs; the catalog's stays read-only.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DynamoCatalogStore } from '../catalog/dynamo-store.js';
import { apiRequestOf } from '../catalog/api-handler.js';
import { httpErrors, jsonResponse } from '../catalog/http.js';
import { requireEnv } from '../shared/input.js';
import { logger } from '../shared/powertools.js';
import { catalogProducts, expiryScheduler, lakeFormationPort, snsNotifier } from './aws.js';
import { DynamoAccessStore } from './dynamo-store.js';
import type { AccessDeps } from './ports.js';
import { handleAccessRequest } from './routes.js';
import { newRequestId } from './service.js';

/** The access API's middy chain over any dependencies: AWS below, moto in tests and the demo. */
export function createAccessApiHandler(resolveDeps: () => AccessDeps) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(httpErrors())
    .handler(async (event) => {
      const result = await handleAccessRequest({ ...apiRequestOf(event), caller: event.requestContext?.identity?.userArn }, resolveDeps());
      return jsonResponse(result.status, result.body);
    });
}

/** The AWS dependencies, from the environment the construct sets. */
export function awsAccessDeps(): AccessDeps {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  return {
    store: new DynamoAccessStore(dynamo, { requests: requireEnv('ACCESS_REQUESTS_TABLE'), audit: requireEnv('ACCESS_AUDIT_TABLE') }),
    products: catalogProducts(new DynamoCatalogStore(dynamo, requireEnv('CATALOG_TABLE'))),
    lakeFormation: lakeFormationPort(new LakeFormationClient({})),
    scheduler: expiryScheduler(new SchedulerClient({}), { functionArn: requireEnv('EXPIRY_FUNCTION_ARN'), roleArn: requireEnv('SCHEDULER_ROLE_ARN'), group: process.env.SCHEDULE_GROUP, deadLetterArn: process.env.EXPIRY_DLQ_ARN }),
    notifier: snsNotifier(new SNSClient({}), requireEnv('OWNERS_TOPIC_ARN')),
    now: () => new Date(),
    newId: newRequestId,
  };
}

let deps: AccessDeps | undefined;
export const handler = createAccessApiHandler(() => (deps ??= awsAccessDeps()));
