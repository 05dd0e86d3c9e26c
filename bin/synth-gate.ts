/**
 * The compatibility gate of `cdk synth`: every product's contract is compared with the version the
 * repository's lock (mesh/contracts.lock.json) records as deployed. A breaking change without a
 * major version bump, a version going down, or a locked product vanishing stops synthesis with the
 * same report `tessera diff` prints, with who reads each column a breaking change touches.
 */
import type { Change } from '../lib/contract/diff.js';
import { checkAgainstLock, blocksLock, readLock, rebuildLocked } from '../lib/mesh/lock.js';
import type { Mesh } from '../lib/mesh/load.js';
import { formatDiagnostic } from '../lib/diagnostics.js';
import { originText, renderChanges, verdictLine } from './cli/diff.js';
import { impactLines, impactOnMesh } from './cli/impact.js';

/** Empty when synthesis may go on; otherwise the lines explaining why not. */
export async function compatibilityProblems(mesh: Mesh): Promise<string[]> {
  const read = await readLock(mesh.file);
  if (!read.lock) return [...read.diagnostics.map(formatDiagnostic), `the lock ${read.file} cannot be read; restore it from git or rebuild it with tessera lock`];
  const lines: string[] = [];
  for (const check of checkAgainstLock(mesh, read.lock, read.file).filter(blocksLock)) {
    lines.push(`product ${check.product} (domain ${check.domain}): locked ${check.lockedVersion ?? '-'}, now ${check.version ?? 'removed'}`);
    if (check.problem) lines.push(`  ${check.problem}`);
    if (check.diff) {
      const breaking = { ...check.diff, changes: check.diff.changes.filter((c) => c.severity === 'breaking') };
      const locked = read.lock.products[check.product];
      const before = locked ? rebuildLocked(locked, `${read.file}#${check.product}`, mesh.config.classifications).contract : undefined;
      const impacts = before ? impactOnMesh(mesh, before, breaking) : [];
      const impact = (change: Change, indent: string): string[] => impactLines(impacts, change, indent);
      lines.push(...renderChanges(breaking, { where: originText, indent: '  ', impact }), `  ${verdictLine(check.diff)}`);
    }
  }
  if (lines.length > 0) {
    lines.push('', `synth stopped: these contracts are incompatible with the versions locked in ${read.file}.`, 'Bump the major version of each (and tell its consumers), then run `npx tessera lock` and commit the lock.');
  }
  return lines;
}
