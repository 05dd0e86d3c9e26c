/**
 * The ajv instance the ODCS v3.1.0 JSON Schema is compiled with, in one place: the validator
 * compiled at first use (odcs-validator.ts) and the one precompiled at build time
 * (build/odcs-validator.ts) must agree option for option, or their verdicts would differ.
 */
import { Ajv2019, type Options } from 'ajv/dist/2019.js';
import ajvFormats from 'ajv-formats';

/**
 * An ajv for an official JSON Schema (draft 2019-09) whose errors `schemaCheck` explains: every
 * error (`allErrors`), with the failing data (`verbose`), formats checked.
 */
export function newSchemaAjv(strict: boolean, code?: Options['code']): Ajv2019 {
  const ajv = new Ajv2019({ allErrors: true, strict, verbose: true, code });
  ajvFormats.default(ajv);
  return ajv;
}

/** `code` is set by the build (`{ source: true, esm: true }`) to emit standalone code. */
export function newOdcsAjv(code?: Options['code']): Ajv2019 {
  // strict: false because the official schema uses annotations (`examples` inside `$defs` items,
  // `deprecated`) that ajv's strict mode rejects; the schema itself is the standard's, unchanged.
  return newSchemaAjv(false, code);
}
