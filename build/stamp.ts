/**
 * The build's input stamp: one SHA-256 over every file `npm run build` reads (the sources, the build
 * scripts, the web catalog, the package and TypeScript configs), written to `dist/.inputs-sha256`
 * when a build succeeds. `npm test` builds only when the stamp is missing or differs, so the build
 * that `npm ci` already ran (its `prepare` step) is not repeated, while any edited, added or removed
 * source rebuilds `dist/` before the tests that read it (the package, bundle and validator tests).
 *
 *   tsx build/stamp.ts write      after a build
 *   tsx build/stamp.ts build      build when stale, then write the stamp
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const INPUT_DIRS = ['bin', 'build', 'constructs', 'lambdas', 'lib', 'web'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
export const STAMP_FILE = join('dist', '.inputs-sha256');

/** The hash of the build's inputs under `root`: relative paths and contents, in sorted order. */
export function buildInputsHash(root = ROOT): string {
  const files = INPUT_FILES.filter((f) => existsSync(join(root, f)));
  for (const dir of INPUT_DIRS) {
    if (!existsSync(join(root, dir))) continue;
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && !entry.parentPath.includes('node_modules')) files.push(join(entry.parentPath, entry.name).slice(root.length + 1));
    }
  }
  const hash = createHash('sha256');
  for (const file of files.sort()) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}

/** Whether `dist/` was built from the inputs as they are now. */
export function buildIsFresh(root = ROOT): boolean {
  const stamp = join(root, STAMP_FILE);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === buildInputsHash(root);
}

function main(command: string | undefined): number {
  if (command === 'write') {
    writeFileSync(join(ROOT, STAMP_FILE), `${buildInputsHash()}\n`);
    return 0;
  }
  if (command !== 'build') {
    process.stderr.write('usage: tsx build/stamp.ts write|build\n');
    return 2;
  }
  if (buildIsFresh()) {
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
