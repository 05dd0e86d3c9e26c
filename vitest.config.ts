// The warnings the CLI and the CDK app turn off, off in the tests' own processes too (the workers
// inherit the environment): the SDK's Node 20 warning, and the deprecation cdk-nag's EVB1 rule makes
// CDK print on every in-process synth. Tests of those warnings unset them in their children's env.
import './bin/local/node-warnings.js';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    // Two test files at a time on two cores: most integration files spend their time waiting on a
    // child (moto, Trino, Chromium, a synth or CLI process), so one worker left a core idle.
    maxWorkers: 2,
    projects: [
      {
        // Lint and type check, started with the run and judged when they end (test/checks/global-setup.ts).
        test: { name: 'checks', include: ['test/checks/**/*.test.ts'], environment: 'node', globalSetup: ['test/checks/global-setup.ts'], testTimeout: 900_000 },
      },
      // Timeouts are hang guards, not speed claims: generous enough for a loaded 2-core machine.
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // CDK's built-in CloudFormation validation (a WebAssembly rule engine) runs on every synth
          // and takes about half of a construct test's time. Construct tests assert on the template;
          // the validation itself runs where the whole mesh is synthesized
          // (test/integration/mesh-synth.test.ts) and where the packed package is (package-install).
          env: { CDK_VALIDATION: 'false' },
          // One module cache per worker instead of one per file: aws-cdk-lib and the handlers load
          // once, not for each of the 50 files (their import was most of the project's time).
          isolate: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        // One module cache per worker, as for unit: aws-cdk-lib, the SDK and the engines load once per
        // worker instead of once per file. The project took 381 s of CPU with a worker per file, 258 s
        // when the files that leave process.env and the handlers alone shared one, and 200 s with all
        // 34 files sharing it (measured 2026-12-02, 2 cores). test/support/file-sandbox.ts
        // gives each file fresh copies of our own modules (a handler reads its environment at import,
        // as in Lambda) and puts process.env and spies back after it.
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          isolate: false,
          setupFiles: ['test/support/file-sandbox.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        // The web catalog in Debian's Chromium (docs/web-catalog.md); npm run chromium:install installs it.
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], environment: 'node', testTimeout: 300_000, hookTimeout: 600_000 },
      },
      {
        // Every statement Tessera sends to Athena, on a real Trino (docs/testing-on-trino.md).
        test: {
          name: 'trino',
          include: ['test/trino/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/trino/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
