/**
 * Tessera's Lambda handlers log every message as structured JSON at INFO and print CloudWatch
 * metrics as EMF lines, which is right in Lambda and noise on a terminal. The CLI and the demo run
 * those handlers in-process (the local catalog), so they import this module first: Powertools reads
 * these settings when the shared logger and the metrics are created. `TESSERA_DEBUG=1`, or the
 * variables set explicitly, keep the handlers' full output.
 */
if (process.env.TESSERA_DEBUG !== '1') {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
}
