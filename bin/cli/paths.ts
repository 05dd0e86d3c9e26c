import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { MissingFileError, UsageError } from './io.js';

/**
 * A mesh argument names mesh.yaml itself or the folder holding it; relative to `cwd`. A path with
 * nothing there is a MissingFileError ("file not found"), not an invalid mesh.
 */
export async function meshFileOf(arg: string, cwd: string): Promise<string> {
  const path = isAbsolute(arg) ? arg : resolve(cwd, arg);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    const file = join(path, 'mesh.yaml');
    if (!(await stat(file).catch(() => undefined))) throw new MissingFileError(relative(cwd, file) || file, `${arg} holds no mesh.yaml; name the mesh config or the folder holding it`);
    return file;
  }
  if (!info) throw new MissingFileError(arg, 'name the mesh config (mesh.yaml) or the folder holding it');
  return path;
}

/**
 * A contract argument: the absolute path of an existing file. A mesh config given where a contract
 * belongs is a usage error that names one of the mesh's contracts instead.
 */
export async function contractFileOf(arg: string, cwd: string, command: string): Promise<string> {
  const path = isAbsolute(arg) ? arg : resolve(cwd, arg);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MissingFileError(arg, 'check the path of the contract');
    if (code === 'EISDIR') throw new UsageError(`${arg} is a folder; name one contract file (.odcs.yaml)`);
    return path;
  }
  if (/^kind:\s*["']?Mesh\b/m.test(text)) {
    const example = firstProductOf(text);
    const suggestion = example === undefined ? '' : `, e.g. tessera ${command} ${relative(cwd, join(dirname(path), example)) || example}`;
    throw new UsageError(`${arg} is a mesh config (kind: Mesh), not a data contract; name one of the contracts it lists${suggestion}`);
  }
  return path;
}

function firstProductOf(meshText: string): string | undefined {
  try {
    const mesh = parse(meshText) as { domains?: { products?: unknown[] }[] };
    const product = mesh.domains?.flatMap((d) => d.products ?? [])[0];
    return typeof product === 'string' ? product : undefined;
  } catch {
    return undefined;
  }
}
