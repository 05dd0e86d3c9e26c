/**
 * Pre-bundles every Lambda handler with esbuild into `<out>/<handler>/index.mjs` (+ source map),
 * with the constructs' bundling options. `npm run build` writes them to dist/assets, which the
 * package ships; the bundle test builds them the same way and runs them.
 *
 *   tsx build/lambda-assets.ts [out]   (default: dist/assets)
 *
 * What goes into a bundle, as measured by `npm run bench -- lambda-bundles` (docs/scale.md):
 * - The AWS SDK is bundled, not taken from the runtime. The Node.js runtimes include a version of
 *   the AWS SDK for JavaScript v3 that Lambda chooses and updates ("Runtime-included SDK versions",
 *   https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html); the SDK's own Lambda guide
 *   calls it "a convenience for development" and says to upload the SDK with the function code
 *   "for greater control of the SDK version" (aws-sdk-js-v3, supplemental-docs/AWS_LAMBDA.md).
 *   Tessera's handlers are tested against the SDK in package-lock.json; taking the runtime's would
 *   save about 450 KiB a bundle but run them on an SDK no test has seen, and its import from the
 *   runtime's node_modules (hundreds of files) was not faster here (`sdk: 'runtime'` in the bench).
 * - zod's locales other than English are left out (zod-english-only.ts): 258 KiB a bundle.
 * - The ODCS schema validator is precompiled (odcs-validator.ts): no ajv compile at the first
 *   contract a handler reads (0.2-0.5 s here), for about 200 KiB of generated code.
 * - Source maps are external and without `sourcesContent` (7-8 MiB -> 1-2.6 MiB): enough to turn
 *   a logged `index.mjs:1:<column>` into a lambdas/ or lib/ line offline. Functions do not run
 *   with `--enable-source-maps` (constructs/core/functions.ts): Node parses the whole map at
 *   import, which cost x1.04 to x1.48 of the import time here even with the lean maps (two runs
 *   of the bench), and the maps are left out of the uploaded code.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { assetFolderOf, LAMBDA_ESBUILD, LAMBDA_HANDLERS, type LambdaHandler } from '../constructs/core/lambda-bundling.js';
import { precompiledOdcsPlugin } from './odcs-validator.js';
import { zodEnglishOnly } from './zod-english-only.js';

const ROOT = resolve(import.meta.dirname, '..');

/** How to bundle: Tessera's choice by default; the bench builds the alternatives to compare. */
export interface LambdaBuildChoices {
  /** 'bundled' (the default) or 'runtime': every `@aws-sdk/*` and `@smithy/*` left to the runtime. */
  readonly sdk?: 'bundled' | 'runtime';
  /** The source map: 'lean' (external, no sourcesContent; the default) or 'full' (with the sources). */
  readonly sourcemap?: 'lean' | 'full';
  /** Drop zod's locales other than English. @default true */
  readonly englishOnlyZod?: boolean;
  /** Resolve packages to their ES build first (`mainFields`). @default true */
  readonly esModules?: boolean;
  /** The ODCS validator precompiled (build/odcs-validator.ts) rather than compiled at first use. @default true */
  readonly precompiledOdcs?: boolean;
}

/** Bundles every handler under `out`; returns the entry file of each. */
export async function bundleLambdaAssets(out: string, choices: LambdaBuildChoices = {}): Promise<Map<LambdaHandler, string>> {
  const files = new Map<LambdaHandler, string>();
  const odcs = precompiledOdcsPlugin();
  const external = [...LAMBDA_ESBUILD.external, ...(choices.sdk === 'runtime' ? ['@aws-sdk/*', '@smithy/*'] : [])];
  for (const handler of LAMBDA_HANDLERS) {
    const dir = join(out, assetFolderOf(handler));
    rmSync(dir, { recursive: true, force: true });
    const outfile = join(dir, 'index.mjs');
    await build({
      entryPoints: [join(ROOT, 'lambdas', `${handler}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      format: LAMBDA_ESBUILD.format,
      target: LAMBDA_ESBUILD.target,
      minify: LAMBDA_ESBUILD.minify,
      mainFields: choices.esModules === false ? ['main', 'module'] : [...LAMBDA_ESBUILD.mainFields],
      sourcemap: LAMBDA_ESBUILD.sourcemap,
      sourcesContent: choices.sourcemap === 'full',
      banner: { js: LAMBDA_ESBUILD.banner },
      external,
      plugins: [...(choices.englishOnlyZod === false ? [] : [zodEnglishOnly]), ...(choices.precompiledOdcs === false ? [] : [odcs])],
      logLevel: 'warning',
    });
    files.set(handler, outfile);
  }
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = resolve(process.argv[2] ?? join(ROOT, 'dist', 'assets'));
  const files = await bundleLambdaAssets(out);
  process.stdout.write(`bundled ${files.size} Lambda handlers into ${out}\n`);
}
