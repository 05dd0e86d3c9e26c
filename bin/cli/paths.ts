import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

/** A mesh argument names mesh.yaml itself or the folder holding it; relative to `cwd`. */
export async function meshFileOf(arg: string, cwd: string): Promise<string> {
  const path = isAbsolute(arg) ? arg : resolve(cwd, arg);
  try {
    if ((await stat(path)).isDirectory()) return join(path, 'mesh.yaml');
  } catch {
    // Missing: the loader reports it with its usual diagnostic.
  }
  return path;
}
