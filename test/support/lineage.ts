/** A hand-written OpenLineage RunEvent for tests of what stores and forwards events unchanged. */
import type { RunEvent } from '../../lib/lineage/openlineage/run-event.js';

const ATHENA = 'awsathena://athena.eu-west-1.amazonaws.com';

/** A COMPLETE run of `job` in mesh `ecommerce`, reading and writing the named Athena datasets (`<database>.<table>`). */
export function handWrittenEvent(job: string, inputs: readonly string[], outputs: readonly string[]): RunEvent {
  return {
    eventType: 'COMPLETE',
    eventTime: '2026-12-01T00:00:00.000Z',
    producer: 'https://www.npmjs.com/package/tessera-mesh',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: '0b5c4a52-3f8e-4c1a-9d0e-5c1f2b3a4d5e' },
    job: { namespace: 'tessera://ecommerce', name: job, facets: {} },
    inputs: inputs.map((name) => ({ namespace: ATHENA, name: `AwsDataCatalog.${name}` })),
    outputs: outputs.map((name) => ({ namespace: ATHENA, name: `AwsDataCatalog.${name}` })),
  };
}
