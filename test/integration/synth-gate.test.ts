/**
 * `cdk synth` stops when a contract breaks compatibility with its locked version: the CDK app
 * (bin/app.ts) run as the CDK CLI runs it, on a copy of the example mesh.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIsFresh } from '../../constructs/core/build-stamp.js';
import { root } from '../unit/constructs/helpers.js';
import { indented, QUANTITY_IMPACT } from '../support/impact.js';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-gate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function synth(meshDir: string, meshArg = join(meshDir, 'mesh.yaml')): Promise<{ code: number; stderr: string }> {
  // The gate runs before any construct exists: CDK's own template validation and metadata stack
  // traces (both in mesh-synth.test.ts) would only add a minute on a slow machine. No Lambda is
  // bundled: `npm test` builds dist/ first, whose bundles a synth from the sources takes as they are.
  const context = { 'tessera:mesh': meshArg, 'aws:cdk:disable-stack-trace': true };
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: join(meshDir, 'cdk.out'), CDK_VALIDATION: 'false' };
  delete env.JSII_DEPRECATED;
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  try {
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'bin', 'app.ts')], { cwd: root, env });
    return { code: 0, stderr };
  } catch (e) {
    const error = e as { code: number; stderr: string };
    return { code: error.code, stderr: error.stderr };
  }
}

function meshCopy(name: string, edit?: (orders: string) => string, contract = join('orders', 'orders.odcs.yaml')): string {
  const dir = join(scratch, name);
  cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
  if (edit) {
    const file = join(dir, contract);
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
  }
  return dir;
}

const dropLineCount = (text: string): string => {
  const start = text.indexOf('      - name: line_count\n');
  const end = text.indexOf('      - name: ', start + 10);
  expect(start).toBeGreaterThan(0);
  return text.slice(0, start) + text.slice(end);
};

describe('the synth compatibility gate', () => {
  it('stops synth on a breaking change without a major version bump, with the diff report', async () => {
    const dir = meshCopy('breaking', (t) => dropLineCount(t).replace(/^version: 1\.0\.0$/m, 'version: 1.1.0'));
    const { code, stderr } = await synth(dir);
    expect(code).toBe(1);
    expect(stderr).toContain('product orders (domain orders): locked 1.0.0, now 1.1.0');
    expect(stderr).toMatch(/orders\.line_count \[column-removed\]/);
    expect(stderr).toContain('bump to 2.0.0');
    expect(stderr).toContain('synth stopped');
  }, 600_000); // a hang guard: the app bundles and checks every stack, minutes on a loaded machine

  it('lists under a breaking change the views, view columns and consumer grants that read the column', async () => {
    // quantity: maximum 100 -> 50 is breaking (old data may not conform), and both views still bind.
    const tighten = (t: string): string => {
      const edited = t.replace('Units ordered.\n        classification: internal\n        required: true\n        logicalTypeOptions:\n          minimum: 1\n          maximum: 100\n', 'Units ordered.\n        classification: internal\n        required: true\n        logicalTypeOptions:\n          minimum: 1\n          maximum: 50\n').replace(/^version: 1\.0\.0$/m, 'version: 1.1.0');
      expect(edited).toContain('maximum: 50');
      return edited;
    };
    const dir = meshCopy('impact', tighten, join('orders', 'order-lines.odcs.yaml'));
    const { code, stderr } = await synth(dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/order_lines\.quantity \[validation-tightened\]/);
    expect(stderr).toContain(indented(QUANTITY_IMPACT, '      ').join('\n'));
  });

  it('lets the same change through with a major version bump', async () => {
    const dir = meshCopy('major', (t) => dropLineCount(t).replace(/^version: 1\.0\.0$/m, 'version: 2.0.0'));
    // The shipments product consumes orders 1.0.0 (its ODPS input port): it moves to 2.0.0 too.
    const consumer = join(dir, 'shipping', 'shipments.odps.yaml');
    writeFileSync(consumer, readFileSync(consumer, 'utf8').replace('    contractId: orders\n    version: 1.0.0\n', '    contractId: orders\n    version: 2.0.0\n'));
    expect(buildIsFresh(root), 'dist/ is older than the sources: run npm run build (npm test does)').toBe(true);
    const { code, stderr } = await synth(dir);
    expect(code).toBe(0);
    // Quiet, as `cdk synth -q` should be: no "Bundling asset" line (the built bundles are used), no
    // deprecation warning (cdk-nag's EVB1 reads CfnEventBusPolicy#principal), no SDK Node warning.
    expect(stderr).toBe('');
  });

  it('stops synth when a major version leaves a consumer\'s ODPS input port behind', async () => {
    const dir = meshCopy('consumer-behind', (t) => dropLineCount(t).replace(/^version: 1\.0\.0$/m, 'version: 2.0.0'));
    const { code, stderr } = await synth(dir);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `${join(dir, 'shipping', 'shipments.odps.yaml')}:21:14 error [odps-port-version] inputPorts[0].version: input port 'orders' asks for version 1.0.0 of 'orders', but the mesh publishes version 2.0.0, which does not satisfy ^1.0.0`,
    );
    expect(stderr).toContain('synth stopped');
  });

  it('takes -c tessera:mesh=<folder> like every tessera command takes a mesh', async () => {
    const dir = meshCopy('by-dir', (t) => dropLineCount(t).replace(/^version: 1\.0\.0$/m, 'version: 1.1.0'));
    const { code, stderr } = await synth(dir, dir);
    expect(code).toBe(1);
    // The gate ran on the folder's mesh.yaml: its finding, not "it is a folder".
    expect(stderr).toContain('product orders (domain orders): locked 1.0.0, now 1.1.0');
    expect(stderr).not.toContain('it is a folder');
  });

  it('says "file not found" for a mesh path with nothing there', async () => {
    const { code, stderr } = await synth(scratch, join(scratch, 'nowhere'));
    expect(code).toBe(1);
    expect(stderr).toContain(`synth stopped: file not found: ${join(scratch, 'nowhere')}`);
  });
});
