/**
 * The closing summary line counts what vitest counts: a run of fixture files (passing, failing,
 * skipped, todo, and one that cannot load) with the summary reporter beside vitest's own JSON
 * reporter, whose figures are the expectation.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-reporter-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { status: string; assertionResults: unknown[] }[];
}

describe('the summary reporter', () => {
  it('prints the file and test counts of vitest itself', async () => {
    const json = join(scratch, 'report.json');
    const fixtures = join(root, 'test/fixtures/reporter');
    const vitest = join(root, 'node_modules/vitest/vitest.mjs');
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(process.execPath, [vitest, 'run', '--config', join(fixtures, 'vitest.config.ts')], { cwd: fixtures, env: { ...process.env, REPORT_JSON: json } }));
    } catch (e) {
      // The fixtures fail on purpose: vitest exits 1.
      stdout = (e as { stdout: string }).stdout;
    }
    const report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
    const files = (status: string): number => report.testResults.filter((f) => f.status === status).length;
    // A file whose tests are all skipped is "passed" in the JSON report; vitest's own summary and
    // ours call it skipped.
    const allSkipped = report.testResults.filter((f) => f.status === 'passed' && (f.assertionResults as { status: string }[]).every((a) => a.status !== 'passed')).length;
    expect(stdout).toContain(`\ntest files: ${files('passed') - allSkipped} passed, ${files('failed')} failed, ${allSkipped} skipped\n`);
    expect(stdout).toContain(`\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped, ${report.numTodoTests} todo\n`);
    // And the figures of these fixtures, counted by hand: 4 files (1 passing, 1 failing, 1 that
    // cannot load, 1 skipped); 3 tests pass, 1 fails, 2 are skipped, 1 is todo.
    expect(stdout).toContain('\ntest files: 1 passed, 2 failed, 1 skipped\ntests: 3 passed, 1 failed, 2 skipped, 1 todo\n');
  });
});
