/**
 * The expiry of a grant as an EventBridge Scheduler one-time schedule: `at(yyyy-mm-ddThh:mm:ss)` in
 * UTC (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html), deleted by the
 * scheduler after it ran (ActionAfterCompletion DELETE,
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-delete.html), so the
 * account's schedule quota is not used up by requests that ended long ago.
 */

/** Whole seconds, rounded up: the schedule never fires before the grant's end. */
export function atExpression(at: Date): string {
  const seconds = Math.ceil(at.getTime() / 1000) * 1000;
  return `at(${new Date(seconds).toISOString().slice(0, 19)})`;
}

/** One schedule per request; names allow letters, digits, `-`, `_` and `.`, up to 64 characters. */
export function scheduleName(requestId: string): string {
  return `tessera-access-${requestId}`;
}

/** The schedule's input to the expiry handler. */
export interface ExpiryEvent {
  readonly requestId: string;
}
