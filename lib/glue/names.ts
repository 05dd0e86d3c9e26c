/** Glue names derived from mesh names: one rule, used by the constructs and the local engine. */

/** The Glue database of a domain: its name with dashes as underscores (Glue/Athena allow `_`). */
export function databaseNameFor(domain: string): string {
  return domain.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** The central EventBridge bus in the governance account that every domain publishes to. */
export function centralBusName(mesh: string): string {
  return `tessera-${mesh}`;
}

/** Cron for EventBridge from a contract rule's 5-field cron (`0 20 * * *`), or undefined if not one. */
export function eventBridgeCron(unixCron: string): string | undefined {
  const parts = unixCron.trim().split(/\s+/);
  if (parts.length !== 5) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts as [string, string, string, string, string];
  if (![minute, hour, dayOfMonth, month, dayOfWeek].every((p) => /^[\d*,/-]+$|^[A-Z]{3}(-[A-Z]{3})?$/i.test(p))) return undefined;
  // EventBridge wants exactly one of day-of-month and day-of-week to be `?`.
  const dom = dayOfWeek === '*' ? dayOfMonth : '?';
  const dow = dayOfWeek === '*' ? '?' : dayOfWeek;
  return `cron(${minute} ${hour} ${dom} ${month} ${dow} *)`;
}
