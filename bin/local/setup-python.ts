/**
 * `npm run setup:python`: creates `.venv` (if missing) and installs requirements-dev.txt into it.
 * Fast when nothing changed: a stamp in .venv holds the sha256 of the requirements last installed,
 * and pip runs only when the file differs (or the venv is new).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VENV_DIR, venvProgram } from './python-tools.js';

const requirementsFile = join(VENV_DIR, '..', 'requirements-dev.txt');
const stamp = join(VENV_DIR, '.requirements.sha256');
const wanted = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex');

function run(program: string, args: readonly string[], hint: string): void {
  try {
    execFileSync(program, args, { stdio: 'inherit' });
  } catch (e) {
    process.stderr.write(`\nsetup:python failed: ${program} ${args.join(' ')}: ${(e as Error).message}\n${hint}\n`);
    process.exit(1);
  }
}

if (!existsSync(join(VENV_DIR, 'pyvenv.cfg'))) {
  const python = process.env.PYTHON ?? 'python3';
  run(python, ['-m', 'venv', VENV_DIR], `Python 3.9+ with its venv module is needed (Debian/Ubuntu: apt install python3-venv); set PYTHON to use another interpreter.`);
}
if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) process.exit(0);
run(venvProgram('python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirementsFile], 'pip could not install requirements-dev.txt into .venv (is PyPI reachable?)');
writeFileSync(stamp, `${wanted}\n`);
