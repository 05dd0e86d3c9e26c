/**
 * Where a Tessera Lambda's code comes from (`prebuiltAssetOf`): an installed package's pre-built
 * bundle; in a repository, the bundle of its `dist/assets` only while the build stamp matches the
 * sources (an edited handler must not deploy yesterday's bundle); otherwise none, and the construct
 * bundles from the sources. Temporary folders stand for the package and the repository.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildInputsHash } from '../../../constructs/core/build-stamp.js';
import { prebuiltAssetOf } from '../../../constructs/core/functions.js';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-lambda-code-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.TESSERA_BUNDLE_FROM_SOURCES;
});

let folders = 0;
function folder(files: Record<string, string>): string {
  const dir = join(scratch, String(++folders));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** A repository whose dist/ was built from its sources, with the stamp a build writes. */
function builtRepository(): string {
  const repository = folder({ 'package.json': '{}', 'lambdas/quality/plan-handler.ts': 'export const handler = 1;', 'dist/assets/quality-plan-handler/index.mjs': 'export const handler=1;' });
  writeFileSync(join(repository, 'dist/.inputs-sha256'), `${buildInputsHash(repository)}\n`);
  return repository;
}

const nowhere = join(scratch, 'no-package');

describe('the code of a Tessera Lambda', () => {
  it("is an installed package's pre-built bundle, whatever the repository holds", () => {
    const pkg = folder({ 'quality-plan-handler/index.mjs': 'export const handler=1;' });
    expect(prebuiltAssetOf('quality/plan-handler', { packageAssets: pkg, repository: builtRepository() })).toBe(join(pkg, 'quality-plan-handler'));
  });

  it("is the repository's dist/assets bundle while the build stamp matches the sources", () => {
    const repository = builtRepository();
    expect(prebuiltAssetOf('quality/plan-handler', { packageAssets: nowhere, repository })).toBe(join(repository, 'dist/assets/quality-plan-handler'));
  });

  it('is bundled from the sources once a source changed after the build', () => {
    const repository = builtRepository();
    writeFileSync(join(repository, 'lambdas/quality/plan-handler.ts'), 'export const handler = 2;');
    expect(prebuiltAssetOf('quality/plan-handler', { packageAssets: nowhere, repository })).toBeUndefined();
  });

  it('is bundled from the sources once a source was added after the build', () => {
    const repository = builtRepository();
    writeFileSync(join(repository, 'lambdas/quality/new.ts'), 'export {};');
    expect(prebuiltAssetOf('quality/plan-handler', { packageAssets: nowhere, repository })).toBeUndefined();
  });

  it('is bundled from the sources when dist/ has no stamp or no bundle for the handler', () => {
    const unstamped = folder({ 'package.json': '{}', 'dist/assets/quality-plan-handler/index.mjs': 'x' });
    expect(prebuiltAssetOf('quality/plan-handler', { packageAssets: nowhere, repository: unstamped })).toBeUndefined();
    expect(prebuiltAssetOf('catalog/api-handler', { packageAssets: nowhere, repository: builtRepository() })).toBeUndefined();
  });

  it('is bundled from the sources when TESSERA_BUNDLE_FROM_SOURCES=1, even after a fresh build', () => {
    process.env.TESSERA_BUNDLE_FROM_SOURCES = '1';
    expect(prebuiltAssetOf('quality/plan-handler', { packageAssets: nowhere, repository: builtRepository() })).toBeUndefined();
  });
});
