/**
 * `tsx bin/local/run-all.ts lint typecheck build`: runs npm scripts at the same time and fails when
 * any fails. `npm test` runs its checks this way: each is mostly one single-threaded process
 * (eslint, tsc), so on two cores running them side by side takes about as long as the longest.
 * Each script's output is printed whole when it ends, so the logs do not interleave.
 */
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  process.stderr.write('usage: run-all.ts <npm script>...\n');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const results = await Promise.all(
  scripts.map(
    (script) =>
      new Promise<{ script: string; code: number; seconds: number }>((resolve) => {
        const started = performance.now();
        const child = spawn(npm, ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('close', (code) => {
          const seconds = (performance.now() - started) / 1000;
          process.stdout.write(`${output}${output === '' || output.endsWith('\n') ? '' : '\n'}> ${script}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s\n`);
          resolve({ script, code: code ?? 1, seconds });
        });
      }),
  ),
);
const failed = results.filter((r) => r.code !== 0);
if (failed.length > 0) {
  process.stderr.write(`failed: ${failed.map((r) => r.script).join(', ')}\n`);
  process.exit(1);
}
