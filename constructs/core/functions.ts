/** How every Tessera Lambda is bundled: ESM for Node 24 by the local esbuild (no Docker), minified, with source maps. */
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

export const LAMBDA_BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  target: 'node24',
  sourceMap: true,
  minify: true,
  // ESM bundles still meet CommonJS dependencies that call require().
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // Only the local engine uses these; Lambda never loads them.
  externalModules: ['@duckdb/node-api', '@polyglot-sql/sdk'],
};
