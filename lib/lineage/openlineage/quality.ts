/**
 * The OpenLineage event of a quality run: one run of the job `<product>.quality` reading the
 * product's tables, each input with the dataQualityAssertions facet (every check of the table,
 * whether it passed, its column) and the dataQualityMetrics facet (the rows counted, when the run
 * counted them). The run is FAIL when a check of severity error failed or could not be measured, as
 * the quality service judges a run; COMPLETE otherwise.
 */
import { dataQualityAssertionsFacet, dataQualityMetricsFacet, type Assertion } from './facets.js';
import { athenaDataset, runIdFor } from './naming.js';
import { runEvent, type RunEvent } from './run-event.js';

export interface QualityTableResult {
  /** The table's physical (Glue) name. */
  readonly table: string;
  readonly assertions: readonly Assertion[];
  /** @default - not measured: the facet has no rowCount */
  readonly rowCount?: number;
}

export interface QualityLineage {
  readonly mesh: string;
  readonly region: string;
  readonly product: string;
  /** The product's Glue database. */
  readonly database: string;
  /** The quality service's run id (not a UUID: the run's OpenLineage id is derived from it). */
  readonly runId: string;
  readonly at: string;
  readonly failed: boolean;
  readonly tables: readonly QualityTableResult[];
}

export function qualityRunEvent(q: QualityLineage): RunEvent {
  return runEvent({
    mesh: q.mesh,
    job: `${q.product}.quality`,
    jobType: 'QUALITY',
    runId: runIdFor(`quality/${q.mesh}/${q.product}/${q.runId}`),
    eventType: q.failed ? 'FAIL' : 'COMPLETE',
    eventTime: q.at,
    inputs: q.tables.map((t) => ({
      ...athenaDataset(q.region, q.database, t.table),
      inputFacets: {
        dataQualityAssertions: dataQualityAssertionsFacet(t.assertions),
        // columnMetrics is required by the facet; the quality events carry no per-column measures yet.
        dataQualityMetrics: dataQualityMetricsFacet({ rowCount: t.rowCount, columnMetrics: {} }),
      },
    })),
  });
}
