/**
 * Every Tessera Lambda the same way: Node 24 on ARM, bundled as ESM (no Docker), minified with
 * a source map beside it (not loaded at run time), an encrypted log group of its own, X-Ray tracing.
 *
 * Where the code comes from depends on how Tessera runs: an installed package carries each handler
 * pre-bundled in dist/assets (built by `npm run build`), used as it is. In this repository, run from
 * the TypeScript sources, the bundles of `dist/assets` are used too when `dist/` was built from the
 * sources as they are (its build stamp, build-stamp.ts), so a synth neither bundles again nor prints
 * CDK's "Bundling asset" lines; otherwise the handler is bundled at synth time by the local esbuild
 * with the same options (lambda-bundling.ts). `TESSERA_BUNDLE_FROM_SOURCES=1` always bundles.
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
import { buildIsFresh } from './build-stamp.js';
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

/** Where handler code may come from: a package's pre-built assets, a repository's sources and build. */
export interface LambdaCodePlaces {
  /** An installed package's dist/assets (from dist/constructs/core; absent in the sources). */
  readonly packageAssets: string;
  /** The repository the sources run from, with lambdas/ and, once built, dist/assets. */
  readonly repository: string;
}

const PLACES: LambdaCodePlaces = {
  packageAssets: fileURLToPath(new URL('../../assets/', import.meta.url)),
  repository: fileURLToPath(new URL('../../', import.meta.url)),
};
const freshBuilds = new Map<string, boolean>();

/** The folder of the handler's pre-built bundle, when there is one to use as it is. */
export function prebuiltAssetOf(handler: LambdaHandler, places = PLACES): string | undefined {
  const inPackage = join(places.packageAssets, assetFolderOf(handler));
  if (existsSync(join(inPackage, 'index.mjs'))) return inPackage;
  if (process.env.TESSERA_BUNDLE_FROM_SOURCES === '1') return undefined;
  const built = join(places.repository, 'dist', 'assets', assetFolderOf(handler));
  if (!existsSync(join(built, 'index.mjs'))) return undefined;
  // About 10 ms over the repository's ~700 input files, once per process.
  let fresh = freshBuilds.get(places.repository);
  if (fresh === undefined) freshBuilds.set(places.repository, (fresh = buildIsFresh(places.repository)));
  return fresh ? built : undefined;
}

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
  const prebuilt = prebuiltAssetOf(props.handler);
  if (prebuilt) {
    // The source map stays in the package (dist/assets), for reading stack traces; Lambda never reads it.
    return new lambda.Function(scope, id, { ...common, code: lambda.Code.fromAsset(prebuilt, { exclude: ['*.map'] }), handler: 'index.handler' });
  }
  const entry = join(PLACES.repository, 'lambdas', `${props.handler}.ts`);
  if (!existsSync(entry)) {
    throw new Error(`tessera: the Lambda code of ${props.handler} is missing: neither ${join(PLACES.packageAssets, assetFolderOf(props.handler), 'index.mjs')} (an installed package) nor ${entry} (the sources) exists; reinstall tessera-mesh`);
  }
  return new nodejs.NodejsFunction(scope, id, { ...common, entry, bundling: LAMBDA_BUNDLING });
}
