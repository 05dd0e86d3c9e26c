/**
 * The OpenLineage facets Tessera emits, each with the `_producer` and `_schemaURL` every facet
 * carries (BaseFacet in spec 2-0-2). The schema URLs are the `$id`s of the vendored facet schemas
 * (./schema/README.md), so a consumer can check a facet against the exact version it was made for.
 */
/** The spec version of the events (`schemaURL` of an event). */
export const OPENLINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';
export const RUN_EVENT_SCHEMA_URL = `${OPENLINEAGE_SCHEMA_URL}#/$defs/RunEvent`;

/** Who made the event: the `tessera-mesh` package (its name in package.json). */
export const PRODUCER = 'https://www.npmjs.com/package/tessera-mesh';

const FACETS = 'https://openlineage.io/spec/facets';
const base = (schema: string, def: string) => ({ _producer: PRODUCER, _schemaURL: `${FACETS}/${schema}#/$defs/${def}` });

export interface SchemaField {
  readonly name: string;
  readonly type?: string;
  readonly description?: string;
}

export const schemaFacet = (fields: readonly SchemaField[]) => ({
  ...base('1-2-0/SchemaDatasetFacet.json', 'SchemaDatasetFacet'),
  fields: fields.map((f, i) => ({ name: f.name, ...(f.type ? { type: f.type } : {}), ...(f.description ? { description: f.description } : {}), ordinal_position: i + 1 })),
});

export const ownershipFacet = (owners: readonly { name: string; type?: string }[]) => ({ ...base('1-0-1/OwnershipDatasetFacet.json', 'OwnershipDatasetFacet'), owners: owners.map((o) => ({ ...o })) });

export const documentationFacet = (description: string) => ({ ...base('1-1-0/DocumentationDatasetFacet.json', 'DocumentationDatasetFacet'), description });

export const symlinksFacet = (identifiers: readonly { namespace: string; name: string; type: string }[]) => ({
  ...base('1-0-1/SymlinksDatasetFacet.json', 'SymlinksDatasetFacet'),
  identifiers: identifiers.map((i) => ({ ...i })),
});

export interface Assertion {
  readonly assertion: string;
  readonly success: boolean;
  readonly column?: string;
  readonly severity?: string;
  readonly name?: string;
  readonly expected?: string;
  readonly actual?: string;
}

export const dataQualityAssertionsFacet = (assertions: readonly Assertion[]) => ({
  ...base('1-1-0/DataQualityAssertionsDatasetFacet.json', 'DataQualityAssertionsDatasetFacet'),
  assertions: assertions.map((a) => ({ ...a })),
});

export const dataQualityMetricsFacet = (metrics: { rowCount?: number; columnMetrics: Readonly<Record<string, Readonly<Record<string, number>>>> }) => ({
  ...base('1-0-3/DataQualityMetricsInputDatasetFacet.json', 'DataQualityMetricsInputDatasetFacet'),
  ...(metrics.rowCount !== undefined ? { rowCount: metrics.rowCount } : {}),
  columnMetrics: metrics.columnMetrics,
});

export interface InputField {
  readonly namespace: string;
  readonly name: string;
  readonly field: string;
  readonly transformations: readonly { readonly type: string; readonly subtype?: string }[];
}

export const columnLineageFacet = (fields: Readonly<Record<string, readonly InputField[]>>, dataset: readonly InputField[]) => ({
  ...base('1-2-0/ColumnLineageDatasetFacet.json', 'ColumnLineageDatasetFacet'),
  fields: Object.fromEntries(Object.entries(fields).map(([column, inputFields]) => [column, { inputFields: [...inputFields] }])),
  ...(dataset.length > 0 ? { dataset: [...dataset] } : {}),
});

/** Every Tessera job is a batch job of integration `TESSERA`; `jobType` says which kind. */
export const jobTypeFacet = (jobType: 'PUBLICATION' | 'QUALITY' | 'VIEW' | 'PRODUCT') => ({
  ...base('2-0-4/JobTypeJobFacet.json', 'JobTypeJobFacet'),
  processingType: 'BATCH',
  integration: 'TESSERA',
  jobType,
});

export const sqlFacet = (query: string) => ({ ...base('1-1-0/SQLJobFacet.json', 'SQLJobFacet'), query, dialect: 'athena' });
