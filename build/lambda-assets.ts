/**
 * Pre-bundles every Lambda handler with esbuild into `<out>/<handler>/index.mjs` (+ source map),
 * with the constructs' bundling options. `npm run build` writes them to dist/assets, which the
 * package ships; the bundle test builds them the same way and runs them.
 *
 *   tsx build/lambda-assets.ts [out]   (default: dist/assets)
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { assetFolderOf, LAMBDA_ESBUILD, LAMBDA_HANDLERS, type LambdaHandler } from '../constructs/core/lambda-bundling.js';

const ROOT = resolve(import.meta.dirname, '..');

/** Bundles every handler under `out`; returns the entry file of each. */
export async function bundleLambdaAssets(out: string): Promise<Map<LambdaHandler, string>> {
  const files = new Map<LambdaHandler, string>();
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
      sourcemap: LAMBDA_ESBUILD.sourcemap,
      banner: { js: LAMBDA_ESBUILD.banner },
      external: [...LAMBDA_ESBUILD.external],
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
