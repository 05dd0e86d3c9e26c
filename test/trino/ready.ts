/** What the Trino tier's global setup hands its tests, and the wait for the Trino it starts. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TrinoTier {
  readonly skip?: string;
  readonly endpoint?: string;
  readonly dataRoot?: string;
  readonly asOf?: string;
  readonly workDir?: string;
}

/** Resolves once Trino is up with the example mesh loaded; throws with the reason if it failed. */
export async function trinoReady(tier: TrinoTier, timeoutMs = 900_000): Promise<void> {
  const file = join(tier.workDir!, 'ready.json');
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`Trino was not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const state = JSON.parse(readFileSync(file, 'utf8')) as { ok: boolean; error?: string };
  if (!state.ok) throw new Error(`the Trino tier's Trino did not start: ${state.error}`);
}
