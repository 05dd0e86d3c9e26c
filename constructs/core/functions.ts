/**
 * Every Tessera Lambda the same way: Node 24 on ARM, bundled as ESM by the local esbuild (no
 * Docker), minified with source maps, an encrypted log group of its own, X-Ray tracing.
 */
import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { dataRemovalPolicy } from './removal.js';

export const LAMBDA_BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  target: 'node24',
  sourceMap: true,
  minify: true,
  // ESM bundles still meet CommonJS dependencies that call require().
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // Only the local engine uses these; Lambda never loads them.
  externalModules: ['@duckdb/node-api', '@polyglot-sql/sdk'],
  // esbuild's size summary on every synth is noise (`cdk synth -q` should be quiet); its warnings
  // and errors still print. The one "Bundling asset ..." line per function is aws-cdk-lib's own.
  logLevel: nodejs.LogLevel.WARNING,
};

export interface TesseraFunctionProps {
  /** The handler's source file. */
  readonly entry: string;
  readonly timeout: Duration;
  /** Encrypts the function's log group. */
  readonly key: kms.IKey;
  /** POWERTOOLS_SERVICE_NAME, e.g. `tessera-quality`. */
  readonly service: string;
  /**
   * The function's role; it is granted writing to the function's log group (and nothing else).
   * @default - CDK's default role
   */
  readonly role?: iam.IRole;
  readonly environment?: Readonly<Record<string, string>>;
}

/** A Lambda with its own log group (`<id>Logs`), both created in `scope`. */
export function tesseraFunction(scope: Construct, id: string, props: TesseraFunctionProps): nodejs.NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: props.key, removalPolicy: dataRemovalPolicy(scope) });
  // A role of our own (not CDK's default with the managed basic policy) logs to this group only.
  if (props.role) logGroup.grantWrite(props.role);
  return new nodejs.NodejsFunction(scope, id, {
    entry: props.entry,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 1024,
    timeout: props.timeout,
    role: props.role,
    logGroup,
    tracing: lambda.Tracing.ACTIVE,
    environment: { POWERTOOLS_SERVICE_NAME: props.service, NODE_OPTIONS: '--enable-source-maps', ...props.environment },
    bundling: LAMBDA_BUNDLING,
  });
}
