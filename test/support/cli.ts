/** Runs the tessera CLI in-process with captured output, as a user at `cwd` would. */
import { runCli } from '../../bin/cli/program.js';
import type { CliIo } from '../../bin/cli/io.js';

export async function runTessera(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), cwd };
  const code = await runCli(argv, io);
  return { code, out, err };
}
