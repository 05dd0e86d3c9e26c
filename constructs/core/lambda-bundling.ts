/**
 * How every Tessera Lambda is bundled, as plain data: the constructs hand it to `NodejsFunction`
 * when they run from the TypeScript sources (this repository), and `build/lambda-assets.ts` hands
 * it to esbuild when `npm run build` pre-bundles the handlers into the package (dist/assets), so an
 * installed package never needs the sources, esbuild or tsx at synth time.
 */

/** The handlers, as paths under lambdas/ without the extension. */
export const LAMBDA_HANDLERS = ['quality/plan-handler', 'quality/evaluate-handler', 'catalog/ingest-handler', 'catalog/api-handler', 'lakeformation/lockdown-handler', 'access/api-handler', 'access/expiry-handler', 'lineage/http-sink-handler'] as const;
export type LambdaHandler = (typeof LAMBDA_HANDLERS)[number];

export const LAMBDA_ESBUILD = {
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: true,
  // The ES builds first: esbuild's default for platform node is `main` (the AWS SDK's dist-cjs),
  // which it cannot tree-shake; dist-es drops the unused commands and schemas (S3 alone: 578 ->
  // 407 KiB). https://esbuild.github.io/api/#main-fields
  mainFields: ['module', 'main'],
  // ESM bundles still meet CommonJS dependencies that call require().
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // Only the local engine uses these; Lambda never loads them.
  external: ['@duckdb/node-api', '@polyglot-sql/sdk'],
} as const;

/** The folder of a handler's pre-built asset under dist/assets, e.g. `quality-plan-handler`. */
export function assetFolderOf(handler: LambdaHandler): string {
  return handler.replace('/', '-');
}
