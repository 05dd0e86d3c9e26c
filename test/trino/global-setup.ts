/**
 * The Trino tier's one Trino: started once for every test file of the `trino` project, loaded with
 * the example mesh's sample data (tables from their Glue table inputs, views as Glue stores them),
 * stopped by its PID at the end. Without a Java 25 or the installed server the tier is skipped with
 * a message saying how to enable it, except under CI=true, where that is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { generateSampleData } from '../../mesh/generator/generate.js';
import { ENABLE_HINT, findJava, startTrino, trinoHome, TrinoClient } from '../support/trino.js';
import { createMeshTables, meshTableInputs, meshViewInputs, writeGlueView } from '../support/trino-mesh.js';

export interface TrinoTier {
  readonly skip?: string;
  readonly endpoint?: string;
  readonly dataRoot?: string;
  readonly asOf?: string;
  readonly workDir?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    trino: TrinoTier;
  }
}

const root = join(import.meta.dirname, '..', '..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const java = findJava();
  const home = trinoHome();
  const missing = 'problem' in java ? java.problem : !existsSync(join(home, '.installed')) ? `Trino is not installed in ${home}` : undefined;
  if (missing) {
    if (process.env.CI === 'true') throw new Error(`the Trino tier cannot run under CI: ${missing}; ${ENABLE_HINT}`);
    console.warn(`\n[trino] the Trino tier is skipped: ${missing}; ${ENABLE_HINT}\n`);
    project.provide('trino', { skip: missing });
    return async () => {};
  }
  const workDir = mkdtempSync(join(tmpdir(), 'tessera-trino-'));
  const setupStarted = performance.now();
  const server = await startTrino({ home, java: (java as { java: string }).java, workDir });
  const onExit = (): void => {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);
  try {
    const rss = server.rssBytes();
    // Today, so that the catalog's "Try" query (the last 7 days) finds rows.
    const asOf = new Date().toISOString().slice(0, 10);
    const dataRoot = join(workDir, 'sample-data');
    await generateSampleData({ meshDir: join(root, 'mesh'), outDir: dataRoot, asOf });
    const { mesh } = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
    if (!mesh) throw new Error('the example mesh does not load');
    const client = new TrinoClient(server.endpoint);
    await createMeshTables(client, meshTableInputs(mesh, dataRoot), { registered: 'awsdatacatalog', projected: 'projected' });
    for (const { database, input } of meshViewInputs(mesh)) await writeGlueView(client, join(workDir, 'metastore', 'awsdatacatalog'), 'awsdatacatalog', database, input);
    console.log(
      `[trino] Trino ${server.endpoint} (pid ${server.pid}) started in ${(server.startMs / 1000).toFixed(1)} s, RSS ${(rss / 2 ** 20).toFixed(0)} MiB; mesh loaded in ${((performance.now() - setupStarted - server.startMs) / 1000).toFixed(1)} s`,
    );
    project.provide('trino', { endpoint: server.endpoint, dataRoot, asOf, workDir });
  } catch (e) {
    await server.stop();
    throw e;
  }
  return async () => {
    console.log(`[trino] RSS at the end ${(server.rssBytes() / 2 ** 20).toFixed(0)} MiB; stopping pid ${server.pid}`);
    await server.stop();
    process.removeListener('exit', onExit);
    rmSync(workDir, { recursive: true, force: true });
  };
}
