/**
 * The pre-bundled Lambda handlers (as `npm run build` writes them to dist/assets): the size of each
 * bundle and how long a fresh Node process takes to `await import()` it (module scope: SDK clients,
 * Powertools, zod schemas), the median of several processes. Figures are printed, nothing is asserted.
 *
 * `npm run bench -- lambda-bundles` bundles into a temporary folder; TESSERA_BENCH_BUNDLES=<folder>[,<folder>...]
 * measures bundles already built there (e.g. of another commit, to compare against the first).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambdaAssets } from '../build/lambda-assets.js';
import { assetFolderOf, LAMBDA_HANDLERS } from '../constructs/core/lambda-bundling.js';

const PROCESSES = Number(process.env.TESSERA_BENCH_IMPORTS ?? 5);

/** One fresh process: the time of the import alone, not of Node's own start. */
function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return Number(out);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function benchLambdaBundles(): Promise<void> {
  const given = process.env.TESSERA_BENCH_BUNDLES?.split(',').filter(Boolean);
  const temporary = given ? undefined : mkdtempSync(join(tmpdir(), 'tessera-bundles-'));
  const dirs = given ?? [temporary!];
  try {
    if (temporary) await bundleLambdaAssets(temporary);
    console.log(`\nLambda bundles (import: median of ${PROCESSES} fresh processes, the folders interleaved so load hits them alike)`);
    for (const handler of LAMBDA_HANDLERS) {
      const files = dirs.map((dir) => join(dir, assetFolderOf(handler), 'index.mjs'));
      const times = files.map((): number[] => []);
      for (let run = 0; run < PROCESSES; run++) files.forEach((file, i) => times[i]!.push(importMs(file)));
      files.forEach((file, i) => {
        const kb = statSync(file).size / 1024;
        const ms = median(times[i]!);
        const base = i === 0 ? '' : `  (x${(statSync(file).size / statSync(files[0]!).size).toFixed(2)} size, x${(ms / median(times[0]!)).toFixed(2)} import vs ${dirs[0]})`;
        console.log(`  ${handler.padEnd(32)} ${kb.toFixed(0).padStart(6)} KiB  import median ${ms.toFixed(1).padStart(7)} ms  [min ${Math.min(...times[i]!).toFixed(1)}, max ${Math.max(...times[i]!).toFixed(1)}]  ${dirs[i]}${base}`);
      });
    }
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}
