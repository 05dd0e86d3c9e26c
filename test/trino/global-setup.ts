/**
 * The Trino tier's one Trino: started once for every test file of the `trino` project, loaded with
 * the example mesh's sample data (tables from their Glue table inputs, views as Glue stores them),
 * stopped by its PID at the end. It starts in the background, so that the other projects' tests
 * run while the JVM boots; the tier's tests wait for it with `trinoReady`. Without a Java 25 or the
 * installed server the tier is skipped with a message saying how to enable it, except under
 * CI=true, where that is a failure.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { generateSampleData } from '../../mesh/generator/generate.js';
import { ENABLE_HINT, findJava, freePort, startTrino, trinoHome, TrinoClient, type TrinoServer } from '../support/trino.js';
import { createMeshTables, meshTableInputs, meshViewInputs, writeGlueView } from '../support/trino-mesh.js';
import type { TrinoTier } from './ready.js';

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
  const port = await freePort();
  // Today, so that the catalog's "Try" query (the last 7 days) finds rows.
  const tier: TrinoTier = { endpoint: `http://127.0.0.1:${port}`, dataRoot: join(workDir, 'sample-data'), asOf: new Date().toISOString().slice(0, 10), workDir };
  project.provide('trino', tier);
  let server: TrinoServer | undefined;
  const onExit = (): void => {
    if (server) process.kill(server.pid, 'SIGKILL');
  };
  process.once('exit', onExit);
  const ready = (async () => {
    const started = performance.now();
    try {
      const [trino] = await Promise.all([
        startTrino({ home, java: (java as { java: string }).java, workDir, port }).then((s) => (server = s)),
        generateSampleData({ meshDir: join(root, 'mesh'), outDir: tier.dataRoot!, asOf: tier.asOf! }),
      ]);
      const rss = trino.rssBytes();
      const { mesh } = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
      if (!mesh) throw new Error('the example mesh does not load');
      const client = new TrinoClient(trino.endpoint);
      await createMeshTables(client, meshTableInputs(mesh, tier.dataRoot!), { registered: 'awsdatacatalog', projected: 'projected' });
      for (const { database, input } of meshViewInputs(mesh)) await writeGlueView(client, join(workDir, 'metastore', 'awsdatacatalog'), 'awsdatacatalog', database, input);
      console.log(`[trino] Trino ${trino.endpoint} (pid ${trino.pid}) started in ${(trino.startMs / 1000).toFixed(1)} s, RSS ${(rss / 2 ** 20).toFixed(0)} MiB; ready with the example mesh after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      writeFileSync(join(workDir, 'ready.json'), JSON.stringify({ ok: true }));
    } catch (e) {
      writeFileSync(join(workDir, 'ready.json'), JSON.stringify({ ok: false, error: (e as Error).message }));
    }
  })();
  return async () => {
    await ready;
    if (server) {
      console.log(`[trino] RSS at the end ${(server.rssBytes() / 2 ** 20).toFixed(0)} MiB; stopping pid ${server.pid}`);
      await server.stop();
    }
    process.removeListener('exit', onExit);
    rmSync(workDir, { recursive: true, force: true });
  };
}
