/**
 * Validation against the official ODCS v3.1.0 JSON Schema (vendored in ./schema with its license),
 * with ajv's raw errors turned into findings a contract author can act on: one finding per real
 * problem, at the line it concerns, with the field's own documentation and a "did you mean".
 * `schemaCheck` does the same for the other official schema Tessera vendors (ODPS, lib/product).
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2019.js';
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import { suggest } from '../suggest.js';
import type { YamlSource } from '../yaml-source.js';
import { odcsValidateFunction } from './odcs-validator.js';
// The schema's documentation and structure explain ajv's errors (the validator has its own copy).
import odcsSchema from './schema/odcs-json-schema-v3.1.0.json' with { type: 'json' };

export type JsonSchema = Record<string, unknown>;

/** Which standard a schema is, for the findings: their rule code and where its documentation is. */
export interface SchemaStandard {
  /** The findings' rule code, e.g. `odcs-schema`. */
  readonly code: string;
  /** The standard and version, as a fix names its documentation: `ODCS v3.1.0`. */
  readonly name: string;
}

/**
 * A check of plain data against an official JSON Schema, with ajv's errors explained as findings
 * positioned in `source`. `validator` gives the schema's ajv validate function (compiled with
 * `allErrors` and `verbose`), called at the first check: compiled then, or precompiled at build time.
 */
export function schemaCheck(root: JsonSchema, standard: SchemaStandard, validator: () => ValidateFunction): (data: unknown, source: YamlSource) => Diagnostic[] {
  return (data, source) => {
    const validate = validator();
    if (validate(data)) return [];
    return explainSchemaErrors(validate.errors ?? [], root, source, standard);
  };
}

/** Validates plain data against the ODCS schema (options in odcs-ajv.ts); returns findings positioned in `source`. */
export const checkOdcsSchema = schemaCheck(odcsSchema, { code: 'odcs-schema', name: 'ODCS v3.1.0' }, odcsValidateFunction);

