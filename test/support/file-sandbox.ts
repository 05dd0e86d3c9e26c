/**
 * The setup file of the integration files, which share a worker (vitest.config.ts) although many
 * change process.env or load a Lambda handler. Vitest runs it before each file, in its context:
 * - `vi.resetModules()` drops the worker's cache of our own modules (lambdas/, lib/, constructs/),
 *   so a handler is evaluated afresh with this file's environment, as a cold Lambda is. Packages
 *   under node_modules (aws-cdk-lib, the AWS SDK, DuckDB) are loaded by Node and stay loaded: paying
 *   for them once per worker instead of once per file is what the shared worker saves.
 * - after the file, process.env is put back as it was before it: keys added are removed, keys
 *   changed or removed are restored. (Vitest itself restores spies and mocks after each file.)
 * test/integration/file-sandbox.test.ts shows both, and that without this file they leak.
 */
import { afterAll, vi } from 'vitest';

const before = { ...process.env };
vi.resetModules();

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
  Object.assign(process.env, before);
});
