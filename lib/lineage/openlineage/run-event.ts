/**
 * The shape of the OpenLineage RunEvents Tessera emits. Every event is a RunEvent, also where a
 * DatasetEvent would say enough (a publication): Amazon DataZone / SageMaker Unified Studio takes
 * RunEvents only ("Currently, Amazon SageMaker Unified Studio only supports RunEvents":
 * https://docs.aws.amazon.com/fr_fr/sagemaker-unified-studio/latest/userguide/datazone-data-lineage-what-is-openlineage.html),
 * and Marquez and the catalog's own store take RunEvents too, so one event serves every sink.
 */
import { jobTypeFacet, PRODUCER, RUN_EVENT_SCHEMA_URL } from './facets.js';
import { jobNamespace, type DatasetId } from './naming.js';

type Facets = Record<string, object>;

export interface Dataset extends DatasetId {
  readonly facets?: Facets;
}
export interface InputDataset extends Dataset {
  readonly inputFacets?: Facets;
}
export interface OutputDataset extends Dataset {
  readonly outputFacets?: Facets;
}

export interface RunEvent {
  readonly eventType: 'COMPLETE' | 'FAIL';
  readonly eventTime: string;
  readonly producer: string;
  readonly schemaURL: string;
  readonly run: { readonly runId: string; readonly facets?: Facets };
  readonly job: { readonly namespace: string; readonly name: string; readonly facets: Facets };
  readonly inputs: readonly InputDataset[];
  readonly outputs: readonly OutputDataset[];
}

export interface RunEventParts {
  readonly mesh: string;
  readonly job: string;
  readonly jobType: Parameters<typeof jobTypeFacet>[0];
  readonly jobFacets?: Facets;
  readonly runId: string;
  readonly eventType?: RunEvent['eventType'];
  readonly eventTime: string;
  readonly inputs?: readonly InputDataset[];
  readonly outputs?: readonly OutputDataset[];
}

export function runEvent(parts: RunEventParts): RunEvent {
  return {
    eventType: parts.eventType ?? 'COMPLETE',
    eventTime: parts.eventTime,
    producer: PRODUCER,
    schemaURL: RUN_EVENT_SCHEMA_URL,
    run: { runId: parts.runId },
    job: { namespace: jobNamespace(parts.mesh), name: parts.job, facets: { jobType: jobTypeFacet(parts.jobType), ...parts.jobFacets } },
    inputs: parts.inputs ?? [],
    outputs: parts.outputs ?? [],
  };
}
