/**
 * `tessera access explain|matrix [mesh]`: who can read what, offline, from the mesh config alone.
 * The same access model the governance stack deploys is evaluated the way Lake Formation evaluates
 * tag-based grants, so every "readable" names the grants that allow it and every "not readable" says
 * why. Findings of the access validation (unknown tags, account principals, the most sensitive class
 * exposed through a `*` grant ...) are printed with their mesh.yaml line and fail the command.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import {
  accessSummary,
  analyzeAccess,
  findPrincipals,
  formatExpression,
  type AccessAnalysis,
  type PrincipalAccess,
  type TableAccess,
  type TagGrant,
} from '../../lib/access/index.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import { YamlSource } from '../../lib/yaml-source.js';
import { meshFileOf } from './paths.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';

export interface AccessExplainOptions {
  readonly principal: string;
  readonly product?: string;
  readonly json?: boolean;
}

export interface AccessMatrixOptions {
  readonly json?: boolean;
}

export async function accessExplainCommand(meshArg: string | undefined, options: AccessExplainOptions, io: CliIo): Promise<ExitCode> {
  const loaded = await loadAnalysis(meshArg, io);
  if ('code' in loaded) return invalidMesh(loaded, options.json ?? false, io);
  const { analysis, meshFile, display } = loaded;

  const found = findPrincipals(analysis.model, options.principal);
  const principal = found[0];
  if (!principal) {
    const known = analysis.model.principals.map((p) => `${p.name} (${p.arn})`);
    throw new UsageError(
      `unknown principal '${options.principal}': name a consumer of ${display(meshFile)} or its role ARN; ${known.length > 0 ? `the consumers are: ${known.join(', ')}` : 'the mesh has no consumers'}`,
    );
  }
  const access = analysis.matrix.principals.find((p) => p.principal === principal)!;
  let tables = access.tables;
  if (options.product !== undefined) {
    const products = [...new Set(access.tables.map((t) => t.product))];
    if (!products.includes(options.product)) {
      throw new UsageError(`unknown product '${options.product}'; the mesh's products are: ${products.join(', ')}`);
    }
    tables = tables.filter((t) => t.product === options.product);
  }
  const diagnostics = shown(analysis.diagnostics, display);
  const failed = hasErrors(diagnostics);

  if (options.json) {
    io.out(
      `${JSON.stringify(
        {
          ok: !failed,
          mesh: display(meshFile),
          principal: { name: principal.name, role: principal.arn, kind: principal.kind, account: principal.account },
          sharesRoleWith: analysis.model.principals.filter((p) => p !== principal && p.arn === principal.arn).map((p) => p.name),
          grants: access.grants.map(grantJson),
          databases: access.databases.filter((d) => options.product === undefined || tables.some((t) => t.domain === d.domain)),
          products: groupByProduct(tables).map(([product, ts]) => ({ product, domain: ts[0]!.domain, tables: ts })),
          diagnostics,
        },
        null,
        2,
      )}\n`,
    );
    return failed ? 1 : 0;
  }

  const lines = renderExplain(access, tables, options.product === undefined);
  lines.push(...renderFindings(diagnostics));
  io.out(`${lines.join('\n')}\n`);
  return failed ? 1 : 0;
}

export async function accessMatrixCommand(meshArg: string | undefined, options: AccessMatrixOptions, io: CliIo): Promise<ExitCode> {
  const loaded = await loadAnalysis(meshArg, io);
  if ('code' in loaded) return invalidMesh(loaded, options.json ?? false, io);
  const { analysis, meshFile, display } = loaded;
  const diagnostics = shown(analysis.diagnostics, display);
  const failed = hasErrors(diagnostics);
  const principals = analysis.matrix.principals;
  const rows = analysis.model.tables.map((t) => ({
    id: t.id,
    product: t.product,
    domain: t.domain,
    table: t.name,
    glueTable: `${t.glueDatabase}.${t.glueTable}`,
    cells: Object.fromEntries(
      principals.map((p) => {
        const access = p.tables.find((a) => a.id === t.id)!;
        return [p.principal.name, { summary: accessSummary(access), readableColumns: access.readableColumns, totalColumns: access.totalColumns }];
      }),
    ),
  }));

  if (options.json) {
    io.out(`${JSON.stringify({ ok: !failed, mesh: display(meshFile), principals: principals.map((p) => ({ name: p.principal.name, role: p.principal.arn })), tables: rows, diagnostics }, null, 2)}\n`);
    return failed ? 1 : 0;
  }
  const lines: string[] = [];
  if (principals.length === 0) {
    lines.push(`${display(meshFile)} declares no consumers: nobody but the domains can read anything`);
  } else {
    const header = ['table', ...principals.map((p) => p.principal.name)];
    const body = rows.map((r) => [r.id, ...principals.map((p) => r.cells[p.principal.name]!.summary)]);
    lines.push(...table([header, ...body]));
    lines.push('', 'all: every column readable; N of M: only N of its M columns; none: not readable (the table is not even listed)');
  }
  lines.push(...renderFindings(diagnostics));
  io.out(`${lines.join('\n')}\n`);
  return failed ? 1 : 0;
}

// --- loading ---------------------------------------------------------------------------------------

interface Loaded {
  readonly analysis: AccessAnalysis;
  readonly meshFile: string;
  readonly display: (absolute: string) => string;
}

interface Invalid {
  readonly code: 1;
  readonly meshFile: string;
  readonly display: (absolute: string) => string;
  readonly diagnostics: readonly Diagnostic[];
}

async function loadAnalysis(meshArg: string | undefined, io: CliIo): Promise<Loaded | Invalid> {
  const display = (absolute: string): string => (isAbsolute(absolute) ? relative(io.cwd, absolute) || absolute : absolute);
  const meshFile = await meshFileOf(meshArg ?? 'mesh', io.cwd);
  const result = await loadMeshFile(meshFile);
  if (!result.mesh) return { code: 1, meshFile, display, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') };
  const mesh: Mesh = result.mesh;
  // Re-read the config for positions: findings point at mesh.yaml lines.
  const source = YamlSource.parse(await readFile(meshFile, 'utf8'), meshFile).source;
  return { analysis: analyzeAccess(mesh, { source }), meshFile, display };
}

function invalidMesh(invalid: Invalid, json: boolean, io: CliIo): ExitCode {
  const diagnostics = shown(invalid.diagnostics, invalid.display);
  if (json) {
    io.out(`${JSON.stringify({ ok: false, mesh: invalid.display(invalid.meshFile), diagnostics }, null, 2)}\n`);
  } else {
    const mesh = invalid.display(invalid.meshFile);
    io.out(`${[...diagnostics.map(formatDiagnostic), '', `cannot explain access: the mesh ${mesh} is invalid; \`tessera validate ${mesh}\` shows every finding`].join('\n')}\n`);
  }
  return 1;
}


function shown(diagnostics: readonly Diagnostic[], display: (absolute: string) => string): Diagnostic[] {
  return diagnostics.map((d) => ({ ...d, file: display(d.file) }));
}

// --- rendering -------------------------------------------------------------------------------------

function renderExplain(access: PrincipalAccess, tables: readonly TableAccess[], allDatabases: boolean): string[] {
  const p = access.principal;
  const lines: string[] = [];
  lines.push(`consumer ${p.name}: ${p.arn}${p.account ? ` (account ${p.account})` : ''}`);
  if (p.description) lines.push(`  ${p.description}`);
  const others = access.grants.filter((g) => g.principal !== p.name).map((g) => g.principal);
  if (others.length > 0) lines.push(`  shares its role with ${[...new Set(others)].join(', ')}: Lake Formation applies their grants too`);
  lines.push('', 'grants:');
  for (const g of access.grants) {
    lines.push(`  ${g.id}  domains: ${g.declared.domains.join(', ')}; classifications: ${g.declared.classifications.join(', ')}`);
    lines.push(`      ${g.permissions.TABLE.join(', ')} on tables where ${formatExpression(g.tableExpression)}`);
    lines.push(`      ${g.permissions.DATABASE.join(', ')} on databases where ${formatExpression(g.databaseExpression)}`);
  }
  const domains = new Set(tables.map((t) => t.domain));
  const databases = access.databases.filter((d) => allDatabases || domains.has(d.domain));
  lines.push('', 'databases:');
  lines.push(...table(databases.map((d) => [d.describable ? 'yes' : 'no ', d.glueDatabase, `domain ${d.domain}`, d.describable ? d.allowedBy.join(', ') : (d.reason ?? '')])).map((l) => `  ${l}`));
  for (const [product, ts] of groupByProduct(tables)) {
    lines.push('', `product ${product} (domain ${ts[0]!.domain})`);
    for (const t of ts) {
      const verdict = t.readable
        ? `readable, ${t.readableColumns === t.totalColumns ? `all ${t.totalColumns} columns` : `${t.readableColumns} of ${t.totalColumns} columns`} (${t.allowedBy.join(', ')})`
        : 'not readable: no column is, so the table is not even listed';
      lines.push(`  table ${t.table} (${t.glueDatabase}.${t.glueTable}, tagged ${t.classification ?? 'nothing'}): ${verdict}`);
      const rows = t.columns.map((c) => [
        c.readable ? 'yes' : 'no ',
        c.name,
        `${c.classification ?? '-'}${c.inherited && c.classification !== undefined ? ' (table)' : ''}`,
        c.readable ? c.allowedBy.join(', ') : (c.reason ?? ''),
      ]);
      lines.push(...table(rows).map((l) => `    ${l}`));
    }
  }
  return lines;
}

function renderFindings(diagnostics: readonly Diagnostic[]): string[] {
  if (diagnostics.length === 0) return [];
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return ['', `access findings (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}):`, ...diagnostics.map((d) => `  ${formatDiagnostic(d).replaceAll('\n', '\n  ')}`)];
}

function groupByProduct(tables: readonly TableAccess[]): [string, TableAccess[]][] {
  const groups = new Map<string, TableAccess[]>();
  for (const t of tables) groups.set(t.product, [...(groups.get(t.product) ?? []), t]);
  return [...groups];
}

function grantJson(g: TagGrant): Record<string, unknown> {
  return {
    id: g.id,
    consumer: g.principal,
    role: g.principalArn,
    declared: g.declared,
    tables: { expression: g.tableExpression, permissions: g.permissions.TABLE },
    databases: { expression: g.databaseExpression, permissions: g.permissions.DATABASE },
  };
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}
