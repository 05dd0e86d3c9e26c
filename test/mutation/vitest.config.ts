/**
 * The tests Stryker runs against each mutant: the fast unit tests of the module group being mutated
 * (MUTATE_GROUP, as in stryker.config.js). Tests that synthesize the whole mesh (about 80 s here),
 * start moto or generate sample data for DuckDB stay out: Stryker reruns a test file's setup for
 * every mutant it covers.
 */
import { defineConfig } from 'vitest/config';

const tests: Record<string, string[]> = {
  quality: ['test/unit/quality-*.test.ts'],
  access: ['test/unit/access-*.test.ts'],
  diff: ['test/unit/contract-diff*.test.ts'],
  search: ['test/unit/catalog-search*.test.ts'],
  grants: ['test/unit/constructs/grants.test.ts'],
};
const group = (process.env.MUTATE_GROUP ?? 'all').replace(/-all$/, '');

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: group === 'all' ? Object.values(tests).flat() : (tests[group] ?? []),
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
