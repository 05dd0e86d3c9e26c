/**
 * The integration test files that run each in a fresh worker (vitest project `integration-isolated`);
 * the others share a worker's module cache (`isolate: false`). A file belongs here when it changes
 * process.env (the change would outlive it in a shared worker) or imports a Lambda handler, whose
 * clients, logger and metrics are fixed at import from the environment, as in Lambda.
 * test/unit/isolated-integration.test.ts keeps the list complete.
 */
export const ISOLATED_INTEGRATION_FILES = [
  'access-requests-cli',
  'access-requests-moto',
  'catalog-cli',
  'catalog-handlers',
  'catalog-ingest-batch',
  'doctor-live',
  'import-glue',
  'lakeformation-lockdown',
  'lambda-bundles',
  'lineage-catalog-cli',
  'mesh-scale-synth',
  'openlineage-http-sink',
  'quality-handlers',
  'quality-state-machine',
  'query-athena',
].map((name) => `test/integration/${name}.test.ts`);

/** What makes a file need its own worker: an assignment to process.env or an import from lambdas/. */
export const NEEDS_ISOLATION = [/process\.env\.\w+\s*(\?\?)?=[^=]/, /process\.env\[[^\]]+\]\s*(\?\?)?=[^=]/, /Object\.assign\(process\.env/, /delete process\.env\./, /vi\.stubEnv/, /from '\.\.\/\.\.\/lambdas\//];
