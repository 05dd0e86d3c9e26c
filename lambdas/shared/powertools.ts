/**
 * The one Logger and Tracer every handler uses (service name from POWERTOOLS_SERVICE_NAME), and the
 * Metrics of a namespace. Each handler's middy chain starts with `observed()`: the Lambda context
 * in every log line, the handler as an X-Ray subsegment.
 *
 * Tracer records only inside Lambda with active tracing (`tesseraFunction` turns it on); elsewhere
 * (tests, the CLI, the demo) it is off by itself. It brings the X-Ray SDK into every bundle, which
 * `npm run bench -- lambda-bundles` measures: +95 to +123 KiB a bundle (aws-xray-sdk-core 71 KiB,
 * cls-hooked/shimmer/emitter-listener 12, Tracer 10, and semver 29 where nothing else used it), 5 to
 * 13 % of bundles of 1.0 to 2.1 MiB that are mostly the AWS SDK. The import time (a fresh process,
 * 2 cores at load 12) rose by about 80 ms on the smallest bundle, the Lake Formation lockdown (median
 * of 9 interleaved runs 313 -> 397 ms), and is lost in the noise on the others (ratios 0.92 to 1.11
 * over two runs of 5). Kept: the lockdown runs only at deploy time, the ingest and quality handlers
 * are asynchronous, and the traces of the S3, DynamoDB, Athena and EventBridge calls are what
 * explain a slow ingest, quality run or API request; the API's cold start grows by a few percent.
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