/** Ajv's errors (from a validator compiled with `allErrors` and `verbose`) as findings an author can act on. */
function explainSchemaErrors(errors: readonly ErrorObject[], root: JsonSchema, source: YamlSource, standard: SchemaStandard): Diagnostic[] {
  const relevant = dropQualityCascades(pruneAlternatives(errors.filter((e) => e.keyword !== 'if')), root);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of relevant) {
    const diagnostic = explain(error, root, source, standard);
    const key = `${diagnostic.path}|${diagnostic.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(diagnostic);
    }
  }
  return out;
}

/**
 * For `oneOf`/`anyOf` failures, keep either a single summary (when the alternatives only differ by
 * which field or type they want) or the errors of the alternative that got furthest — never the
 * full cross product ajv reports.
 */
function pruneAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const dropped = new Set<ErrorObject>();
  const replaced = new Map<ErrorObject, ErrorObject>();
  for (const alt of alternatives) {
    if (dropped.has(alt)) continue;
    const prefix = `${alt.schemaPath}/`;
    const branchErrors = errors.filter((e) => e !== alt && e.schemaPath.startsWith(prefix));
    const passing = (alt.params as { passingSchemas?: number[] | null }).passingSchemas;
    if (passing && passing.length > 1) {
      // Matched several alternatives: the branch errors (if any) are irrelevant.
      for (const e of branchErrors) dropped.add(e);
      continue;
    }
    if (branchErrors.length === 0) continue;
    const sameSpot = branchErrors.every((e) => e.instancePath === alt.instancePath);
    if (sameSpot && branchErrors.every((e) => e.keyword === 'required')) {
      const fields = unique(branchErrors.map((e) => (e.params as { missingProperty: string }).missingProperty));
      replaced.set(alt, { ...alt, keyword: 'x-one-of-fields', params: { fields } });
      for (const e of branchErrors) dropped.add(e);
      continue;
    }
    if (sameSpot && branchErrors.every((e) => e.keyword === 'type')) {
      const types = unique(branchErrors.map((e) => String((e.params as { type: string }).type)));
      replaced.set(alt, { ...alt, keyword: 'type', params: { type: types.join(', ') } });
      for (const e of branchErrors) dropped.add(e);
      continue;
    }
    // Keep the errors of the branch whose errors are deepest in the document (it got furthest).
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of branchErrors) {
      const branch = e.schemaPath.slice(prefix.length).split('/')[0]!;
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
    }
    const depth = (list: ErrorObject[]): number => Math.max(...list.map((e) => e.instancePath.split('/').length));
    const best = [...byBranch.values()].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0]!;
    if (depth(best) > alt.instancePath.split('/').length) {
      dropped.add(alt);
      for (const e of branchErrors) if (!best.includes(e)) dropped.add(e);
    } else {
      for (const e of branchErrors) dropped.add(e);
    }
  }
  return errors.filter((e) => !dropped.has(e)).map((e) => replaced.get(e) ?? e);
}

/** Fields a quality rule may have in one of its forms (library, sql, custom) or operators. */
function qualityFields(root: JsonSchema): Set<string> {
  const defs = (root.$defs ?? {}) as Record<string, JsonSchema>;
  return new Set(['DataQuality', 'DataQualityLibrary', 'DataQualitySql', 'DataQualityCustom', 'DataQualityOperators'].flatMap((d) => (defs[d] ? propertyNames(defs[d], root) : [])));
}

const unknownField = (e: ErrorObject): string | undefined =>
  e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties'
    ? ((e.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty ?? (e.params as { unevaluatedProperty?: string }).unevaluatedProperty)
    : undefined;

/**
 * A quality rule's form (and so the fields it may have) follows from its `metric` and its one
 * operator. One mistake there makes ajv report its consequences too: with `metric: rowcount` the
 * valid `mustBeGreaterThan` becomes an "unknown field", and with `mustbe` for `mustBe` the rule also
 * "needs exactly one of" the operators. Keep the cause, drop the consequences.
 */
function dropQualityCascades(errors: readonly ErrorObject[], root: JsonSchema): ErrorObject[] {
  const fields = qualityFields(root);
  const explained = new Set(errors.filter((e) => unknownField(e) === undefined).map((e) => (e.instancePath.endsWith('/metric') ? e.instancePath.slice(0, -'/metric'.length) : e.instancePath)));
  return errors.filter((e) => {
    const field = unknownField(e);
    // A valid field of some quality form, flagged only because the rule's form is broken elsewhere.
    if (field !== undefined) return !(fields.has(field) && explained.has(e.instancePath));
    if (e.keyword !== 'x-one-of-fields') return true;
    const wanted = (e.params as { fields: string[] }).fields;
    // "needs one of the operators" when an unknown field beside it is a misspelt operator.
    return !errors.some((u) => u.instancePath === e.instancePath && suggest(unknownField(u) ?? '', wanted) !== undefined);
  });
}

function explain(error: ErrorObject, root: JsonSchema, source: YamlSource, standard: SchemaStandard): Diagnostic {
  const path = pointerToPath(error.instancePath);
  const parent = (error.parentSchema ?? {}) as JsonSchema;
  const base = { severity: 'error' as const, code: standard.code };
  switch (error.keyword) {
    case 'required': {
      const field = (error.params as { missingProperty: string }).missingProperty;
      const doc = describeField(parent, field, root);
      return source.diagnostic(path, {
        ...base,
        message: `missing required field '${field}'${where(path)}`,
        fix: `add \`${field}:\`${doc ? ` (${doc})` : ''}`,
      });
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const field =
        (error.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty ??
        (error.params as { unevaluatedProperty?: string }).unevaluatedProperty ??
        '?';
      const known = propertyNames(parent, root);
      // Operators and metric arguments live in the schema's if/then branches, not in `parent`.
      const suggestion = suggest(field, path.includes('quality') ? [...new Set([...known, ...qualityFields(root)])] : known);
      return source.diagnostic([...path, field], {
        ...base,
        at: 'key',
        message: `unknown field '${field}'${where(path)}`,
        fix: suggestion
          ? `did you mean '${suggestion}'?`
          : `remove it, or move it under \`customProperties\`; allowed here: ${known.join(', ')}`,
      });
    }
    case 'type': {
      const expected = String((error.params as { type: string | string[] }).type);
      const written = source.sourceText(path);
      const found = describeValue(error.data, written);
      let quoteHint = `write ${article(expected)} here`;
      if (expected.includes('string') && (typeof error.data === 'number' || typeof error.data === 'boolean')) {
        quoteHint = `quote it: ${lastKey(path)}: "${written ?? String(error.data)}"`;
      } else if (expected === 'boolean') {
        quoteHint = 'write true or false, without quotes';
      } else if ((expected === 'number' || expected === 'integer') && typeof error.data === 'string') {
        quoteHint = `write the ${expected === 'integer' ? 'whole number' : 'number'} without quotes`;
      }
      return source.diagnostic(path, { ...base, message: `must be ${article(expected)}, found ${found}`, fix: quoteHint });
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const value = String(error.data);
      const suggestion = suggest(value, allowed);
      return source.diagnostic(path, {
        ...base,
        message: `'${value}' is not an allowed value`,
        fix: suggestion ? `did you mean '${suggestion}'? allowed: ${allowed.join(', ')}` : `use one of: ${allowed.join(', ')}`,
      });
    }
    case 'const': {
      const allowed = String((error.params as { allowedValue: unknown }).allowedValue);
      return source.diagnostic(path, { ...base, message: `must be '${allowed}', found ${describeValue(error.data, source.sourceText(path))}`, fix: `write '${allowed}'` });
    }
    case 'x-one-of-fields': {
      const fields = (error.params as { fields: string[] }).fields;
      return source.diagnostic(path, {
        ...base,
        message: `needs exactly one of: ${fields.join(', ')}${where(path)}`,
        fix: `add one of them, e.g. \`${fields[0]}: ...\``,
      });
    }
    case 'oneOf': {
      const present = isRecord(error.data) ? Object.keys(error.data) : [];
      const alternativesKeys = oneOfRequiredKeys(error.schema, root);
      const clashing = present.filter((k) => alternativesKeys.includes(k));
      if (clashing.length > 1) {
        return source.diagnostic(path, {
          ...base,
          message: `has ${clashing.length} of the mutually exclusive fields ${clashing.join(', ')}`,
          fix: `keep exactly one of: ${clashing.join(', ')}`,
        });
      }
      return source.diagnostic(path, { ...base, message: 'matches none or several of the allowed forms', fix: `compare it with the ${standard.name.split(' ')[0]} documentation of this field` });
    }
    case 'minItems':
    case 'maxItems': {
      const limit = (error.params as { limit: number }).limit;
      const word = error.keyword === 'minItems' ? 'at least' : 'at most';
      return source.diagnostic(path, { ...base, message: `must have ${word} ${limit} item${limit === 1 ? '' : 's'}`, fix: `give the list ${word} ${limit} item${limit === 1 ? '' : 's'}` });
    }
    case 'pattern': {
      const pattern = (error.params as { pattern: string }).pattern;
      return source.diagnostic(path, { ...base, message: `'${String(error.data)}' does not match the pattern ${pattern}`, fix: `use only characters the pattern ${pattern} allows` });
    }
    default:
      return source.diagnostic(path, { ...base, message: error.message ?? `fails the ${error.keyword} rule`, fix: `compare it with the ${standard.name} documentation of this field` });
  }
}

