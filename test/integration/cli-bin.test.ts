/**
 * The CLI as users run it: the compiled `tessera` program (package.json `bin`, built by `npm run
 * build`, which `npm test` runs first) in a child process, with real exit codes and streams.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = join(root, pkg.bin.tessera!);

async function tessera(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const error = e as { code: number; stdout: string; stderr: string };
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

describe('the built tessera program', () => {
  it('exists where package.json says (run npm run build)', () => {
    expect(existsSync(bin)).toBe(true);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('validates the example mesh and exits 0', async () => {
    const { code, stdout, stderr } = await tessera('validate', 'mesh');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // The mesh config, its five contracts and the shipping domain's ODPS descriptor.
    expect(stdout).toContain('7 files checked: all valid');
  });

  it('exits 1 with positioned errors for a broken contract, without a stack trace', async () => {
    const { code, stdout, stderr } = await tessera('validate', 'test/fixtures/contracts/broken/two-operators.odcs.yaml');
    expect(code).toBe(1);
    expect(stdout).toMatch(/two-operators\.odcs\.yaml:\d+:\d+ error \[odcs-schema\]/);
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });

  it('exits 2 on misuse', async () => {
    const { code, stderr } = await tessera('validate', '--frobnicate', 'mesh');
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--frobnicate'");
  });
});
