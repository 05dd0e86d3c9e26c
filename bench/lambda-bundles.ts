/**
 * The pre-bundled Lambda handlers (as `npm run build` writes them to dist/assets): the size of each
 * bundle and of its source map, and how long a fresh Node process takes to `await import()` it
 * (module scope: Powertools, zod schemas, the SDK's modules), the median of several processes.
 * Figures are printed, nothing is asserted.
 *
 * One run builds and measures, the processes of all variants interleaved so load hits them alike:
 * - `tessera`: the build's choices (build/lambda-assets.ts), and the same bundle imported with
 *   `--enable-source-maps`;
 * - `runtime-sdk`: every @aws-sdk/* and @smithy/* left out, imported from node_modules the way a
 *   function would take the runtime's SDK (from /var/runtime/node_modules);
 * - `old-options`: the options before issue 13 (CommonJS builds of the SDK, every zod locale, the
 *   ODCS schema compiled at first use, maps with sourcesContent) over today's handler code.
 * TESSERA_BENCH_BUNDLES=<folder>[,<folder>...] adds bundles built elsewhere (e.g. by another
 * commit's `tsx build/lambda-assets.ts <folder>`), measured alongside.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambdaAssets, type LambdaBuildChoices } from '../build/lambda-assets.js';
import { assetFolderOf, LAMBDA_HANDLERS } from '../constructs/core/lambda-bundling.js';
import { median } from './stats.js';

const PROCESSES = Number(process.env.TESSERA_BENCH_IMPORTS ?? 5);
const ROOT = resolve(import.meta.dirname, '..');

interface Variant {
  readonly name: string;
  readonly dir: string;
  readonly nodeArgs: readonly string[];
}

/** One fresh process: the time of the import alone, not of Node's own start. */
function importMs(file: string, nodeArgs: readonly string[]): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { env: { ...process.env, AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT', NODE_OPTIONS: '' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return Number(out);
}

function kib(file: string): string {
  return existsSync(file) ? `${(statSync(file).size / 1024).toFixed(0)} KiB` : '-';
}

async function variantsIn(temporary: string): Promise<Variant[]> {
  const builds: [string, LambdaBuildChoices][] = [
    ['tessera', {}],
    ['runtime-sdk', { sdk: 'runtime' }],
    ['old-options', { esModules: false, englishOnlyZod: false, precompiledOdcs: false, sourcemap: 'full' }],
  ];
  for (const [name, choices] of builds) await bundleLambdaAssets(join(temporary, name), choices);
  const given = (process.env.TESSERA_BENCH_BUNDLES ?? '').split(',').filter(Boolean).map((dir) => ({ name: dir, dir, nodeArgs: [] }));
  return [
    { name: 'tessera', dir: join(temporary, 'tessera'), nodeArgs: [] },
    { name: 'tessera --enable-source-maps', dir: join(temporary, 'tessera'), nodeArgs: ['--enable-source-maps'] },
    { name: 'runtime-sdk', dir: join(temporary, 'runtime-sdk'), nodeArgs: [] },
    { name: 'old-options', dir: join(temporary, 'old-options'), nodeArgs: [] },
    ...given,
  ];
}

export async function benchLambdaBundles(): Promise<void> {
  // Inside the repository (.tessera/ is ignored by git): the runtime-sdk variant resolves the SDK
  // from node_modules there.
  mkdirSync(join(ROOT, '.tessera'), { recursive: true });
  const temporary = mkdtempSync(join(ROOT, '.tessera', 'bench-bundles-'));
  try {
    const variants = await variantsIn(temporary);
    console.log(`\nLambda bundles (import: median of ${PROCESSES} fresh processes, the variants interleaved; ratios against 'tessera')`);
    for (const handler of LAMBDA_HANDLERS) {
      const files = variants.map((v) => join(v.dir, assetFolderOf(handler), 'index.mjs'));
      const times = variants.map((): number[] => []);
      for (let run = 0; run < PROCESSES; run++) variants.forEach((v, i) => times[i]!.push(importMs(files[i]!, v.nodeArgs)));
      const base = median(times[0]!);
      console.log(`  ${handler}`);
      variants.forEach((v, i) => {
        const ms = median(times[i]!);
        const ratio = i === 0 ? '' : `  x${(statSync(files[i]!).size / statSync(files[0]!).size).toFixed(2)} size, x${(ms / base).toFixed(2)} import`;
        console.log(`    ${v.name.padEnd(30)} ${kib(files[i]!).padStart(9)} (map ${kib(`${files[i]!}.map`).padStart(9)})  import median ${ms.toFixed(1).padStart(7)} ms  [min ${Math.min(...times[i]!).toFixed(1)}, max ${Math.max(...times[i]!).toFixed(1)}]${ratio}`);
      });
    }
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}
