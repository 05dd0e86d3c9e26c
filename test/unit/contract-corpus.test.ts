/**
 * The broken-contract corpus: every file in test/fixtures/contracts/broken is a small contract with
 * one defect, and its second line says what the user must be told:
 *   # expect: <code> <line>:<column> <text the message or fix contains>
 * (`*` for a position the test does not pin down). Positions were computed from where the defect
 * was written, not from the validator's output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../lib/contract/load.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';

const dir = join(import.meta.dirname, '../fixtures/contracts/broken');
const files = readdirSync(dir).filter((f) => f.endsWith('.odcs.yaml')).sort();

interface Expectation {
  code: string;
  line?: number;
  column?: number;
  text: string;
}

function expectationOf(text: string, file: string): Expectation {
  const match = /^# expect: (\S+) (\*|(\d+):(\d+|\*)) (.+)$/m.exec(text);
  if (!match) throw new Error(`${file} has no '# expect:' line`);
  return {
    code: match[1]!,
    line: match[3] ? Number(match[3]) : undefined,
    column: match[4] && match[4] !== '*' ? Number(match[4]) : undefined,
    text: match[5]!,
  };
}

describe('broken contract corpus', () => {
  it('has at least 30 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)('%s gets the error a user needs', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const expected = expectationOf(text, file);
    const result = loadContract(text, file);
    expect(result.contract).toBeUndefined();
    const rendered = result.diagnostics.map(formatDiagnostic).join('\n');
    const match = result.diagnostics.find(
      (d) =>
        d.severity === 'error' &&
        d.code === expected.code &&
        (expected.line === undefined || d.position?.line === expected.line) &&
        (expected.column === undefined || d.position?.column === expected.column) &&
        `${d.message} ${d.fix ?? ''}`.includes(expected.text),
    );
    expect(match, `expected ${JSON.stringify(expected)} among:\n${rendered}`).toBeDefined();
    for (const d of result.diagnostics) {
      expect(d.file).toBe(file);
      expect(d.position?.line).toBeGreaterThan(0);
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.fix, `no fix for ${formatDiagnostic(d)}`).toBeTruthy();
    }
  });
});
