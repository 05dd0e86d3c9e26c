/**
 * Validation of OpenLineage events against the official 2-0-2 JSON Schemas (vendored in ./schema
 * with their license). The core schema checks an event and that every facet is a facet (`_producer`,
 * `_schemaURL`); what a facet holds is checked against its own schema, found by the facet's key.
 * Facet schemas `$ref` the core by its `$id`, so every schema is registered under its `$id`.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
// Imported, not read from files: bundlers inline them, so the schemas travel with the code.
import core from './schema/OpenLineage.json' with { type: 'json' };
import columnLineage from './schema/ColumnLineageDatasetFacet.json' with { type: 'json' };
import dataQualityAssertions from './schema/DataQualityAssertionsDatasetFacet.json' with { type: 'json' };
import dataQualityMetrics from './schema/DataQualityMetricsInputDatasetFacet.json' with { type: 'json' };
import documentation from './schema/DocumentationDatasetFacet.json' with { type: 'json' };
import jobType from './schema/JobTypeJobFacet.json' with { type: 'json' };
import ownership from './schema/OwnershipDatasetFacet.json' with { type: 'json' };
import schemaFacet from './schema/SchemaDatasetFacet.json' with { type: 'json' };
import sql from './schema/SQLJobFacet.json' with { type: 'json' };
import symlinks from './schema/SymlinksDatasetFacet.json' with { type: 'json' };

type Schema = { $id: string; properties?: Record<string, unknown> };

const FACET_SCHEMAS: readonly Schema[] = [columnLineage, dataQualityAssertions, dataQualityMetrics, documentation, jobType, ownership, schemaFacet, sql, symlinks];

interface Validators {
  readonly event: ValidateFunction;
  /** Facet key (`schema`, `symlinks`, ...) → the validator of `{ <key>: facet }`. */
  readonly facets: ReadonlyMap<string, ValidateFunction>;
}

let compiled: Validators | undefined;

function validators(): Validators {
  if (!compiled) {
    // strict: false because the official schemas carry annotations (`example`, `deprecated`) that
    // ajv's strict mode rejects; the schemas themselves are unchanged.
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajvFormats.default(ajv);
    ajv.addSchema(core);
    for (const schema of FACET_SCHEMAS) ajv.addSchema(schema);
    const facets = new Map<string, ValidateFunction>();
    for (const schema of FACET_SCHEMAS) {
      for (const key of Object.keys(schema.properties ?? {})) facets.set(key, ajv.getSchema(schema.$id)!);
    }
    compiled = { event: ajv.getSchema((core as Schema).$id)!, facets };
  }
  return compiled;
}

/** One reason an event is not valid: where (a JSON pointer into the event) and what. */
export interface OpenLineageError {
  readonly path: string;
  readonly message: string;
}

/**
 * The reasons `event` is not a valid OpenLineage 2-0-2 event; empty when it is. A facet whose key
 * has no vendored schema is only checked as a facet.
 */
export function openLineageErrors(event: unknown): OpenLineageError[] {
  const { event: validateEvent, facets } = validators();
  const errors: OpenLineageError[] = [];
  if (!validateEvent(event)) errors.push(...explain(validateEvent.errors, ''));
  for (const { path, key, facet } of facetsIn(event)) {
    const validate = facets.get(key);
    if (validate && !validate({ [key]: facet })) errors.push(...explain(validate.errors, path));
  }
  return errors;
}

function explain(errors: readonly ErrorObject[] | null | undefined, base: string): OpenLineageError[] {
  // A facet is validated wrapped as `{ <key>: facet }`: its pointers already start with `/<key>`.
  return (errors ?? []).map((e) => ({ path: `${base}${e.instancePath}`, message: `${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}` }));
}

/** Every facet of the event, with the pointer of the object holding it. */
function* facetsIn(event: unknown): Generator<{ path: string; key: string; facet: unknown }> {
  if (!isObject(event)) return;
  const holders: { path: string; value: unknown }[] = [
    { path: '/run/facets', value: isObject(event.run) ? event.run.facets : undefined },
    { path: '/job/facets', value: isObject(event.job) ? event.job.facets : undefined },
    { path: '/dataset/facets', value: isObject(event.dataset) ? event.dataset.facets : undefined },
  ];
  for (const side of ['inputs', 'outputs'] as const) {
    const datasets = Array.isArray(event[side]) ? (event[side] as unknown[]) : [];
    datasets.forEach((dataset, i) => {
      if (!isObject(dataset)) return;
      holders.push({ path: `/${side}/${i}/facets`, value: dataset.facets });
      holders.push({ path: `/${side}/${i}/${side === 'inputs' ? 'inputFacets' : 'outputFacets'}`, value: side === 'inputs' ? dataset.inputFacets : dataset.outputFacets });
    });
  }
  for (const { path, value } of holders) {
    if (!isObject(value)) continue;
    for (const [key, facet] of Object.entries(value)) yield { path, key, facet };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
