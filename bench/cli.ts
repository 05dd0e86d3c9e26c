/**
 * How quickly the built CLI (`node dist/bin/tessera.js`, as `npm run build` writes it) answers:
 * `tessera --help`, `tessera validate <one contract>` and `tessera validate mesh/`, each a fresh
 * process, the median of several, with the ratio to the goal of issue 13 and to Node's own start
 * (`node -e 0`) measured in the same run, the commands interleaved so load hits them alike.
 * Figures are printed, nothing is asserted. Needs `npm run build` first.
 *
 *   npm run bench -- cli        (TESSERA_BENCH_CLI_RUNS=<n>, default 7)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'bin', 'tessera.js');
const RUNS = Number(process.env.TESSERA_BENCH_CLI_RUNS ?? 7);

interface Command {
  readonly name: string;
  readonly args: readonly string[];
  /** The goal in seconds (issue 13 §5); none for the floor. */
  readonly goalS?: number;
}

const COMMANDS: readonly Command[] = [
  { name: 'node -e 0 (the floor)', args: ['-e', '0'] },
  { name: 'tessera --help', args: [CLI, '--help'], goalS: 0.3 },
  { name: 'tessera validate <one contract>', args: [CLI, 'validate', 'mesh/orders/order-lines.odcs.yaml'], goalS: 0.5 },
  { name: 'tessera validate mesh/', args: [CLI, 'validate', 'mesh/'], goalS: 2 },
];

/** Wall time of one fresh process, start to exit, in ms; a failing command stops the bench. */
function runMs(args: readonly string[]): number {
  const start = performance.now();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
  return performance.now() - start;
}

export function benchCli(): Promise<void> {
  if (!existsSync(CLI)) {
    console.log(`\nCLI: ${CLI} is missing; run npm run build first`);
    return Promise.resolve();
  }
  const times = COMMANDS.map((): number[] => []);
  for (const command of COMMANDS) runMs(command.args); // warm the file cache
  for (let run = 0; run < RUNS; run++) COMMANDS.forEach((command, i) => times[i]!.push(runMs(command.args)));
  const floor = median(times[0]!);
  console.log(`\nCLI start-up (wall time of a fresh process: median of ${RUNS}, the commands interleaved)`);
  COMMANDS.forEach((command, i) => {
    const ms = median(times[i]!);
    const goal = command.goalS === undefined ? '' : `  goal ${command.goalS} s: x${(ms / 1000 / command.goalS).toFixed(2)} of it (${ms / 1000 <= command.goalS ? 'met' : 'missed'})`;
    const overFloor = i === 0 ? '' : `  floor + ${(ms - floor).toFixed(0)} ms`;
    console.log(`  ${command.name.padEnd(34)} median ${ms.toFixed(0).padStart(6)} ms  [min ${Math.min(...times[i]!).toFixed(0)}, max ${Math.max(...times[i]!).toFixed(0)}]${overFloor}${goal}`);
  });
  return Promise.resolve();
}
