/**
 * Where `tessera doctor` gets its cloud assembly: an existing cdk.out (`--assembly <dir>`), or the
 * mesh synthesized in-process exactly as bin/app.ts does, without bundling Lambda code (the checks
 * read templates, not assets). aws-cdk-lib is loaded only here, so `tessera --help` stays fast.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemblyFrom, AssemblyError, type Assembly, type Template } from '../../lib/doctor/assembly.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { UsageError } from './io.js';

export function readAssemblyDir(dir: string): Assembly {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new UsageError(`${dir} holds no manifest.json: pass the cdk.out folder that cdk synth wrote`);
  const readJson = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      throw new AssemblyError(`cannot read ${join(dir, file)}: ${(error as Error).message}`);
    }
  };
  return assemblyFrom(readJson('manifest.json'), (file) => readJson(file) as Template);
}

/** The context of the project's cdk.json (feature flags change templates), when there is one. */
function cdkJsonContext(projectDir: string): Record<string, unknown> {
  const file = join(projectDir, 'cdk.json');
  if (!existsSync(file)) return {};
  return (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}

export async function synthesizeMesh(mesh: Mesh, projectDir: string): Promise<Assembly> {
  const [{ App }, { buildMeshApp }] = await Promise.all([import('aws-cdk-lib'), import('../../constructs/mesh-app.js')]);
  const outdir = mkdtempSync(join(tmpdir(), 'tessera-doctor-'));
  try {
    // The doctor reads the templates for its own checks; the gates of `cdk synth` (cdk-nag, CDK's
    // CloudFormation validation) are not run again here. The validation was half of the doctor's
    // first synth of the example mesh (7.6 s with it, 3.4 s without, measured 2026-12-02). Nor does
    // it read the stack traces CDK records in metadata and for each resource: without them a synth
    // of the example mesh took 1.99 s instead of 2.17 s, and 0.45 s instead of 0.57 s once warm.
    const app = new App({ outdir, context: { ...cdkJsonContext(projectDir), 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true }, builtinCloudFormationValidation: false });
    buildMeshApp(app, mesh, { complianceChecks: false });
    app.synth();
    return readAssemblyDir(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
