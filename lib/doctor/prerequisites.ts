/**
 * What must exist before the first deploy, as the mesh config declares it. The doctor takes this as
 * a function, so the mesh layout's own answer can replace the interim one below without touching
 * the checks.
 */
import type { MeshConfig } from '../mesh/config.js';

/** The IAM principal ARNs a mesh config declares as existing outside the app. */
export type PrerequisiteSource = (config: MeshConfig) => readonly string[];

/**
 * Interim: a consumer role is a declared prerequisite when its config entry says Tessera does not
 * create it (`createRole: false`). A config without that setting declares nothing, so every role it
 * names must be created by the app or it fails the principals check: the principal would otherwise
 * reach Lake Formation unannounced.
 */
export const declaredPrerequisites: PrerequisiteSource = (config) =>
  config.consumers.filter((c) => (c as { createRole?: unknown }).createRole === false).map((c) => c.role);
