/**
 * The one Logger and Tracer every handler uses (service name from POWERTOOLS_SERVICE_NAME), and the
 * Metrics of a namespace. Each handler's middy chain starts with `observed(...)`: the Lambda context
 * in every log line, the handler as an X-Ray subsegment.
 *
 * Tracer records only inside Lambda with active tracing (`tesseraFunction` turns it on); elsewhere
 * (tests, the CLI, the demo) it is off by itself. It brings the X-Ray SDK into every bundle, which
 * bench/lambda-bundles.ts measures: about +90 KiB and no import time to speak of next to the AWS SDK
 * clients, so it stays (traces of the S3, DynamoDB, Athena and EventBridge calls are what make a slow
 * ingest or quality run explainable).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'tessera';

export const logger = new Logger({ serviceName });
export const tracer = new Tracer({ serviceName });

/** EMF metrics in `namespace` (a constant of lib/), with the service as default dimension. */
export function metricsIn(namespace: string): Metrics {
  return new Metrics({ namespace, serviceName });
}

/** The context and tracing middlewares every handler starts with. */
export function observed(): middy.MiddlewareObj[] {
  return [injectLambdaContext(logger, { clearState: true }), captureLambdaHandler(tracer)];
}
