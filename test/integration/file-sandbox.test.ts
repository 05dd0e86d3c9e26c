/**
 * The integration files share a worker (vitest.config.ts); test/support/file-sandbox.ts keeps what
 * one file sets from reaching the next. Two fixture files each set an environment variable that a
 * module reads at import, and add, change and remove variables: whichever runs second fails if it
 * finds any of it. The control run, without the sandbox, shows that the fixtures do share a worker
 * and do catch each kind of leak. (Spies need no sandbox: vitest restores them after each file.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const fixtures = join(root, 'test/fixtures/file-sandbox');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-sandbox-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  testResults: { assertionResults: { title: string; status: string }[] }[];
}

/** Runs the two fixture files in one worker and returns vitest's JSON report. */
async function runFixtures(sandbox: 'on' | 'off'): Promise<JsonReport> {
  const json = join(scratch, `${sandbox}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env, REPORT_JSON: json, SANDBOX: sandbox, SANDBOX_CHANGED: 'outer', SANDBOX_REMOVED: 'outer' };
  delete env.SANDBOX_ADDED;
  await promisify(execFile)(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(fixtures, 'vitest.config.ts')], { cwd: fixtures, env }).catch(() => undefined);
  return JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
}

/** The titles (up to the colon) of the failed tests, file by file. */
const failedByFile = (report: JsonReport) => report.testResults.map((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.title.split(':')[0]));

describe('the integration files’ sandbox', () => {
  it('gives the second file fresh modules, and the environment as it was', async () => {
    const report = await runFixtures('on');
    expect(failedByFile(report)).toEqual([[], []]);
    expect([report.numTotalTests, report.numPassedTests]).toEqual([8, 8]);
  });

  it('is what keeps them apart: without it the second file finds each thing the first left', async () => {
    const report = await runFixtures('off');
    expect(failedByFile(report).sort((a, b) => a.length - b.length)).toEqual([[], ['module', 'added', 'changed', 'removed']]);
  });
});
