/**
 * The tests Stryker runs against each mutant: the unit tests of the mutated modules and the DuckDB
 * quality tests (real engine, no servers). Tests that start moto stay out: they are slow to start
 * per mutant and cover the same core code through handlers.
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
      'test/unit/mutation/**/*.test.ts',
      'test/unit/constructs/governance-stack.test.ts',
      'test/unit/constructs/grants.test.ts',
      'test/integration/quality-local.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
