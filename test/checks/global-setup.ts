/**
 * The static checks (`npm run lint`, `npm run typecheck`) as part of the suite: started as child
 * processes when the run starts, so that they use the core the test worker leaves free while it
 * waits on its own children (moto, Trino, synth processes), instead of running before the tests.
 * Each check's exit code and output go to a file in a temporary folder; `static-checks.test.ts`
 * waits for them and fails with the output when a check fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export const STATIC_CHECKS = ['lint', 'typecheck'] as const;

declare module 'vitest' {
  export interface ProvidedContext {
    staticChecks: { dir: string };
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-checks-'));
  project.provide('staticChecks', { dir });
  const children = STATIC_CHECKS.map((script) => {
    const started = performance.now();
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script], { cwd: project.config.root, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => {
      // Written whole, then renamed: the test never reads half a verdict.
      writeFileSync(join(dir, `${script}.partial`), JSON.stringify({ code: code ?? 1, seconds: (performance.now() - started) / 1000, output }));
      renameSync(join(dir, `${script}.partial`), join(dir, `${script}.json`));
    });
    return child;
  });
  return () => {
    for (const child of children) if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
}
