/**
 * Validation against the official ODPS v1.1.0 JSON Schema (vendored in ./schema with its license),
 * explained like a contract's: one finding per real problem, at its line, with a "did you mean".
 */
import type { ValidateFunction } from 'ajv/dist/2019.js';
import { newSchemaAjv } from '../contract/odcs-ajv.js';
import { schemaCheck } from '../contract/schema-check.js';
// Imported, not read from a file beside the module, so that bundlers inline it (as for ODCS).
import odpsSchema from './schema/odps-json-schema-v1.1.0.json' with { type: 'json' };

/**
 * Validates plain data against the ODPS v1.1.0 schema; returns findings positioned in `source`.
 * Unlike the ODCS schema, this one compiles in ajv's strict mode: kept on.
 */
export const checkOdpsSchema = schemaCheck(odpsSchema, { code: 'odps-schema', name: 'ODPS v1.1.0' }, odpsValidateFunction);

let compiled: ValidateFunction | undefined;

/** Compiled at the first descriptor (only meshes with descriptors pay for it). */
function odpsValidateFunction(): ValidateFunction {
  compiled ??= newSchemaAjv(true).compile(odpsSchema);
  return compiled;
}
