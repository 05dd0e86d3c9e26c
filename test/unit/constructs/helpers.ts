import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { loadContract, type LoadOptions } from '../../../lib/contract/load.js';
import type { DataContract } from '../../../lib/contract/model.js';
import { formatDiagnostic } from '../../../lib/diagnostics.js';
import { buildMeshApp, type MeshStacks } from '../../../constructs/mesh-app.js';
import { loadMeshFile, type Mesh } from '../../../lib/mesh/load.js';

export const root = join(import.meta.dirname, '../../..');

/**
 * The app context of cdk.json, so tests synthesize with the same flags as `cdk synth`; without the
 * stack traces CDK records in metadata and for every resource's creation (no test reads them, and
 * capturing them, through vitest's source maps, is a large share of a synth's time).
 */
export function cdkContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return { ...cdkJson.context, 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true, ...extra };
}

/**
 * A stack for construct tests, without Lambda bundling (test/integration/lambda-bundles.test.ts
 * bundles and loads every handler; here esbuild would only run again on each synth).
 */
export function testStack(context: Record<string, unknown> = {}): Stack {
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [], ...context }) });
  return new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
}

/** Loads a contract from text; fails the test with every finding if it is invalid. */
export function contractFrom(text: string, file = 'test.odcs.yaml', options?: LoadOptions): DataContract {
  const result = loadContract(text, file, options);
  if (!result.contract) throw new Error(`test contract is invalid:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  return result.contract;
}

export function readRepoFile(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/**
 * The example mesh and its stacks, synthesized without Lambda bundling, compliance checks or CDK's
 * CloudFormation validation (the whole-mesh synth test, test/integration/mesh-synth.test.ts, runs all three).
 */
export async function exampleMeshStacks(): Promise<{ mesh: Mesh; stacks: MeshStacks }> {
  const mesh = (await loadMeshFile(join(root, 'mesh', 'mesh.yaml'))).mesh!;
  const app = new App({ context: cdkContext({ 'aws:cdk:bundling-stacks': [] }), builtinCloudFormationValidation: false });
  return { mesh, stacks: buildMeshApp(app, mesh, { complianceChecks: false }) };
}
