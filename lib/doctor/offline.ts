/** The offline doctor: every check that needs only the synthesized cloud assembly. */
import type { Assembly } from './assembly.js';
import { orderCheck } from './order.js';
import { ownershipCheck } from './ownership.js';
import { principalCheck } from './principals.js';
import { reachCheck } from './reaches.js';
import type { CheckResult } from './report.js';

/** `declared`: ARNs of the principals and resources that exist before the deploy. */
export function offlineChecks(assembly: Assembly, declared: readonly string[]): CheckResult[] {
  const set = new Set(declared);
  return [orderCheck(assembly), reachCheck(assembly, set), principalCheck(assembly, set), ownershipCheck(assembly)];
}
