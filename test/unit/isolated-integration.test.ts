/**
 * Every integration file that changes process.env or imports a Lambda handler runs in a fresh
 * worker (test/support/isolated-integration.ts); a file missing from that list would leak its
 * environment, or find a handler already bound to another file's moto server, in a shared worker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATED_INTEGRATION_FILES, NEEDS_ISOLATION } from '../support/isolated-integration.js';
import { root } from './constructs/helpers.js';

const files = readdirSync(join(root, 'test/integration')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/integration/${f}`);
const needsIsolation = (file: string) => NEEDS_ISOLATION.some((pattern) => pattern.test(readFileSync(join(root, file), 'utf8')));

describe('the isolated integration files', () => {
  it('include every integration file that sets process.env or imports a handler', () => {
    expect(files.filter(needsIsolation).filter((f) => !ISOLATED_INTEGRATION_FILES.includes(f))).toEqual([]);
  });

  it('name only files that exist', () => {
    expect(ISOLATED_INTEGRATION_FILES.filter((f) => !files.includes(f))).toEqual([]);
  });

  it('recognise what needs isolation', () => {
    const cases = ["process.env.CDK_VALIDATION = 'false';", 'Object.assign(process.env, env);', "import { handler } from '../../lambdas/catalog/api-handler.js';", 'delete process.env.X;', "process.env['A'] ??= 'b';"];
    for (const text of cases) expect(NEEDS_ISOLATION.some((p) => p.test(text)), text).toBe(true);
    expect(NEEDS_ISOLATION.some((p) => p.test('const env = { ...process.env, A: 1 }; if (process.env.A === "1") {}')), 'reads only').toBe(false);
  });
});
