/**
 * The package as a domain team gets it: `npm pack`, installed into a fresh CDK app (the compiled
 * example examples/domain-app), compiled by tsc and synthesized by plain node, with no tsx and no
 * TypeScript sources of Tessera, once as an ES module app and once as a CommonJS app (the
 * `cdk init app --language typescript` layout, which loads the ESM package through require(esm)).
 *
 * Installing: the tarball is unpacked into the app's node_modules/tessera-mesh, exactly the files
 * `npm install <tarball>` puts there, and each package the packed package.json declares (its
 * dependencies and peerDependencies) is linked from this repository's node_modules, where npm ci
 * installed the locked versions. This keeps the test offline and fast; and since the app lives
 * outside the repository, a module the package imports without declaring it does not resolve, as
 * it would not after a real install.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIsFresh } from '../../constructs/core/build-stamp.js';
import { root } from '../unit/constructs/helpers.js';

const work = mkdtempSync(join(tmpdir(), 'tessera-pack-'));
const timings: Record<string, number> = {};
let tarball: string;
let packed: { dependencies: Record<string, string>; peerDependencies: Record<string, string>; exports: Record<string, unknown> };

function timed<T>(label: string, run: () => T): T {
  const start = performance.now();
  try {
    return run();
  } finally {
    timings[label] = Math.round(performance.now() - start);
  }
}

async function timedAsync<T>(label: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    timings[label] = Math.round(performance.now() - start);
  }
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CDK_OUTDIR: join(cwd, 'cdk.out') } });
}

/** As `run`, without blocking: the ESM and the CommonJS app compile and synthesize side by side. */
async function runAsync(command: string, args: string[], cwd: string): Promise<void> {
  await promisify(execFile)(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: join(cwd, 'cdk.out') }, maxBuffer: 64 * 2 ** 20 });
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

beforeAll(() => {
  // The package is packed from dist/: rebuilt when it is older than the sources (build/stamp.ts).
  if (!buildIsFresh(root)) timed('build', () => run('npm', ['run', 'build'], root));
  const name = timed('pack', () => run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], root)).trim().split('\n').pop()!;
  tarball = join(work, name);
  const unpacked = join(work, 'unpacked');
  mkdirSync(unpacked);
  run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], work);
  packed = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as typeof packed;
  for (const flavour of ['esm', 'cjs'] as const) void prepared(flavour).catch(() => {});
}, 300_000);

afterAll(() => {
  process.stdout.write(`package test timings (ms): ${JSON.stringify(timings)}\n`);
  rmSync(work, { recursive: true, force: true });
});

/** A copy of the example app as an ESM or CommonJS project, with the package installed. */
function installApp(flavour: 'esm' | 'cjs'): string {
  const app = join(work, flavour);
  cpSync(join(root, 'examples/domain-app'), app, { recursive: true, filter: (f) => !/node_modules|cdk\.out|[/\\]dist$/.test(f) });
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as Record<string, unknown>;
  if (flavour === 'cjs') delete manifest.type;
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'tessera-mesh'), { recursive: true });
  run('tar', ['-xzf', tarball, '-C', join(modules, 'tessera-mesh'), '--strip-components=1'], app);
  // What the package declares, plus the app's own tool: Node's types for tsc.
  for (const dep of [...Object.keys(packed.dependencies), ...Object.keys(packed.peerDependencies), '@types/node']) {
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), join(modules, dep), 'dir');
  }
  return app;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

