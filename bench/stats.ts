/** Timing helpers for benchmarks: medians of repeated runs, printed, never asserted. */
import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, and returns the median duration. */
export async function measure(name: string, fn: () => unknown, { runs = 15, warmup = 3 } = {}): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { name, medianMs: median(times), minMs: times[0]!, maxMs: times[times.length - 1]!, runs };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function printTable(title: string, rows: readonly Measurement[], baseline?: Measurement, unit?: { per: number; label: string }): void {
  console.log(`\n${title}`);
  for (const r of rows) {
    const ratio = baseline ? `  x${(r.medianMs / baseline.medianMs).toFixed(2)} vs ${baseline.name}` : '';
    const per = unit ? `  (${((r.medianMs * 1000) / unit.per).toFixed(1)} µs per ${unit.label})` : '';
    console.log(`  ${r.name.padEnd(44)} median ${r.medianMs.toFixed(2).padStart(9)} ms  [min ${r.minMs.toFixed(2)}, max ${r.maxMs.toFixed(2)}, n=${r.runs}]${per}${ratio}`);
  }
}