function pointerToPath(pointer: string): YamlPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function where(path: YamlPath): string {
  return path.length === 0 ? ' at the top level' : '';
}

function lastKey(path: YamlPath): string {
  const key = [...path].reverse().find((s) => typeof s === 'string');
  return key ?? 'value';
}

function article(type: string): string {
  if (type.includes(',')) return `one of the types ${type}`;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown, written: string | undefined): string {
  const text = written ?? JSON.stringify(value);
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${text}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = (node as JsonSchema)[part];
  return (node ?? {}) as JsonSchema;
}

/** All property names a schema object allows, following `$ref` and `allOf` like ajv evaluates them. */
function propertyNames(schema: JsonSchema, root: JsonSchema, depth = 0): string[] {
  if (depth > 8) return [];
  const names = new Set<string>();
  const props = schema.properties;
  if (isRecord(props)) for (const k of Object.keys(props)) names.add(k);
  if (typeof schema.$ref === 'string') for (const n of propertyNames(resolveRef(schema, root), root, depth + 1)) names.add(n);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) for (const s of list) for (const n of propertyNames(s as JsonSchema, root, depth + 1)) names.add(n);
  }
  return [...names].sort();
}

function describeField(schema: JsonSchema, field: string, root: JsonSchema, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const own = isRecord(schema.properties) ? (schema.properties[field] as JsonSchema | undefined) : undefined;
  if (own) {
    const target = resolveRef(own, root);
    const description = (own.description ?? target.description) as string | undefined;
    const values = (target.enum ?? target.examples) as unknown[] | undefined;
    const text = description?.replace(/\s+/g, ' ').replace(/\.$/, '');
    if (text && values) return `${text}; e.g. ${values.slice(0, 5).map(String).join(', ')}`;
    return text;
  }
  const nested = [schema.$ref ? resolveRef(schema, root) : undefined, ...((schema.allOf as JsonSchema[] | undefined) ?? [])];
  for (const s of nested) {
    if (!s) continue;
    const found = describeField(s, field, root, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function oneOfRequiredKeys(schema: unknown, root: JsonSchema): string[] {
  if (!Array.isArray(schema)) return [];
  return schema.flatMap((branch) => {
    const resolved = resolveRef(branch as JsonSchema, root);
    return Array.isArray(resolved.required) ? (resolved.required as string[]) : [];
  });
}
