/**
 * Adds two plain closing lines to vitest's own output, counted as vitest counts them:
 *   test files: N passed, N failed, N skipped
 *   tests: N passed, N failed, N skipped[, N todo]
 * so that tools which read a run's last lines (CI) see the counts in a runner-neutral form. A file
 * that fails to load counts as a failed file (it has no tests to count).
 */
import type { Reporter, TestModule } from 'vitest/node';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
}

export function countRun(testModules: ReadonlyArray<TestModule>): { files: Counts; tests: Counts } {
  const files: Counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  const tests: Counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  for (const module of testModules) {
    const state = module.state();
    if (state === 'failed') files.failed++;
    else if (state === 'passed') files.passed++;
    else files.skipped++;
    for (const test of module.children.allTests()) {
      const result = test.result().state;
      if (result === 'passed') tests.passed++;
      else if (result === 'failed') tests.failed++;
      else if (test.options.mode === 'todo') tests.todo++;
      else tests.skipped++;
    }
  }
  return { files, tests };
}

const line = (c: Counts): string => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${c.todo > 0 ? `, ${c.todo} todo` : ''}`;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const { files, tests } = countRun(testModules);
    process.stdout.write(`\ntest files: ${line(files)}\ntests: ${line(tests)}\n`);
  }
}
