/**
 * Access requests without an AWS account, across CLI runs: each `tessera access ... --local` starts
 * the local catalog on a fresh moto server, so the access state (request and audit items, Lake
 * Formation grants, expiry schedules) is kept as moto's own recording of the API calls that made
 * it (`/moto-api/recorder`), replayed into the next run's server and extended by it.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { LocalAccess } from '../../lambdas/access/local.js';
import { analyzeAccess, type PermissionStep } from '../../lib/access/index.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { openLocalCatalog, type LocalCatalogRun, type OpenLocalCatalogOptions } from './catalog.js';

export interface LocalAccessRun {
  readonly access: LocalAccess;
  /** The local catalog the access service reads products from. */
  readonly catalog: LocalCatalogRun;
  close(): Promise<void>;
}

async function recorder(endpoint: string, action: string, body?: string): Promise<string> {
  const res = await fetch(`${endpoint}/moto-api/recorder/${action}`, { method: 'POST', body });
  if (!res.ok) throw new Error(`moto's recorder refused ${action}: ${res.status} ${await res.text()}`);
  return res.text();
}

export interface OpenLocalAccessOptions {
  /** How the local catalog is opened (its sample data, quality reports). */
  readonly catalog?: OpenLocalCatalogOptions;
  /**
   * Show the saved state without recording or saving anything (`tessera catalog serve --local`):
   * a long-running reader must not overwrite what a concurrent `tessera access ... --local` saves.
   */
  readonly readOnly?: boolean;
}

/** Opens the local catalog and the access service over it, with the state of `stateFile` restored. */
export async function openLocalAccess(mesh: Mesh, stateFile: string, options: OpenLocalAccessOptions = {}): Promise<LocalAccessRun> {
  // Where moto keeps its recording: read when the server starts, one file per run.
  const recording = join(tmpdir(), `tessera-access-${randomUUID()}.jsonl`);
  process.env.MOTO_RECORDER_FILEPATH = recording;
  const run = await openLocalCatalog(mesh, options.catalog);
  try {
    const saved = await readFile(stateFile, 'utf8').catch(() => undefined);
    if (saved !== undefined) {
      await recorder(run.endpoint, 'upload-recording', saved);
      await recorder(run.endpoint, 'replay-recording');
    }
    if (!options.readOnly) await recorder(run.endpoint, 'start-recording');
    const access = await LocalAccess.open({
      endpoint: run.endpoint,
      region: mesh.config.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      mesh: mesh.config.name,
      account: mesh.config.governance.account,
      catalog: run.catalog.store,
      create: saved === undefined,
    });
    // What the governance stack's deploy grants (the mesh config's consumer grants), once, so that
    // `drift` compares against a deployed state rather than an empty one.
    if (saved === undefined) {
      const gov = mesh.config.governance.account;
      const steps = analyzeAccess(mesh).plan.steps.filter((st): st is PermissionStep => st.kind === 'permission' && st.purpose === 'consumer' && st.account === gov);
      for (const step of steps) await access.deps.lakeFormation.grant(step.principal, [step], []);
    }
    return {
      access,
      catalog: run,
      async close() {
        try {
          if (options.readOnly) return;
          await recorder(run.endpoint, 'stop-recording');
          const state = await recorder(run.endpoint, 'download-recording');
          await mkdir(dirname(stateFile), { recursive: true });
          await writeFile(stateFile, state);
        } finally {
          await run.close();
          await rm(recording, { force: true });
        }
      },
    };
  } catch (e) {
    await run.close();
    await rm(recording, { force: true });
    throw e;
  }
}
