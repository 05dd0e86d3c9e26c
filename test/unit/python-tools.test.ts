/** The Python tools come from the project's .venv, with a clear error when it is not set up. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VENV_DIR, venvProgram } from '../../bin/local/python-tools.js';

const root = join(import.meta.dirname, '../..');

describe('the project virtual environment', () => {
  it('lives in the repository as .venv', () => {
    expect(VENV_DIR).toBe(join(root, '.venv'));
  });

  it('names a program that is not installed and says how to install it', () => {
    expect(() => venvProgram('no-such-tool')).toThrow(`${join(root, '.venv', 'bin', 'no-such-tool')} is missing: the Python tools are not installed. Run \`npm run setup:python\``);
  });

  it('gives the pinned moto and cfn-lint once `npm run setup:python` ran (npm test runs it first)', () => {
    expect(existsSync(venvProgram('python'))).toBe(true);
    expect(existsSync(venvProgram('cfn-lint'))).toBe(true);
    expect(existsSync(venvProgram('moto_server'))).toBe(true);
  });
});
