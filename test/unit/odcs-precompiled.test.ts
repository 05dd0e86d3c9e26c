/**
 * The ODCS validator `npm run build` precompiles (ajv standalone code, build/odcs-validator.ts)
 * judges like the one compiled at run time from the same schema: the same verdict and the same
 * errors on every contract under test/fixtures, the official ODCS examples included, valid and
 * broken alike. The reference is ajv compiling the vendored schema; the subject is the generated
 * module, written to a temporary folder and imported as the dist/ and the Lambdas would.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv/dist/2019.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { precompiledOdcsValidator } from '../../build/odcs-validator.js';
import { newOdcsAjv } from '../../lib/contract/odcs-ajv.js';
import odcsSchema from '../../lib/contract/schema/odcs-json-schema-v3.1.0.json' with { type: 'json' };

const FIXTURES = join(import.meta.dirname, '../fixtures');

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The documents that parse as YAML mappings (a file with a syntax defect never reaches ajv). */
const documents = yamlFilesUnder(FIXTURES).flatMap((file) => {
  try {
    const data: unknown = parse(readFileSync(file, 'utf8'));
    return data !== null && typeof data === 'object' ? [{ name: relative(FIXTURES, file), data }] : [];
  } catch {
    return [];
  }
});

// Inside the repository (.tessera/ is ignored by git), so the module resolves ajv-formats.
const scratch = join(import.meta.dirname, '../../.tessera');
mkdirSync(scratch, { recursive: true });
const temporary = mkdtempSync(join(scratch, 'precompiled-odcs-'));
let precompiled: ValidateFunction;
const compiled = newOdcsAjv().compile(odcsSchema);

beforeAll(async () => {
  const file = join(temporary, 'odcs-validator.mjs');
  writeFileSync(file, precompiledOdcsValidator());
  const module = (await import(pathToFileURL(file).href)) as { odcsValidateFunction: () => ValidateFunction };
  precompiled = module.odcsValidateFunction();
});
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe('the precompiled ODCS validator', () => {
  it('covers valid and invalid contracts, the official examples among them', () => {
    expect(documents.length).toBeGreaterThanOrEqual(60);
    expect(documents.filter((d) => d.name.startsWith('odcs-examples/')).length).toBeGreaterThanOrEqual(10);
    const verdicts = documents.map((d) => compiled(d.data));
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(10);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(10);
  });

  it.each(documents.map((d) => [d.name, d.data] as const))('%s: same verdict and errors', (_name, data) => {
    const expected = compiled(data);
    const expectedErrors = structuredClone(compiled.errors ?? null);
    expect(precompiled(data)).toBe(expected);
    expect(precompiled.errors ?? null).toEqual(expectedErrors);
  });
});