async function synthesize(app: string, flavour: string): Promise<Resources> {
  await timedAsync(`${flavour} tsc`, () => runAsync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], app));
  await timedAsync(`${flavour} synth`, () => runAsync(process.execPath, ['dist/bin/app.js'], app));
  const template = JSON.parse(readFileSync(join(app, 'cdk.out/OrdersDataProducts.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  return template.Resources;
}

const preparing = new Map<'esm' | 'cjs', Promise<{ app: string; resources: Resources }>>();

/** The app of one flavour installed and synthesized; both start as soon as the package is packed. */
function prepared(flavour: 'esm' | 'cjs'): Promise<{ app: string; resources: Resources }> {
  let ready = preparing.get(flavour);
  if (!ready) {
    ready = (async () => {
      const app = timed(`${flavour} install`, () => installApp(flavour));
      return { app, resources: await synthesize(app, flavour) };
    })();
    preparing.set(flavour, ready);
  }
  return ready;
}

describe('the packed package', () => {
  it('ships compiled JavaScript, type declarations and pre-bundled Lambda code, and no TypeScript sources', () => {
    const shipped = files(join(work, 'unpacked'));
    expect(shipped.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(shipped).toEqual(expect.arrayContaining(['dist/constructs/index.js', 'dist/constructs/index.d.ts', 'dist/lib/contract/index.d.ts', 'dist/constructs/mesh-app.js', 'dist/bin/tessera.js']));
    // The vendored standards' schemas, each with its license: ODCS for contracts, ODPS for product descriptors.
    expect(shipped).toEqual(expect.arrayContaining(['dist/lib/contract/schema/odcs-json-schema-v3.1.0.json', 'dist/lib/contract/schema/LICENSE', 'dist/lib/product/schema/odps-json-schema-v1.1.0.json', 'dist/lib/product/schema/LICENSE']));
    for (const handler of ['quality-plan-handler', 'quality-evaluate-handler', 'catalog-ingest-handler', 'catalog-api-handler']) expect(shipped).toContain(`dist/assets/${handler}/index.mjs`);
    expect(shipped.some((f) => f.startsWith('test/') || f.startsWith('lambdas/') || f.startsWith('mesh/') || f.startsWith('build/'))).toBe(false);
    expect(Object.keys(packed.exports)).toEqual(['.', './contract', './mesh-app', './package.json']);
    expect(Object.keys(packed.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
    expect(packed.dependencies).not.toHaveProperty('aws-cdk-lib');
  });
});

describe.each(['esm', 'cjs'] as const)('a %s CDK app with the installed package', (flavour) => {
  let resources: Resources;
  let app: string;

  beforeAll(async () => {
    ({ app, resources } = await prepared(flavour));
  }, 300_000);

  const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);

  it('compiles to the module system of the app', () => {
    const compiled = readFileSync(join(app, 'dist/bin/app.js'), 'utf8');
    if (flavour === 'cjs') expect(compiled).toContain('require("tessera-mesh")');
    else expect(compiled).toMatch(/^import .* from 'tessera-mesh';$/m);
  });

  it("creates the contract's Glue table, tagged with its classifications", () => {
    const tables = ofType('AWS::Glue::Table').map((t) => (t.Properties!.TableInput as { Name: string }).Name);
    expect(tables).toEqual(['order_lines']);
    const tags = ofType('AWS::LakeFormation::TagAssociation').flatMap((t) => (t.Properties!.LFTags as { TagKey: string }[]).map((l) => l.TagKey));
    expect(tags).toContain('classification');
    expect(tags).toContain('domain');
    expect(ofType('AWS::LakeFormation::Tag').map((t) => t.Properties!.TagKey).sort()).toEqual(['classification', 'domain']);
  });

  it('grants the pipeline S3, KMS and Glue in one policy, and Lake Formation', () => {
    const policies = ofType('AWS::IAM::Policy').filter((p) => JSON.stringify(p.Properties!.Roles).includes('Pipeline'));
    const actions = JSON.stringify(policies.map((p) => p.Properties!.PolicyDocument));
    for (const action of ['s3:PutObject', 'kms:Encrypt', 'kms:Decrypt', 'glue:GetTable', 'glue:BatchCreatePartition', 'lakeformation:GetDataAccess']) expect(actions).toContain(action);
    const permissions = ofType('AWS::LakeFormation::PrincipalPermissions').map((p) => p.Properties!.Permissions);
    expect(permissions).toContainEqual(['INSERT', 'DELETE', 'DESCRIBE']);
  });

  it('deploys the pre-bundled Lambda code from the package', () => {
    const functions = ofType('AWS::Lambda::Function').filter((f) => f.Properties!.Runtime === 'nodejs24.x');
    // The quality plan and evaluate handlers, the Lake Formation settings function (the product used
    // alone owns its account's settings), and CDK's custom-resource provider framework in front of it.
    expect(functions.map((f) => f.Properties!.Handler).sort()).toEqual(['framework.onEvent', 'index.handler', 'index.handler', 'index.handler']);
    const assets = readdirSync(join(app, 'cdk.out')).filter((d) => d.startsWith('asset.'));
    const bundles = assets.filter((d) => existsSync(join(app, 'cdk.out', d, 'index.mjs')));
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    // The bundle alone: its source map stays in the package for reading stack traces, Lambda never loads it.
    for (const d of bundles) expect(files(join(app, 'cdk.out', d)).sort()).toEqual(['index.mjs']);
    expect(existsSync(join(app, 'node_modules', 'tessera-mesh', 'dist', 'assets', 'quality-plan-handler', 'index.mjs.map'))).toBe(true);
  });

  it('alarms on the freshness metric the quality service publishes, and on the data age its SLA allows', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map((a) => a.Properties!);
    const check = [{ Name: 'Check', Value: 'order_lines.order_date.latency' }, { Name: 'Product', Value: 'order-lines' }];
    // CloudWatch dimensions are a set: compared without their order.
    const byDimensions = (a: Record<string, unknown>) => [...((a.Dimensions as { Name: string }[] | undefined) ?? [])].sort((x, y) => x.Name.localeCompare(y.Name));
    const failed = alarms.find((a) => a.MetricName === 'CheckFailed');
    expect(failed).toMatchObject({ Namespace: 'Tessera/Quality' });
    expect(byDimensions(failed!)).toEqual(check);
    // The example contract's latency SLA is 2 days: 172,800 s, and no run reporting counts as a breach.
    const age = alarms.find((a) => a.MetricName === 'DataAge');
    expect(age).toMatchObject({ Namespace: 'Tessera/Quality', Threshold: 172_800, TreatMissingData: 'breaching' });
    expect(byDimensions(age!)).toEqual(check);
  });

  it('stops the synth with every finding of a broken contract at its file:line', () => {
    const broken = readFileSync(join(app, 'contracts/order-lines.odcs.yaml'), 'utf8').replace(/^domain: orders\n/m, '').replace('classification: internal', 'classification: secret');
    writeFileSync(join(app, 'contracts/order-lines.odcs.yaml'), broken);
    let failure = '';
    try {
      run(process.execPath, ['dist/bin/app.js'], app);
    } catch (e) {
      failure = String((e as { stderr: string }).stderr);
    }
    expect(failure).toContain('ContractError: contracts/order-lines.odcs.yaml is not a valid contract (2 errors)');
    expect(failure).toMatch(/contracts\/order-lines\.odcs\.yaml:1:1 error \[missing-domain\]/);
    expect(failure).toMatch(/contracts\/order-lines\.odcs\.yaml:\d+:\d+ error \[unknown-classification\]/);
  });
});
