/**
 * The Lambda code as it deploys: every handler bundled by esbuild with the constructs' own bundling
 * options (ESM, minified, the local-engine packages external), then loaded from the bundle and
 * called. Catches what the sources' tests cannot: a dependency that does not bundle, an external
 * module the bundle still imports (Lambda does not have it), a `require` an ESM bundle cannot make.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LAMBDA_BUNDLING } from '../../constructs/core/functions.js';
// Event and context builders only: the handlers under test are the bundles, loaded from their files.
import { apiEventOf, localContext, sqsEventOf } from '../../lambdas/catalog/local.js';
import { root } from '../unit/constructs/helpers.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const HANDLERS = ['quality/plan-handler', 'quality/evaluate-handler', 'catalog/ingest-handler', 'catalog/api-handler'] as const;
type HandlerModule = { handler: (event: unknown, context: unknown) => Promise<unknown> };

const out = mkdtempSync(join(tmpdir(), 'tessera-bundles-'));
const bundles = new Map<string, { code: string; module: HandlerModule }>();
const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', CATALOG_TABLE: 'catalog', MESH_NAME: 'ecommerce', RUNS_TABLE: 'runs', EVENT_BUS_NAME: 'bus', WORKGROUP: 'wg', DATABASE: 'db' });
  for (const name of HANDLERS) {
    const file = join(out, `${name.replace('/', '-')}.mjs`);
    await build({
      entryPoints: [join(root, 'lambdas', `${name}.ts`)],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: LAMBDA_BUNDLING.target,
      minify: LAMBDA_BUNDLING.minify,
      banner: { js: LAMBDA_BUNDLING.banner! },
      external: [...LAMBDA_BUNDLING.externalModules!],
      logLevel: 'silent',
    });
    bundles.set(name, { code: readFileSync(file, 'utf8'), module: (await import(pathToFileURL(file).href)) as HandlerModule });
  }
});

afterAll(() => {
  process.env = saved;
  rmSync(out, { recursive: true, force: true });
});


describe('Lambda bundles', () => {
  it.each(HANDLERS)('%s bundles, loads and never imports the local-engine packages', (name) => {
    const bundle = bundles.get(name)!;
    expect(typeof bundle.module.handler).toBe('function');
    for (const external of LAMBDA_BUNDLING.externalModules!) expect(bundle.code, `${name} imports ${external}`).not.toContain(external);
  });

  it('the catalog API bundle serves its OpenAPI document and refuses bad input with a 4xx', async () => {
    const api = bundles.get('catalog/api-handler')!.module;
    const doc = (await api.handler(apiEventOf('/openapi.json'), localContext())) as { statusCode: number; body: string };
    expect(doc.statusCode).toBe(200);
    expect((JSON.parse(doc.body) as { openapi: string }).openapi).toMatch(/^3\./);
    const bad = (await api.handler(apiEventOf('/products?limit=0'), localContext())) as { statusCode: number; body: string };
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'InvalidParameter' });
  });

  it('the catalog ingest bundle drops a poison message without retrying it', async () => {
    const ingest = bundles.get('catalog/ingest-handler')!.module;
    expect(await ingest.handler(sqsEventOf(['not json']), localContext())).toEqual({ batchItemFailures: [] });
  });

  it('the quality bundles validate their input and name the bad field', async () => {
    await expect(bundles.get('quality/plan-handler')!.module.handler({ product: 42 }, localContext())).rejects.toThrow(/invalid input: .*product/);
    await expect(bundles.get('quality/evaluate-handler')!.module.handler({}, localContext())).rejects.toThrow(/invalid input: /);
  });
});
