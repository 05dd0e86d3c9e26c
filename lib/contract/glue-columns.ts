/**
 * Glue/Hive column types back to ODCS: the inverse of what a contract's `logicalType` and
 * `physicalType` resolve to (build.ts, glue-types.ts). The Glue type is kept exactly as
 * `physicalType`, so deploying the contract recreates the same column; `logicalType` is the one
 * ODCS type that physical type stores, and nested types get ODCS `items` and `properties`.
 */
import { GlueTypeError, glueTypeToString, parseGlueType, type GluePrimitive, type GlueType } from './glue-types.js';

/** An ODCS schema property (or `items` element) as plain YAML data. */
export type OdcsProperty = Record<string, unknown>;

const PRIMITIVE_LOGICAL: Readonly<Record<GluePrimitive, string>> = {
  string: 'string',
  tinyint: 'integer',
  smallint: 'integer',
  int: 'integer',
  bigint: 'integer',
  float: 'number',
  double: 'number',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  // Athena reads binary as varbinary; ODCS has no bytes type, and logicalTypesFor('binary') is string.
  binary: 'string',
};

/** The ODCS type fields for a parsed Glue type: logicalType, physicalType and nested structure. */
export function odcsTypeOf(type: GlueType): OdcsProperty {
  const physicalType = glueTypeToString(type);
  switch (type.kind) {
    case 'primitive':
      return { logicalType: PRIMITIVE_LOGICAL[type.name], physicalType };
    case 'decimal':
      // A decimal is a number even at scale 0: `integer` would suggest a range an int holds.
      return { logicalType: 'number', physicalType };
    case 'varchar':
    case 'char':
      return { logicalType: 'string', physicalType, logicalTypeOptions: { maxLength: type.length } };
    case 'array':
      return { logicalType: 'array', physicalType, items: odcsTypeOf(type.element) };
    case 'struct':
      return { logicalType: 'object', physicalType, properties: type.fields.map((f) => ({ name: f.name, ...odcsTypeOf(f.type) })) };
    case 'map':
      // Map keys are data, not fields: ODCS can only say "object"; physicalType keeps the key and value types.
      return { logicalType: 'object', physicalType };
  }
}

/** The ODCS type fields for a Glue type string; an unparseable one is kept as written, with the reason. */
export function odcsTypeOfText(text: string): { fields: OdcsProperty; problem?: string } {
  try {
    return { fields: odcsTypeOf(parseGlueType(text)) };
  } catch (error) {
    if (!(error instanceof GlueTypeError)) throw error;
    return { fields: { physicalType: text }, problem: error.message };
  }
}
