/**
 * The CDK app over the mesh config: `npx cdk synth` / `npx cdk deploy --all`. Synth needs no AWS
 * credentials. It stops, printing every finding, when the mesh or a contract is invalid, or when a
 * contract breaks compatibility with the version locked in mesh/contracts.lock.json.
 * The mesh config is mesh/mesh.yaml unless `-c tessera:mesh=<path>` says otherwise.
 */
import { App } from 'aws-cdk-lib';
import { join } from 'node:path';
import { buildMeshApp } from '../constructs/mesh-app.js';
import { formatDiagnostic } from '../lib/diagnostics.js';
import { loadMeshFile } from '../lib/mesh/load.js';
import { compatibilityProblems } from './synth-gate.js';

const app = new App();
const meshFile = (app.node.tryGetContext('tessera:mesh') as string | undefined) ?? join(import.meta.dirname, '..', 'mesh', 'mesh.yaml');
const result = await loadMeshFile(meshFile);
for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
if (!result.mesh) {
  process.stderr.write(`\nsynth stopped: ${meshFile} or one of its contracts is invalid (see above)\n`);
  process.exit(1);
}
const problems = await compatibilityProblems(result.mesh);
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
buildMeshApp(app, result.mesh);
app.synth();
