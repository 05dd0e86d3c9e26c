/**
 * Synth at scale: generated meshes of N domains × 5 products (bench/scale-mesh.ts: each domain in
 * its own account, three consumers granted on every domain, a view per domain, the lock),
 * synthesized as `cdk synth` runs the app (bin/app.ts in a child process, with CDK_CONTEXT_JSON and
 * CDK_OUTDIR), Lambda bundling and every compliance gate included. Prints per N the wall time, the
 * child's peak RSS (GNU time), the largest template (bytes and resources), the stacks over
 * CloudFormation's 500 resources, and the growth ratio of the largest N to the smallest.
 * CDK's own refusal of stacks over 500 resources is lifted, so the bench names those stacks (they
 * could not deploy as they are). One run per N (a synth of 100 domains takes minutes): figures, never assertions.
 *
 * `npm run bench -- synth`; TESSERA_BENCH_SYNTH=10,50 picks the sizes (default 10,50,100),
 * TESSERA_BENCH_PRODUCTS the products per domain (default 5), TESSERA_BENCH_PRODUCTS_PER_STACK=50,20
 * runs each size once per value of the domains' `productsPerStack` (default: the app's, 20), so a
 * domain in one stack and in product groups are compared in the same run. Nested stacks (product
 * groups) are counted as stacks of their own: CloudFormation's limits apply to each.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeScaleMesh } from './scale-mesh.js';

const ROOT = join(import.meta.dirname, '..');
/** CloudFormation's per-stack limits ("AWS CloudFormation quotas", User Guide): 500 resources, 1 MB template. */
const MAX_RESOURCES = 500;

interface SynthFigures {
  readonly domains: number;
  readonly productsPerStack?: number;
  readonly ok: boolean;
  readonly wallS: number;
  readonly peakRssMb: number;
  readonly stacks: readonly { name: string; bytes: number; resources: number }[];
  readonly error?: string;
}

async function synthOnce(domains: number, products: number, productsPerStack?: number): Promise<SynthFigures> {
  const dir = mkdtempSync(join(tmpdir(), `tessera-bench-synth-${domains}-`));
  try {
    const meshFile = await writeScaleMesh(dir, domains, products, undefined, productsPerStack);
    const outdir = join(dir, 'cdk.out');
    // CDK refuses a stack of more than 500 resources at synth; lifted here so the bench measures
    // (and names) the stacks that pass it, which could not deploy as they are.
    const env = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ 'tessera:mesh': meshFile, '@aws-cdk/core:stackResourceLimit': 100_000 }), CDK_OUTDIR: outdir };
    const started = performance.now();
    let stderr = '';
    let ok = true;
    try {
      ({ stderr } = await promisify(execFile)('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', join(ROOT, 'bin', 'app.ts')], { cwd: ROOT, env, maxBuffer: 256 * 1024 * 1024 }));
    } catch (e) {
      ok = false;
      stderr = (e as { stderr?: string }).stderr ?? String(e);
    }
    const wallS = (performance.now() - started) / 1000;
    const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
    const stacks = ok ? templates(outdir) : [];
    // The app's own last words, without GNU time's report (which starts at "Command being timed").
    const error = ok ? undefined : stderr.slice(0, Math.max(0, stderr.indexOf('\tCommand being timed')) || undefined).trim().split('\n').slice(-15).join('\n');
    return { domains, productsPerStack, ok, wallS, peakRssMb: rssKb / 1024, stacks, error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function templates(outdir: string): { name: string; bytes: number; resources: number }[] {
  return readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => {
      const file = join(outdir, f);
      const template = JSON.parse(readFileSync(file, 'utf8')) as { Resources?: Record<string, unknown> };
      return { name: f.replace('.template.json', ''), bytes: statSync(file).size, resources: Object.keys(template.Resources ?? {}).length };
    });
}

function print(f: SynthFigures): void {
  const label = `${String(f.domains).padStart(4)} domains${f.productsPerStack === undefined ? '' : ` (productsPerStack ${f.productsPerStack})`}`;
  if (!f.ok) {
    console.log(`  ${label}: synth FAILED after ${f.wallS.toFixed(1)} s\n${f.error ?? ''}`);
    return;
  }
  const largest = [...f.stacks].sort((a, b) => b.resources - a.resources)[0]!;
  const biggest = [...f.stacks].sort((a, b) => b.bytes - a.bytes)[0]!;
  const over = f.stacks.filter((s) => s.resources > MAX_RESOURCES).map((s) => `${s.name} (${s.resources})`);
  console.log(
    `  ${label}: ${f.wallS.toFixed(1).padStart(6)} s  peak RSS ${f.peakRssMb.toFixed(0).padStart(5)} MB  ${f.stacks.length} stacks  ` +
      `most resources ${largest.name} ${largest.resources}  largest template ${biggest.name} ${(biggest.bytes / 1024).toFixed(0)} KB  over ${MAX_RESOURCES} resources: ${over.join(', ') || 'none'}`,
  );
  // A mesh of a few stacks (a domain and its product groups): every stack's resources.
  if (f.stacks.length <= 8) console.log(`      resources per stack: ${[...f.stacks].sort((a, b) => a.name.localeCompare(b.name)).map((s) => `${s.name} ${s.resources}`).join(', ')}`);
}

export async function benchSynth(): Promise<void> {
  const sizes = (process.env.TESSERA_BENCH_SYNTH ?? '10,50,100').split(',').map(Number);
  const products = Number(process.env.TESSERA_BENCH_PRODUCTS ?? 5);
  const perStack = process.env.TESSERA_BENCH_PRODUCTS_PER_STACK?.split(',').map(Number) ?? [undefined];
  console.log(`\nsynth at scale: N domains × ${products} products, each domain its own account, 3 consumers on every domain, a view per domain (one run each)`);
  const results: SynthFigures[] = [];
  for (const n of sizes) {
    for (const p of perStack) {
      const f = await synthOnce(n, products, p);
      print(f);
      results.push(f);
    }
  }
  const done = results.filter((r) => r.ok && r.productsPerStack === perStack.at(-1));
  if (done.length >= 2) {
    const [a, b] = [done[0]!, done[done.length - 1]!];
    console.log(`  growth ${b.domains}/${a.domains} domains (x${(b.domains / a.domains).toFixed(0)}): wall x${(b.wallS / a.wallS).toFixed(2)}, peak RSS x${(b.peakRssMb / a.peakRssMb).toFixed(2)}`);
  }
}
