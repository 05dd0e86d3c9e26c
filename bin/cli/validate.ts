/**
 * `tessera validate <file-or-folder>...`: validates ODCS contracts, ODPS product descriptors and mesh
 * configs. A mesh config also validates every contract and descriptor it names, with the mesh's
 * classification ontology and its grants; a file that a validated mesh already covers is not
 * validated twice.
 *
 * A contract gets two verdicts: whether it is valid ODCS v3.1.0, and whether it is deployable as a
 * Tessera data product yet (its readiness findings: domain, owner, support, classifications...).
 * Readiness findings fail a mesh (they block its deployment) and, with `--profile product`, a
 * contract; otherwise they are reported apart, as what is left to do, and the run passes.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadContractFile, type ValidationProfile } from '../../lib/contract/load.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../../lib/diagnostics.js';
import type { Mesh } from '../../lib/mesh/load.js';
import type { ProductDescriptor } from '../../lib/product/descriptor.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';

export interface ValidateOptions {
  readonly json?: boolean;
  readonly profile?: ValidationProfile;
  readonly warnings?: boolean;
}

interface FileReport {
  readonly file: string;
  readonly kind: 'DataContract' | 'DataProduct' | 'Mesh' | 'unknown';
  readonly valid: boolean;
  /** For a contract: its id and version; for a mesh: its name and product count. */
  readonly summary?: string;
  readonly diagnostics: readonly Diagnostic[];
  /** For a contract that could be read: whether it is valid ODCS v3.1.0. */
  readonly odcsValid?: boolean;
  /** For a valid ODCS contract: what keeps it from being deployable as a data product (also in diagnostics). */
  readonly readiness?: readonly Diagnostic[];
}

const YAML_FILE = /\.ya?ml$/i;

