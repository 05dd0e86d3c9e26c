/** What a doctor check reports: one line per thing it looked at, pass, fail or skip, with the fix. */

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface Finding {
  readonly status: CheckStatus;
  /** What was looked at: a resource, a principal, an account. */
  readonly subject: string;
  readonly message: string;
  /** For a fail: what to change or run. */
  readonly fix?: string;
  readonly stack?: string;
  /** The logical id of the resource in its stack's template. */
  readonly resource?: string;
}

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly findings: readonly Finding[];
  /** Lines to print under the title whatever the status (e.g. the deploy order). */
  readonly notes?: readonly string[];
}

/** A check's status from its findings: any fail fails it; all skipped (or none) skips it only when told. */
export function checkResult(id: string, title: string, findings: readonly Finding[], notes?: readonly string[]): CheckResult {
  const status: CheckStatus = findings.some((f) => f.status === 'fail') ? 'fail' : findings.length > 0 && findings.every((f) => f.status === 'skip') ? 'skip' : 'pass';
  return { id, title, status, findings, ...(notes ? { notes } : {}) };
}

export function skippedCheck(id: string, title: string, reason: string): CheckResult {
  return { id, title, status: 'skip', findings: [{ status: 'skip', subject: id, message: reason }] };
}
