/**
 * What a quality run publishes, named once for the evaluate handler that writes it and the
 * constructs that alarm on it and grant writing it: the CloudWatch namespace, metric names and
 * dimensions. (The `tessera.quality` event's source and detail type live with the other catalog
 * events in lib/catalog/publication.ts.)
 */
export const QUALITY_METRIC_NAMESPACE = 'Tessera/Quality';

export const QUALITY_METRIC = {
  /** Error-severity checks that failed in the run (the alarm's metric). */
  failedErrorChecks: 'FailedErrorChecks',
  /** Checks the run could not measure. */
  unmeasuredChecks: 'UnmeasuredChecks',
  /** 1 when one check failed, else 0; per product and check. */
  checkFailed: 'CheckFailed',
  /**
   * Seconds between the run and the newest value of a latency (freshness) SLA's column; per product
   * and check. Published only when the run measured it, so a run that never reports leaves the
   * metric missing, which the SLA alarm counts as breaching.
   */
  dataAge: 'DataAge',
  /** Share of the run's checks that passed, 0..100; per product. */
  passRate: 'PassRate',
  /** Rows the run's aggregate statements counted; per product. */
  rowsScanned: 'RowsScanned',
} as const;

export const QUALITY_DIMENSION = { product: 'Product', check: 'Check' } as const;
