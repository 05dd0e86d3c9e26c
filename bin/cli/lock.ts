/**
 * `tessera lock [mesh]`: records the contract of every product in `contracts.lock.json` beside
 * mesh.yaml, after checking each changed contract against its locked predecessor. `--check` (for
 * CI) writes nothing and fails when the lock is stale or a change lacks a major version bump.
 */
import { meshFileOf } from './paths.js';
import { isAbsolute } from 'node:path';
import type { Origin } from '../../lib/contract/model.js';
import { formatDiagnostic, type Diagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import {
  blocksLock,
  buildLock,
  checkAgainstLock,
  emptyLock,
  lockChanges,
  readLock,
  sameLock,
  writeLock,
  type LockCheck,
} from '../../lib/mesh/lock.js';
import { displayPath, originText, plural, renderChanges, summaryCounts, verdictLine } from './diff.js';
import type { CliIo, ExitCode } from './io.js';

export interface LockCommandOptions {
  readonly check?: boolean;
  readonly force?: boolean;
  readonly json?: boolean;
}

export async function lockCommand(meshArg: string | undefined, options: LockCommandOptions, io: CliIo): Promise<ExitCode> {
  const display = displayPath(io.cwd);
  const meshFile = await meshFileOf(meshArg ?? 'mesh', io.cwd);
  const shownDiagnostic = (d: Diagnostic): string => formatDiagnostic({ ...d, file: isAbsolute(d.file) ? display(d.file) : d.file });
  const out: string[] = [];
  const finish = (code: ExitCode, json: Record<string, unknown>): ExitCode => {
    io.out(options.json ? `${JSON.stringify({ ok: code === 0, ...json }, null, 2)}\n` : `${out.join('\n')}\n`);
    return code;
  };

  const loaded = await loadMeshFile(meshFile);
  if (!loaded.mesh) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    out.push(...errors.map(shownDiagnostic), '', `cannot lock: the mesh ${display(meshFile)} is invalid; \`tessera validate ${display(meshFile)}\` shows every finding`);
    return finish(1, { mesh: display(meshFile), diagnostics: errors.map((d) => ({ ...d, file: display(d.file) })) });
  }
  const mesh = loaded.mesh;
  const read = await readLock(meshFile);
  const lockFile = display(read.file);
  let previous = read.lock;
  if (!previous) {
    out.push(...read.diagnostics.map(shownDiagnostic));
    if (options.check || !options.force) {
      out.push('', `cannot use ${lockFile}; regenerate it with \`tessera lock ${display(meshFile)} --force\` (every product is then locked as it is now, unchecked)`);
      return finish(1, { mesh: display(meshFile), lockFile, diagnostics: read.diagnostics });
    }
    out.push(`${lockFile} is unreadable; --force rewrites it from the current mesh, unchecked`);
    previous = emptyLock();
  }

  const checks = checkAgainstLock(mesh, previous, lockFile);
  const next = buildLock(mesh);
  const upToDate = sameLock(previous, next);
  const entryChanges = lockChanges(previous, next);
  const blocked = checks.filter(blocksLock);

  const where = (origin: Origin | undefined): string => {
    if (!origin) return '';
    // The locked side was rebuilt from JSON: its line numbers are not in any file a user has.
    if (origin.file.startsWith(`${lockFile}#`)) return `(locked) ${originText({ file: origin.file.slice(lockFile.length + 1), path: origin.path })}`;
    return originText({ ...origin, file: isAbsolute(origin.file) ? display(origin.file) : origin.file });
  };
  out.push(`${display(meshFile)}: ${plural(mesh.products.length, 'product')}, lock ${lockFile}${read.exists ? '' : ' (new)'}`);
  for (const check of checks) out.push(...renderCheck(check, where));
  const unchanged = checks.filter((c) => c.status === 'unchanged').length;
  if (unchanged > 0) out.push(`= ${plural(unchanged, 'product')} unchanged`);
  out.push('');

  const json = {
    mesh: display(meshFile),
    lockFile,
    upToDate,
    products: checks.map((c) => ({ ...c, diff: c.diff ? { ...c.diff, changes: c.diff.changes.map((ch) => ({ ...ch, origin: ch.origin ? { ...ch.origin, file: isAbsolute(ch.origin.file) ? display(ch.origin.file) : ch.origin.file } : undefined })) } : undefined })),
    lockChanges: entryChanges,
  };
  const blockedList = (withAdvice: boolean): string =>
    blocked
      .map((c) => {
        if (c.problem) return `${c.product} (${c.status === 'removed' ? 'removed from the mesh' : 'locked entry unreadable'})`;
        const { before, after, suggested } = c.diff!.versions;
        return `${c.product} (${before} → ${after}${withAdvice ? `; bump to ${suggested ?? 'a higher version'}` : ''})`;
      })
      .join(', ');
  const blockedText = blockedList(true);

  if (options.check) {
    if (blocked.length > 0) {
      out.push(`check failed: ${plural(blocked.length, 'product')} cannot replace the locked contract: ${blockedText}`);
      return finish(1, { ...json, written: false });
    }
    if (!upToDate) {
      out.push(`check failed: ${lockFile} is out of date (${entryChanges.map((c) => `${c.product} ${c.change}`).join(', ')}); run \`tessera lock ${display(meshFile)}\` and commit the lock`);
      return finish(1, { ...json, written: false });
    }
    out.push(`${lockFile} is up to date`);
    return finish(0, { ...json, written: false });
  }

  if (blocked.length > 0 && !options.force) {
    out.push(`refusing to write ${lockFile}: ${plural(blocked.length, 'product')} cannot replace the locked contract: ${blockedText}`);
    out.push('bump the major version of each (consumers must be told), or pass --force to accept the changes as they are');
    return finish(1, { ...json, written: false });
  }
  if (upToDate && read.exists) {
    out.push(`${lockFile} is already up to date`);
    return finish(0, { ...json, written: false });
  }
  await writeLock(meshFile, next);
  if (blocked.length > 0) out.push(`--force: accepted as they are: ${blockedList(false)}`);
  const counts = (['added', 'updated', 'removed'] as const)
    .map((kind) => [kind, entryChanges.filter((c) => c.change === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  out.push(`wrote ${lockFile}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`);
  return finish(0, { ...json, written: true });
}

function renderCheck(check: LockCheck, where: (origin: Origin | undefined) => string): string[] {
  switch (check.status) {
    case 'unchanged':
      return [];
    case 'added':
      return [`+ ${check.product} ${check.version} (domain ${check.domain}): new product`];
    case 'removed':
      return [`- ${check.product} ${check.lockedVersion} (domain ${check.domain}): removed from the mesh${check.problem ? `\n    BLOCKED: ${check.problem}` : ' (it was retired)'}`];
    case 'unreadable':
      return [`! ${check.product}: ${check.problem}`];
    case 'changed': {
      const diff = check.diff!;
      const state = diff.ok ? 'ok' : 'BLOCKED';
      return [
        `~ ${check.product} ${diff.versions.before} → ${diff.versions.after} (domain ${check.domain}): ${state}, ${summaryCounts(diff)}`,
        ...renderChanges(diff, { where, indent: '    ' }).slice(0, -1),
        `    ${verdictLine(diff)}`,
      ];
    }
  }
}

