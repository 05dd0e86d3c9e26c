/**
 * Writes and checks the build's input stamp (constructs/core/build-stamp.ts). `npm test` builds only
 * when the stamp is missing or differs, so the build that `npm ci` already ran (its `prepare` step)
 * is not repeated, while any edited, added or removed source rebuilds `dist/` before the tests that
 * read it (the package, bundle and validator tests).
 *
 *   tsx build/stamp.ts write      after a build
 *   tsx build/stamp.ts build      build when stale, then write the stamp
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildInputsHash, buildIsFresh, STAMP_FILE } from '../constructs/core/build-stamp.js';

const ROOT = resolve(import.meta.dirname, '..');

function main(command: string | undefined): number {
  if (command === 'write') {
    writeFileSync(join(ROOT, STAMP_FILE), `${buildInputsHash(ROOT)}\n`);
    return 0;
  }
  if (command !== 'build') {
    process.stderr.write('usage: tsx build/stamp.ts write|build\n');
    return 2;
  }
  if (buildIsFresh(ROOT)) {
    process.stdout.write(`> build: dist/ is up to date (${STAMP_FILE} matches the sources)\n`);
    return 0;
  }
  const started = performance.now();
  const run = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  const code = run.status ?? 1;
  process.stdout.write(`> build: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return code;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv[2]);
