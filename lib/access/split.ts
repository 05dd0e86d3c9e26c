/**
 * Keeping every grant inside Lake Formation's 50 values per tag condition (lib/access/tag-values.ts):
 * a permission step whose LF-tag resource or expression condition names more values becomes
 * several steps of at most 50 values each, with the same principal and permissions. For an
 * expression, each condition over the limit is cut and the steps take every combination of the
 * pieces: the union of their matches is the original expression's (values of one key are ORed,
 * keys ANDed). The first piece keeps the step's id, so a plan that needs no split is unchanged and
 * a grant that starts to need one keeps its logical id; the others are `<id>#2`, `<id>#3`, ... A
 * step that depended on a split one depends on all its pieces.
 */
import type { TagExpression } from './model.js';
import type { PermissionStep, PlanStep } from './plan.js';
import { batches, LF_TAG_VALUES_PER_CALL } from './tag-values.js';

export function splitLargeConditions(steps: readonly PlanStep[], size = LF_TAG_VALUES_PER_CALL): PlanStep[] {
  const pieces = new Map<string, string[]>();
  const out: PlanStep[] = [];
  for (const step of steps) {
    const split = step.kind === 'permission' ? splitStep(step, size) : [step];
    if (split.length > 1) pieces.set(step.id, split.map((s) => s.id));
    out.push(...split);
  }
  if (pieces.size === 0) return out;
  return out.map((s) => (s.dependsOn.some((d) => pieces.has(d)) ? { ...s, dependsOn: [...new Set(s.dependsOn.flatMap((d) => pieces.get(d) ?? [d]))] } : s));
}

function splitStep(step: PermissionStep, size: number): PermissionStep[] {
  const r = step.resource;
  if (r.type === 'lf-tag' && r.values.length > size) {
    return batches(r.values, size).map((values, i) => ({ ...step, id: pieceId(step.id, i), resource: { ...r, values } }));
  }
  if (r.type === 'lf-tag-policy' && r.expression.some((c) => c.values.length > size)) {
    return expressionPieces(r.expression, size).map((expression, i) => ({ ...step, id: pieceId(step.id, i), resource: { ...r, expression } }));
  }
  return [step];
}

/** Every combination of one batch per condition, the first batch of each first. */
export function expressionPieces(expression: TagExpression, size = LF_TAG_VALUES_PER_CALL): TagExpression[] {
  let combos: TagExpression[] = [[]];
  for (const c of expression) {
    const parts = c.values.length > size ? batches(c.values, size) : [c.values];
    combos = combos.flatMap((combo) => parts.map((values) => [...combo, { key: c.key, values }]));
  }
  return combos;
}

function pieceId(id: string, i: number): string {
  return i === 0 ? id : `${id}#${i + 1}`;
}
