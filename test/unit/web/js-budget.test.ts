import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { javascriptBudget, JS_BUDGET_BYTES } from '../../../build/web-catalog.js';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-budget-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the web catalog JavaScript budget', () => {
  it('is 200 KB gzipped', () => {
    expect(JS_BUDGET_BYTES).toBe(204_800);
  });

  it('fails when the scripts, gzipped, pass the budget', () => {
    const dir = scratch();
    // Random bytes do not compress: 150 KB + 60 KB gzip to more than 200 KB together.
    writeFileSync(join(dir, 'assets', 'a.js'), randomBytes(150 * 1024));
    writeFileSync(join(dir, 'assets', 'b.js'), randomBytes(60 * 1024));
    const report = javascriptBudget(dir);
    expect(report.files.map((f) => f.file)).toEqual([join('assets', 'a.js'), join('assets', 'b.js')]);
    expect(report.gzipBytes).toBeGreaterThan(210 * 1024);
    expect(report.withinBudget).toBe(false);
  });

  it('counts the gzipped size, not the raw size, and ignores stylesheets', () => {
    const dir = scratch();
    // 1 MB of one repeated line gzips to a few KB.
    writeFileSync(join(dir, 'assets', 'big.js'), 'console.log("tessera");\n'.repeat(43_000));
    writeFileSync(join(dir, 'assets', 'style.css'), randomBytes(300 * 1024));
    const report = javascriptBudget(dir);
    expect(report.files).toHaveLength(1);
    expect(report.files[0]!.bytes).toBe(43_000 * 24);
    expect(report.gzipBytes).toBeLessThan(10 * 1024);
    expect(report.withinBudget).toBe(true);
  });
});