export async function validateCommand(inputs: readonly string[], options: ValidateOptions, io: CliIo): Promise<ExitCode> {
  if (options.profile !== undefined && options.profile !== 'product' && options.profile !== 'odcs') {
    throw new UsageError(`--profile must be 'product' or 'odcs', not '${String(options.profile)}'`);
  }
  // A mesh is about to be deployed: readiness is required. A contract alone may come from anywhere.
  const meshProfile = options.profile ?? 'product';
  const contractProfile = options.profile ?? 'odcs';
  if (inputs.length === 0) throw new UsageError('name at least one contract, mesh config or folder, e.g. tessera validate mesh/');

  const display = (absolute: string): string => relative(io.cwd, absolute) || absolute;
  const candidates = await collectFiles(inputs, io.cwd);
  const reports: FileReport[] = [];
  const covered = new Set<string>();

  // Meshes first, so their contracts are validated with the mesh's ontology and only once.
  const kinds = new Map<string, Awaited<ReturnType<typeof sniffKind>>>();
  for (const { path } of candidates) kinds.set(path, await sniffKind(path));
  for (const { path } of candidates) {
    if (kinds.get(path) !== 'Mesh') continue;
    // Loaded only for a mesh (zod, the grant and view checks): a contract alone goes without.
    const { loadMeshFile } = await import('../../lib/mesh/load.js');
    // Load by absolute path (io.cwd need not be the process's), show paths relative to io.cwd.
    const result = await loadMeshFile(path, { profile: meshProfile });
    const byFile = groupByFile(result.diagnostics.map((d) => ({ ...d, file: display(resolve(d.file)) })));
    for (const listed of [...result.contractFiles, ...(result.descriptorFiles ?? [])]) covered.add(listed);
    reports.push({
      file: display(path),
      kind: 'Mesh',
      valid: !hasErrors(byFile.get(display(path)) ?? []),
      summary: result.mesh ? meshSummary(result.mesh) : undefined,
      diagnostics: byFile.get(display(path)) ?? [],
    });
    for (const descriptorFile of result.descriptorFiles ?? []) {
      if (!existsSync(descriptorFile)) continue;
      const shown = display(descriptorFile);
      const described = result.mesh?.descriptors?.find((d) => resolve(d.descriptor.file) === descriptorFile);
      const own = byFile.get(shown) ?? [];
      reports.push({ file: shown, kind: 'DataProduct', valid: !hasErrors(own) && (result.mesh === undefined || described !== undefined), summary: described ? descriptorSummary(described.descriptor, described.domain) : undefined, diagnostics: own });
    }
    for (const contractFile of result.contractFiles) {
      // A product file that is not there is the mesh's finding (missing-product), not a valid file.
      if (!existsSync(contractFile)) continue;
      const shown = display(contractFile);
      const product = result.mesh?.products.find((p) => resolve(p.file) === contractFile);
      const own = byFile.get(shown) ?? [];
      reports.push({
        file: shown,
        kind: 'DataContract',
        valid: !hasErrors(own) && (result.mesh === undefined ? !hasErrors(own) : product !== undefined),
        summary: product ? `${product.contract.id} ${product.contract.version} (domain ${product.domain})` : undefined,
        diagnostics: own,
      });
    }
  }
  const meshDirs = [...kinds].filter(([, kind]) => kind === 'Mesh').map(([path]) => dirname(path));
  for (const { path, explicit } of candidates) {
    if (covered.has(path)) continue;
    const kind = kinds.get(path);
    if (kind === 'DataProduct') {
      const { loadDescriptorFile } = await import('../../lib/product/descriptor.js');
      const result = await loadDescriptorFile(path);
      const summary = result.descriptor ? descriptorSummary(result.descriptor) : undefined;
      reports.push({ file: display(path), kind, valid: result.descriptor !== undefined, summary, diagnostics: result.diagnostics.map((d) => ({ ...d, file: display(d.file) })) });
    } else if (kind === 'DataContract' || (kind === 'unreadable' && explicit)) {
      const result = await loadContractFile(path, { profile: contractProfile });
      // One displayed copy per finding, so a readiness finding stays the same object in both lists.
      const shownOf = new Map(result.diagnostics.map((d) => [d, { ...d, file: display(d.file) }]));
      const shown = (d: Diagnostic): Diagnostic => shownOf.get(d) ?? { ...d, file: display(d.file) };
      reports.push({
        file: display(path),
        kind: 'DataContract',
        valid: result.contract !== undefined,
        summary: result.contract ? `${result.contract.id} ${result.contract.version}` : undefined,
        diagnostics: [...result.diagnostics.map(shown), ...unlisted(path, meshDirs, display)],
        odcsValid: result.odcsValid,
        readiness: result.readiness?.map(shown),
      });
    } else if (kind === 'unknown' && explicit) {
      reports.push({
        file: display(path),
        kind: 'unknown',
        valid: false,
        diagnostics: [
          {
            severity: 'error',
            code: 'unknown-kind',
            file: display(path),
            position: { line: 1, column: 1 },
            path: 'kind',
            message: 'this file is neither an ODCS contract (kind: DataContract) nor a mesh config (kind: Mesh)',
            fix: 'add `kind: DataContract` (with `apiVersion: v3.1.0`) or `kind: Mesh` (with `apiVersion: tessera/v1`)',
          },
        ],
      });
    }
  }
  if (reports.length === 0) {
    throw new UsageError(`no contracts or mesh configs found in ${inputs.join(', ')} (looked for .yaml/.yml files with kind DataContract or Mesh)`);
  }
  const skipped = candidates.filter((c) => !c.explicit && !covered.has(c.path) && !['DataContract', 'DataProduct', 'Mesh'].includes(kinds.get(c.path) ?? '')).map((c) => display(c.path));
  const failed = reports.some((r) => !r.valid);
  if (options.json) {
    const errors = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length, 0);
    const warnings = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'warning').length, 0);
    const files = reports.map((r) => (r.readiness === undefined ? r : { ...r, deployable: r.readiness.length === 0 }));
    io.out(`${JSON.stringify({ valid: !failed, profile: options.profile ?? 'default', files, skipped, summary: { files: reports.length, invalid: reports.filter((r) => !r.valid).length, errors, warnings } }, null, 2)}\n`);
  } else {
    io.out(renderText(reports, skipped, options.warnings ?? true));
  }
  return failed ? 1 : 0;
}

