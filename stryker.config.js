// Mutation testing (`npm run mutate`, never part of `npm test` or CI): Stryker changes the code
// under test one small edit at a time and reruns the tests that cover the edit; an edit no test
// notices (a surviving mutant) is a behaviour no test pins down. See docs/mutation-testing.md.
//
// One module group per run keeps a run short on a shared machine: MUTATE_GROUP=<name> npm run mutate.
// Without it, every group runs in one go.
import process from 'node:process';

// On 2 shared cores a mutant takes 10 to 40 s to test, so the groups cover the code that decides
// meaning (SQL, verdicts, scores, grants) rather than every line; `MUTATE_GROUP=<name>-all` widens
// a group to its whole module.
const groups = {
  quality: ['lib/quality/dialects.ts:43-75', 'lib/quality/compile.ts:163-170'],
  access: ['lib/access/plan.ts:206-228', 'lib/access/plan.ts:254-283'],
  diff: ['lib/contract/diff/type-lattice.ts:23-27', 'lib/contract/diff/type-lattice.ts:61-80'],
  search: ['lib/catalog/search.ts:244-272'],
  grants: ['constructs/core/grants.ts'],
  'quality-all': ['lib/quality/**/*.ts'],
  'access-all': ['lib/access/**/*.ts'],
  'diff-all': ['lib/contract/diff/**/*.ts'],
  'search-all': ['lib/catalog/search.ts'],
};
const group = process.env.MUTATE_GROUP ?? 'all';
if (group !== 'all' && !(group in groups)) {
  throw new Error(`MUTATE_GROUP=${group} is not a module group; use one of ${Object.keys(groups).join(', ')} (or leave it unset for all)`);
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: group === 'all' ? [...new Set(Object.entries(groups).flatMap(([name, globs]) => (name.endsWith('-all') ? [] : globs)))] : groups[group],
  coverageAnalysis: 'perTest',
  // Reruns only mutants whose code or covering tests changed since the last run of the same group.
  incremental: true,
  incrementalFile: `reports/stryker/incremental-${group}.json`,
  // The machine is shared: one test process at a time (MUTATE_CONCURRENCY=2 when it is quiet).
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  timeoutMS: 60_000,
  // The first run synthesizes stacks and starts DuckDB; on a loaded 2-core machine that takes minutes.
  dryRunTimeoutMinutes: 40,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/stryker/${group}.html` },
  jsonReporter: { fileName: `reports/stryker/${group}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
