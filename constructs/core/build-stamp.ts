/**
 * The build's input stamp: one SHA-256 over every file `npm run build` reads (the sources, the build
 * scripts, the web catalog, the package and TypeScript configs), written to `dist/.inputs-sha256`
 * when a build succeeds (build/stamp.ts). It says whether `dist/` was built from the sources as they
 * are now: `npm test` builds only when it is not, and a synth from the sources takes the Lambda
 * bundles of a fresh `dist/assets` instead of bundling them again (functions.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const INPUT_DIRS = ['bin', 'build', 'constructs', 'lambdas', 'lib', 'web'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
export const STAMP_FILE = join('dist', '.inputs-sha256');

/** The hash of the build's inputs under `root`: relative paths and contents, in sorted order. */
export function buildInputsHash(root: string): string {
  const files = INPUT_FILES.filter((f) => existsSync(join(root, f)));
  for (const dir of INPUT_DIRS) {
    if (!existsSync(join(root, dir))) continue;
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && !entry.parentPath.includes('node_modules')) files.push(relative(root, join(entry.parentPath, entry.name)));
    }
  }
  const hash = createHash('sha256');
  for (const file of files.sort()) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}

/** Whether `root`'s `dist/` was built from its inputs as they are now. */
export function buildIsFresh(root: string): boolean {
  const stamp = join(root, STAMP_FILE);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === buildInputsHash(root);
}
