/**
 * `tessera diff <old> <new>`: what changed between two versions of a contract, classified as
 * breaking / warning / compatible, and whether the version bump covers it. Also the renderer
 * `tessera lock` uses for the same report.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { CHANGE_SEVERITIES, diffContracts, type Change, type ContractDiff } from '../../lib/contract/diff.js';
import { fileReadError, loadContract, type ContractResult, type ValidationProfile } from '../../lib/contract/load.js';
import type { DataContract, Origin } from '../../lib/contract/model.js';
import { formatDiagnostic, formatYamlPath } from '../../lib/diagnostics.js';
import type { CliIo, ExitCode } from './io.js';
import { diffImpact, impactLines, meshListing, type DiffImpact } from './impact.js';
import { contractFileOf, meshFileOf } from './paths.js';

export interface DiffCommandOptions {
  readonly json?: boolean;
  readonly profile?: ValidationProfile;
  /** The mesh whose readers of the changed columns are listed; by default the mesh.yaml above <new> that lists it. */
  readonly mesh?: string;
}

export async function diffCommand(oldPath: string, newPath: string, options: DiffCommandOptions, io: CliIo): Promise<ExitCode> {
  const profile = options.profile ?? 'odcs';
  const display = displayPath(io.cwd);
  for (const path of [oldPath, newPath]) await contractFileOf(path, io.cwd, 'diff');
  const [before, after] = await Promise.all([oldPath, newPath].map((p) => loadForDiff(p, io.cwd, profile)));
  const files = { before: display(resolve(io.cwd, oldPath)), after: display(resolve(io.cwd, newPath)) };
  if (!before!.contract || !after!.contract) {
    const diagnostics = [...before!.diagnostics, ...after!.diagnostics].filter((d) => d.severity === 'error');
    if (options.json) {
      io.out(`${JSON.stringify({ ok: false, files, diagnostics }, null, 2)}\n`);
    } else {
      const invalid = [before!.contract ? undefined : files.before, after!.contract ? undefined : files.after].filter((f) => f !== undefined);
      io.out(`${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}\n\ncannot compare: ${invalid.join(' and ')} ${invalid.length === 1 ? 'is' : 'are'} not a valid contract (profile ${profile}); fix the errors above, or try --profile odcs for a contract locked under older rules\n`);
    }
    return 1;
  }
  const diff = diffContracts(before!.contract, after!.contract);
  const impact = await impactOfDiff(oldPath, newPath, before!.contract, diff, options, io);
  if (options.json) {
    io.out(`${JSON.stringify({ files, ...diff, ...(impact ? { impact } : {}) }, null, 2)}\n`);
  } else {
    const header = `${after!.contract.id} ${diff.versions.before} → ${diff.versions.after} (${files.before} → ${files.after})`;
    const columns = impact && 'columns' in impact ? impact.columns : [];
    const notes = impact && 'problem' in impact ? ['', `impact: ${impact.problem}`] : [];
    const changes = renderChanges(diff, { where: originText, impact: (change, indent) => impactLines(columns, change, indent) });
    io.out(`${[header, '', ...changes, ...notes, '', verdictLine(diff)].join('\n')}\n`);
  }
  return diff.ok ? 0 : 1;
}

/** Who reads the changed columns, in the mesh named by --mesh or the one above <new> that lists it. */
async function impactOfDiff(oldPath: string, newPath: string, before: DataContract, diff: ContractDiff, options: DiffCommandOptions, io: CliIo): Promise<DiffImpact | undefined> {
  const newFile = resolve(io.cwd, newPath);
  const meshFile = options.mesh !== undefined ? await meshFileOf(options.mesh, io.cwd) : await meshListing(newFile);
  if (meshFile === undefined) return undefined;
  const oldText = await readFile(resolve(io.cwd, oldPath), 'utf8');
  return diffImpact(meshFile, displayPath(io.cwd)(meshFile), newFile, oldText, before, diff);
}

/** Reads a contract relative to the command's folder and names it as the user wrote it. */
async function loadForDiff(path: string, cwd: string, profile: ValidationProfile): Promise<ContractResult> {
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  const shown = displayPath(cwd)(absolute);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (e) {
    return { diagnostics: [fileReadError(shown, e)] };
  }
  return loadContract(text, shown, { profile });
}

export function displayPath(cwd: string): (absolute: string) => string {
  return (absolute) => relative(cwd, absolute) || absolute;
}

/** `file:line:column`, or the file and the YAML path when the position means nothing to a user. */
export function originText(origin: Origin | undefined): string {
  if (!origin) return '';
  return origin.position ? `${origin.file}:${origin.position.line}:${origin.position.column}` : `${origin.file} ${formatYamlPath(origin.path)}`;
}

export interface RenderOptions {
  /** How to print where a change is. */
  readonly where: (origin: Origin | undefined) => string;
  /** Prefix of every line. @default '' */
  readonly indent?: string;
  /** Lines to print under a change (e.g. who reads the column it changes). @default - none */
  readonly impact?: (change: Change, indent: string) => string[];
}

/** The changes grouped by severity, one line each plus a `before → after` line. */
export function renderChanges(diff: ContractDiff, options: RenderOptions): string[] {
  const indent = options.indent ?? '';
  if (diff.changes.length === 0) return [`${indent}no changes`];
  const lines: string[] = [];
  for (const severity of CHANGE_SEVERITIES) {
    const changes = diff.changes.filter((c) => c.severity === severity);
    if (changes.length === 0) continue;
    lines.push(`${indent}${severity} (${changes.length}):`);
    for (const change of changes) lines.push(...renderChange(change, options.where, `${indent}  `), ...(options.impact?.(change, `${indent}    `) ?? []));
  }
  lines.push(`${indent}${summaryCounts(diff)}`);
  return lines;
}

function renderChange(change: Change, where: RenderOptions['where'], indent: string): string[] {
  const location = where(change.origin);
  const lines = [`${indent}${location ? `${location} ` : ''}${change.subject} [${change.rule}]: ${change.message}`];
  if (change.before !== undefined || change.after !== undefined) {
    lines.push(`${indent}    ${change.before ?? '(none)'} → ${change.after ?? '(none)'}`);
  }
  return lines;
}

export function summaryCounts(diff: ContractDiff): string {
  const count = (severity: string): number => diff.changes.filter((c) => c.severity === severity).length;
  return `${plural(diff.changes.length, 'change')}: ${count('breaking')} breaking, ${plural(count('warning'), 'warning')}, ${count('compatible')} compatible`;
}

/** One line that says whether the new version may replace the old one, and what to do if not. */
export function verdictLine(diff: ContractDiff): string {
  const { before, after, suggested } = diff.versions;
  const move = `${before} → ${after}`;
  if (diff.versionBump === 'downgrade') return `verdict: the version went down: ${move}; a new contract needs a higher version${suggested ? `, e.g. ${suggested}` : ''}`;
  if (!diff.ok) {
    const invalid = diff.versionBump === 'invalid' ? ' (not semantic versions)' : '';
    return `verdict: breaking changes without a major version bump: ${move}${invalid}; bump to ${suggested ?? 'the next major version'}`;
  }
  if (diff.breaking) return `verdict: breaking, with a major version bump: ${move}; consumers must be told`;
  if (diff.changes.length === 0) return `verdict: compatible: no changes (${move})`;
  const warnings = diff.changes.filter((c) => c.severity === 'warning').length;
  return `verdict: compatible (${move})${warnings > 0 ? `; review the ${plural(warnings, 'warning')}` : ''}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
