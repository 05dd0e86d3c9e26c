/**
 * The Python tools Tessera runs (moto, cfn-lint; pinned in requirements-dev.txt) live in a project-
 * local virtual environment, `.venv`: stock Debian and Ubuntu Pythons refuse `pip install` outside
 * one (PEP 668, "externally-managed-environment"). `npm run setup:python` creates it; every caller
 * takes its programs from here, never from PATH, so the pinned versions are the ones that run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root: this file is bin/local/python-tools.ts, or dist/bin/local/python-tools.js. */
const root = join(import.meta.dirname, import.meta.dirname.includes(`${join('dist', 'bin')}`) ? '../../..' : '../..');

export const VENV_DIR = join(root, '.venv');

/** A program of the project's virtual environment, e.g. `python` or `cfn-lint`. */
export function venvProgram(name: string): string {
  const program = process.platform === 'win32' ? join(VENV_DIR, 'Scripts', `${name}.exe`) : join(VENV_DIR, 'bin', name);
  if (!existsSync(program)) {
    throw new Error(`${program} is missing: the Python tools are not installed. Run \`npm run setup:python\` (it creates .venv and installs requirements-dev.txt).`);
  }
  return program;
}
