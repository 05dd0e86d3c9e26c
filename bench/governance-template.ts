/**
 * The governance stack's template at scale: generated meshes of N domains × P products
 * (bench/scale-mesh.ts), of which only the governance stack is built and synthesized (in-process,
 * no Lambda bundling, no compliance checks, CDK's CloudFormation validator off): what it costs is
 * the template, not the synth. Prints per N the resources and the KB of the template as CDK writes
 * it, what grows (the resource types with most resources, the properties with most bytes), and the
 * growth per domain between the smallest and the largest N. One synth per N: figures, never assertions.
 *
 * `npm run bench -- governance-template`; TESSERA_BENCH_GOVERNANCE=10,100 picks the sizes (default
 * 10,100,500), TESSERA_BENCH_PRODUCTS the products per domain (default 5).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildGovernanceStack } from '../constructs/mesh-app.js';
import { loadMeshFile } from '../lib/mesh/load.js';
import { writeScaleMesh } from './scale-mesh.js';

interface CfnTemplate {
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
}

export interface GovernanceTemplateFigures {
  readonly domains: number;
  readonly resources: number;
  readonly bytes: number;
  /** Resource types by count, most first. */
  readonly types: readonly [string, number][];
  /** `<logical id>.<property>` by bytes of its JSON, most first. */
  readonly properties: readonly [string, number][];
}

/** The governance template of a generated mesh of `domains` × `products`, written and measured in a temporary folder. */
export async function governanceTemplate(domains: number, products: number): Promise<GovernanceTemplateFigures> {
  const dir = mkdtempSync(join(tmpdir(), `tessera-bench-governance-${domains}-`));
  try {
    const mesh = (await loadMeshFile(await writeScaleMesh(dir, domains, products))).mesh!;
    const outdir = join(dir, 'cdk.out');
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-stack-trace': true, '@aws-cdk/core:stackResourceLimit': 100_000 } });
    const stack = buildGovernanceStack(app, `tessera-${mesh.config.name}-governance`, mesh);
    app.synth();
    const file = join(outdir, `${stack.artifactId}.template.json`);
    return { domains, bytes: statSync(file).size, ...templateGrowth(JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function templateGrowth(template: CfnTemplate): Omit<GovernanceTemplateFigures, 'domains' | 'bytes'> {
  const types = new Map<string, number>();
  const properties: [string, number][] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    types.set(resource.Type, (types.get(resource.Type) ?? 0) + 1);
    for (const [name, value] of Object.entries(resource.Properties ?? {})) properties.push([`${id}.${name} (${resource.Type})`, JSON.stringify(value).length]);
  }
  const most = <T>(entries: [T, number][]) => entries.sort((a, b) => b[1] - a[1]).slice(0, 6);
  return { resources: Object.keys(template.Resources).length, types: most([...types]), properties: most(properties) };
}

function print(f: GovernanceTemplateFigures): void {
  console.log(`  ${String(f.domains).padStart(4)} domains: ${String(f.resources).padStart(4)} resources  ${(f.bytes / 1024).toFixed(0).padStart(5)} KB`);
  console.log(`        most resources: ${f.types.map(([t, n]) => `${t} ${n}`).join(', ')}`);
  for (const [p, bytes] of f.properties) console.log(`        ${(bytes / 1024).toFixed(1).padStart(7)} KB  ${p}`);
}

export async function benchGovernanceTemplate(): Promise<void> {
  const sizes = (process.env.TESSERA_BENCH_GOVERNANCE ?? '10,100,500').split(',').map(Number);
  const products = Number(process.env.TESSERA_BENCH_PRODUCTS ?? 5);
  // CDK's CloudFormation validator (WebAssembly) is most of a large synth's time and changes no template.
  process.env.CDK_VALIDATION = 'false';
  console.log(`\ngovernance template: N domains × ${products} products, governance stack alone (CloudFormation's limits: 500 resources, 1,024 KB)`);
  const results: GovernanceTemplateFigures[] = [];
  for (const n of sizes) {
    const f = await governanceTemplate(n, products);
    print(f);
    results.push(f);
  }
  if (results.length >= 2) {
    const [a, b] = [results[0]!, results[results.length - 1]!];
    const per = (x: number, y: number) => ((y - x) / (b.domains - a.domains)).toFixed(2);
    console.log(`  growth ${a.domains} → ${b.domains} domains: ${per(a.resources, b.resources)} resources and ${per(a.bytes / 1024, b.bytes / 1024)} KB per domain`);
  }
}
