/**
 * Every Tessera Lambda the same way: Node 24 on ARM, bundled as ESM (no Docker), minified with
 * a source map beside it (not loaded at run time), an encrypted log group of its own, X-Ray tracing.
 *
 * Where the code comes from depends on how Tessera runs: an installed package carries each handler
 * pre-bundled in dist/assets (built by `npm run build`), used as it is; in this repository, run from
 * the TypeScript sources, the handler is bundled at synth time by the local esbuild with the same
 * options (lambda-bundling.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { assetFolderOf, LAMBDA_ESBUILD, type LambdaHandler } from './lambda-bundling.js';
import { dataRemovalPolicy } from './removal.js';

export { LAMBDA_HANDLERS, type LambdaHandler } from './lambda-bundling.js';

export const LAMBDA_BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  target: LAMBDA_ESBUILD.target,
  sourceMap: LAMBDA_ESBUILD.sourcemap,
  sourcesContent: false,
  minify: LAMBDA_ESBUILD.minify,
  mainFields: [...LAMBDA_ESBUILD.mainFields],
  banner: LAMBDA_ESBUILD.banner,
  externalModules: [...LAMBDA_ESBUILD.external],
  // Keep `cdk synth -q` quiet: esbuild prints only problems.
  logLevel: nodejs.LogLevel.WARNING,
};

/** From dist/constructs/core: dist/assets. From constructs/core (sources): <repo>/assets, absent. */
const PREBUILT_ASSETS = fileURLToPath(new URL('../../assets/', import.meta.url));
/** From constructs/core (sources): <repo>/lambdas. */
const HANDLER_SOURCES = fileURLToPath(new URL('../../lambdas/', import.meta.url));

export interface TesseraFunctionProps {
  /** The handler, as its path under lambdas/ without the extension. */
  readonly handler: LambdaHandler;
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
export function tesseraFunction(scope: Construct, id: string, props: TesseraFunctionProps): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: props.key, removalPolicy: dataRemovalPolicy(scope) });
  // A role of our own (not CDK's default with the managed basic policy) logs to this group only.
  if (props.role) logGroup.grantWrite(props.role);
  const common = {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 1024,
    timeout: props.timeout,
    role: props.role,
    logGroup,
    tracing: lambda.Tracing.ACTIVE,
    // No --enable-source-maps: Node parses the whole map at import, which cost 4-48 % of a cold
    // import in `npm run bench -- lambda-bundles` (docs/scale.md). A logged stack trace names
    // index.mjs positions; the map beside each bundle in dist/assets resolves them offline.
    environment: { POWERTOOLS_SERVICE_NAME: props.service, ...props.environment },
  };
  const prebuilt = join(PREBUILT_ASSETS, assetFolderOf(props.handler));
  if (existsSync(join(prebuilt, 'index.mjs'))) {
    // The source map stays in the package (dist/assets), for reading stack traces; Lambda never reads it.
    return new lambda.Function(scope, id, { ...common, code: lambda.Code.fromAsset(prebuilt, { exclude: ['*.map'] }), handler: 'index.handler' });
  }
  const entry = join(HANDLER_SOURCES, `${props.handler}.ts`);
  if (!existsSync(entry)) {
    throw new Error(`tessera: the Lambda code of ${props.handler} is missing: neither ${join(prebuilt, 'index.mjs')} (an installed package) nor ${entry} (the sources) exists; reinstall tessera-mesh`);
  }
  return new nodejs.NodejsFunction(scope, id, { ...common, entry, bundling: LAMBDA_BUNDLING });
}
