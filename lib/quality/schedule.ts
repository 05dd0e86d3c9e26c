/** When quality rules run: the rules' own cron, in the form EventBridge schedules take. */

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
