/**
 * The access model in one call: build it from a mesh, evaluate who can read what, plan the grants
 * and validate both. Used by `tessera access` and, later, by the governance stack at synth time.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { YamlSource } from '../yaml-source.js';
import { buildAccessModel, type AccessInput } from './build.js';
import { evaluateAccess, type AccessMatrix } from './evaluate.js';
import type { AccessModel } from './model.js';
import { buildGrantPlan, type GrantPlan } from './plan.js';
import { validateAccess } from './validate.js';

export interface AccessAnalysis {
  readonly model: AccessModel;
  readonly matrix: AccessMatrix;
  readonly plan: GrantPlan;
  readonly diagnostics: readonly Diagnostic[];
}

export function analyzeAccess(input: AccessInput, options: { source?: YamlSource; file?: string } = {}): AccessAnalysis {
  const model = buildAccessModel(input);
  const matrix = evaluateAccess(model);
  const plan = buildGrantPlan(model);
  const diagnostics = validateAccess(model, plan, { ...options, matrix });
  return { model, matrix, plan, diagnostics };
}

export * from './build.js';
export * from './evaluate.js';
export * from './model.js';
export * from './plan.js';
export * from './validate.js';
export * from './federated.js';
export * from './split.js';
export * from './tag-values.js';
