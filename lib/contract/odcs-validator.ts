/**
 * The ODCS v3.1.0 JSON Schema as an ajv validate function, compiled at first use.
 *
 * Compiling the schema takes 0.2-0.5 s, on the cold path of every `tessera validate` and of each
 * Lambda's first contract. So `npm run build` replaces this module: in dist/ (the CLI and the
 * library) and in the Lambda bundles it is ajv's standalone code generated from the same schema
 * and options (build/odcs-validator.ts), and nothing compiles at run time. Run from the sources
 * (tests, tsx), this module compiles; test/unit/odcs-precompiled.test.ts checks both give the
 * same verdicts on every contract under test/fixtures.
 */
import type { ValidateFunction } from 'ajv/dist/2019.js';
import { newOdcsAjv } from './odcs-ajv.js';
// Imported, not read from a file beside the module: bundlers (the Lambda assets) inline it, so the
// schema travels with every piece of code that validates a contract.
import odcsSchema from './schema/odcs-json-schema-v3.1.0.json' with { type: 'json' };

let compiled: ValidateFunction | undefined;

export function odcsValidateFunction(): ValidateFunction {
  compiled ??= newOdcsAjv().compile(odcsSchema);
  return compiled;
}