function renderText(reports: readonly FileReport[], skipped: readonly string[], showWarnings: boolean): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const report of reports) {
    const fileErrors = report.diagnostics.filter((d) => d.severity === 'error');
    const fileWarnings = report.diagnostics.filter((d) => d.severity === 'warning');
    errors += fileErrors.length;
    warnings += fileWarnings.length;
    const counts = [fileErrors.length && plural(fileErrors.length, 'error'), fileWarnings.length && plural(fileWarnings.length, 'warning')].filter(Boolean).join(', ');
    const verdict = report.odcsValid === true ? ': valid ODCS v3.1.0' : report.odcsValid === false ? ': not valid ODCS v3.1.0' : '';
    lines.push(`${report.valid ? 'ok  ' : 'FAIL'} ${report.file}${report.summary ? ` — ${report.summary}` : ''}${verdict}${counts ? ` (${counts})` : ''}`);
    const readiness = new Set(report.readiness ?? []);
    const show = (d: Diagnostic, indent: string): void => {
      if (d.severity === 'warning' && !showWarnings) return;
      lines.push(`${indent}${formatDiagnostic(d).replaceAll('\n', `\n${indent}`)}`);
    };
    for (const d of report.diagnostics) if (!readiness.has(d)) show(d, '  ');
    if (report.readiness !== undefined) {
      if (report.readiness.length === 0) {
        lines.push('  deployable as a data product');
      } else {
        lines.push(`  not deployable as a data product yet: ${plural(report.readiness.length, 'finding')}`);
        for (const d of report.readiness) show(d, '    ');
      }
    }
  }
  const invalid = reports.filter((r) => !r.valid).length;
  if (skipped.length > 0) {
    const verb = skipped.length === 1 ? 'is neither a contract nor a mesh config' : 'are neither contracts nor mesh configs';
    lines.push(`skipped ${plural(skipped.length, 'YAML file')} that ${verb}: ${skipped.join(', ')}`);
  }
  lines.push('');
  lines.push(
    `${plural(reports.length, 'file')} checked: ${invalid === 0 ? 'all valid' : `${invalid} invalid`}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${!showWarnings && warnings > 0 ? ' (hidden by --no-warnings)' : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function groupByFile(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const map = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) map.set(d.file, [...(map.get(d.file) ?? []), d]);
  return map;
}

async function collectFiles(inputs: readonly string[], cwd: string): Promise<{ path: string; explicit: boolean }[]> {
  const out = new Map<string, boolean>();
  for (const input of inputs) {
    const path = isAbsolute(input) ? input : resolve(cwd, input);
    let info;
    try {
      info = await stat(path);
    } catch {
      // Let the loader report the missing file with its usual diagnostic.
      out.set(path, true);
      continue;
    }
    if (info.isDirectory()) {
      for (const file of await walk(path)) if (!out.has(file)) out.set(file, false);
    } else {
      out.set(path, true);
    }
  }
  return [...out].map(([path, explicit]) => ({ path, explicit }));
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && YAML_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

/** Reads just enough of a file to tell a contract from a mesh config. */
async function sniffKind(path: string): Promise<'DataContract' | 'DataProduct' | 'Mesh' | 'unknown' | 'unreadable'> {
  try {
    const text = await readFile(path, 'utf8');
    const kind = /^kind:\s*["']?(\w+)/m.exec(text)?.[1];
    if (kind === 'DataContract' || kind === 'DataProduct' || kind === 'Mesh') return kind;
    if (kind === undefined) {
      // Flow-style or unusual layout: ask the parser (errors mean "unreadable", the loader explains).
      try {
        const data = parse(text) as unknown;
        const parsedKind = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).kind : undefined;
        if (parsedKind === 'DataContract' || parsedKind === 'DataProduct' || parsedKind === 'Mesh') return parsedKind;
        return /\.odcs\.ya?ml$/i.test(path) ? 'DataContract' : 'unknown';
      } catch {
        return /\.odcs\.ya?ml$/i.test(path) ? 'DataContract' : 'unreadable';
      }
    }
    return /\.odcs\.ya?ml$/i.test(path) ? 'DataContract' : 'unknown';
  } catch {
    return 'unreadable';
  }
}

/** A contract inside a mesh's folder that no domain lists is never deployed: say so. */
function unlisted(path: string, meshDirs: readonly string[], display: (absolute: string) => string): Diagnostic[] {
  const meshDir = meshDirs.find((dir) => !relative(dir, path).startsWith('..'));
  if (meshDir === undefined) return [];
  const mesh = display(join(meshDir, 'mesh.yaml'));
  return [
    {
      severity: 'warning',
      code: 'unlisted-contract',
      file: display(path),
      position: { line: 1, column: 1 },
      path: '(document)',
      message: `no domain of the mesh ${mesh} lists this contract, so it is not deployed`,
      fix: `add '${relative(meshDir, path)}' to the products of its domain in ${mesh}, or move it out of the mesh folder`,
    },
  ];
}

function descriptorSummary(descriptor: ProductDescriptor, domain?: string): string {
  const outputs = descriptor.outputPorts.map((p) => p.contractId).join(', ');
  const inputs = descriptor.inputPorts.map((p) => `${p.contractId} ${p.version}`).join(', ');
  return `product ${descriptor.id}${domain ? ` (domain ${domain})` : ''}: publishes ${outputs}${inputs ? `; consumes ${inputs}` : ''}`;
}

function meshSummary(mesh: Mesh): string {
  const sources = mesh.config.domains.reduce((n, d) => n + d.federated.length, 0);
  const parts = [`${mesh.config.domains.length} domains`, `${mesh.products.length} products`, `${mesh.views.length} views`, `${sources} federated sources`];
  return `mesh '${mesh.config.name}': ${parts.join(', ')}`;
}
