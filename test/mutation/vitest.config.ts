/**
 * The tests Stryker runs against each mutant: the fast unit tests of the mutated modules. Tests
 * that synthesize the whole mesh (about 80 s here), start moto or generate sample data for DuckDB
 * stay out: Stryker reruns a test file's setup for every mutant it covers.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: [
      'test/unit/quality-*.test.ts',
      'test/unit/access-*.test.ts',
      'test/unit/contract-diff.test.ts',
      'test/unit/catalog-search*.test.ts',
      'test/unit/catalog-api.test.ts',
      'test/unit/mesh-views.test.ts',
      'test/unit/constructs/grants.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
