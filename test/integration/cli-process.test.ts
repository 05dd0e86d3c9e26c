/**
 * The built `tessera` program in a child process, as a shell runs it: a reader that closes the pipe
 * early (`tessera ... | head`), and what reaches stderr on every command that uses the AWS SDK.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = join(root, pkg.bin.tessera!);

/** Runs the program; with `closeStdout`, the reading end of its stdout is closed before it writes. */
function tessera(args: readonly string[], options: { closeStdout?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (options.closeStdout) child.stdout.destroy();
  else child.stdout.resume();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('the tessera program in a shell pipeline', () => {
  it.each([['diff', '--help'], ['validate', 'mesh'], ['access', 'matrix', 'mesh']])('`tessera %s ... | head` exits quietly when the reader stops', async (...args) => {
    const { code, stderr } = await tessera(args, { closeStdout: true });
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('prints no AWS SDK Node-version warning', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    // The Athena client is created and calls out (nothing listens on port 9): the SDK has loaded.
    const { code, stderr } = await tessera(['query', 'SELECT 1'], { env });
    expect(code).not.toBe(0);
    expect(stderr).not.toMatch(/NodeVersionSupportWarning|NodeDeprecationWarning/);
    expect(stderr).toContain('ECONNREFUSED');
  });
});
