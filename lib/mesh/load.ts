/**
 * Loading a whole mesh: the config, then every product contract it names, directly or through an
 * ODPS descriptor (validated with the mesh's classification ontology), then the cross-references
 * between them: descriptors' input ports, and views.
 */
import { readFile } from 'node:fs/promises';
import type { ZodError } from 'zod';
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import { hasErrors, sortDiagnostics } from '../diagnostics.js';
import { fileReadError, type ValidationProfile } from '../contract/load.js';
import { valueAt, YamlSource } from '../yaml-source.js';
import { meshConfigSchema, ROLE_ARN, type MeshConfig } from './config.js';
import { analyzeAccess, type AccessMatrix } from '../access/index.js';
import { checkInputPorts } from '../product/ports.js';
import { suggest } from '../suggest.js';
import { checkViews } from '../views/check.js';
import type { DescribedView } from '../views/describe.js';
import { loadProducts, type MeshDescriptor, type MeshProduct } from './products.js';

export type { MeshDescriptor, MeshProduct } from './products.js';

export interface Mesh {
  readonly config: MeshConfig;
  /** The mesh config file. */
  readonly file: string;
  readonly products: readonly MeshProduct[];
  /** The config's views, checked against the contracts and the grant graph, with their columns. */
  readonly views: readonly DescribedView[];
  /** The ODPS product descriptors the config lists. */
  readonly descriptors?: readonly MeshDescriptor[];
}

export interface MeshResult {
  /** Present when the config and every contract are free of errors. */
  readonly mesh?: Mesh;
  readonly diagnostics: readonly Diagnostic[];
  /** Contract files the config names (absolute), directly or through a descriptor, whether or not they loaded. */
  readonly contractFiles: readonly string[];
  /** ODPS descriptor files the config names (absolute), whether or not they loaded. */
  readonly descriptorFiles?: readonly string[];
}

export interface LoadMeshOptions {
  readonly profile?: ValidationProfile;
  /** Contract texts to use instead of the files (absolute path → text): the mesh as it was before a change. */
  readonly contractTexts?: ReadonlyMap<string, string>;
}

export async function loadMeshFile(file: string, options: LoadMeshOptions = {}): Promise<MeshResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { diagnostics: [fileReadError(file, e)], contractFiles: [] };
  }
  const parsed = YamlSource.parse(text, file);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics, contractFiles: [] };
  const { source } = parsed;
  const shape = meshConfigSchema.safeParse(parsed.data);
  if (!shape.success) return { diagnostics: sortDiagnostics(zodDiagnostics(shape.error, source, parsed.data)), contractFiles: [] };
  const config = shape.data;

  const diagnostics: Diagnostic[] = [];
  const report = (severity: Diagnostic['severity'], path: YamlPath, code: string, message: string, fix: string): void => {
    diagnostics.push(source.diagnostic(path, { severity, code, message, fix }));
  };

  checkConfigReferences(config, report);

  const { products, descriptors, contractFiles, descriptorFiles } = await loadProducts(config, file, options, report, diagnostics);
  // Ports and views are checked once the products load, against the grant graph.
  const needsAccess = !hasErrors(diagnostics) && (config.views.length > 0 || descriptors.length > 0);
  const access = needsAccess ? analyzeAccess({ config, products }) : undefined;
  if (access) diagnostics.push(...checkInputPorts(config, products, descriptors, access.matrix));
  const views = access ? await meshViews(config, products, access.matrix, report) : [];
  const sorted = sortDiagnostics(diagnostics);
  const files = { contractFiles, descriptorFiles };
  return hasErrors(sorted) ? { diagnostics: sorted, ...files } : { mesh: { config, file, products, views, descriptors }, diagnostics: sorted, ...files };
}

/** Views are checked once the products load: against their tables, columns and the grant graph. */
async function meshViews(config: MeshConfig, products: readonly MeshProduct[], matrix: AccessMatrix, report: Report): Promise<DescribedView[]> {
  if (config.views.length === 0) return [];
  const checked = checkViews(config, products, matrix, (path, code, message, fix) => report('error', path, code, message, fix));
  if (checked.length === 0) return [];
  // DuckDB binds the SQL over empty tables typed like the contracts: loaded only for meshes with views.
  const [{ DuckDbEngine }, { describeViews }] = await Promise.all([import('../engines/duckdb.js'), import('../views/describe.js')]);
  const engine = await DuckDbEngine.create({ threads: 1 });
  try {
    return await describeViews(engine, checked, (view, code, message, fix) => report('error', ['views', view.index, 'sql'], code, message, fix));
  } finally {
    engine.close();
  }
}

type Report = (severity: Diagnostic['severity'], path: YamlPath, code: string, message: string, fix: string) => void;

function checkConfigReferences(config: MeshConfig, report: Report): void {
  const domainNames = new Set<string>();
  const accounts = new Map<string, string>();
  for (const [i, domain] of config.domains.entries()) {
    if (domainNames.has(domain.name)) {
      report('error', ['domains', i, 'name'], 'duplicate-domain', `domain '${domain.name}' is declared twice`, 'merge the two entries or rename one');
    }
    domainNames.add(domain.name);
    if (domain.account === config.governance.account) {
      report('warning', ['domains', i, 'account'], 'shared-account', `domain '${domain.name}' uses the governance account ${domain.account}`, 'supported (the foundation stack owns the account\'s Lake Formation settings and LF-tags), but give each domain its own AWS account so that ownership and blast radius stay separate');
    }
    const other = accounts.get(domain.account);
    if (other !== undefined) {
      report('warning', ['domains', i, 'account'], 'shared-account', `domains '${other}' and '${domain.name}' share account ${domain.account}`, `supported (the stack of '${other}' owns the account's Lake Formation settings and LF-tags and deploys first), but give each domain its own AWS account`);
    }
    if (other === undefined) accounts.set(domain.account, domain.name);
    for (const [f, source] of domain.federated.entries()) {
      if (source.classification !== undefined && !config.classifications.includes(source.classification)) {
        report('error', ['domains', i, 'federated', f, 'classification'], 'unknown-classification', `federated source '${source.name}' is classified '${source.classification}', which is not in the ontology`, `use one of: ${config.classifications.join(', ')}`);
      }
    }
    const seenProducts = new Set<string>();
    for (const [p, product] of domain.products.entries()) {
      if (seenProducts.has(product)) {
        report('error', ['domains', i, 'products', p], 'duplicate-product', `domain '${domain.name}' lists '${product}' twice`, 'remove the second entry');
      }
      seenProducts.add(product);
    }
  }
  const classifications = new Set(config.classifications);
  if (classifications.size !== config.classifications.length) {
    report('error', ['classifications'], 'duplicate-classification', 'the classification ontology lists a value twice', 'list each classification once, least to most sensitive');
  }
  const consumerNames = new Set<string>();
  for (const [c, consumer] of config.consumers.entries()) {
    if (consumerNames.has(consumer.name)) {
      report('error', ['consumers', c, 'name'], 'duplicate-consumer', `consumer '${consumer.name}' is declared twice`, 'merge the two entries or rename one');
    }
    consumerNames.add(consumer.name);
    checkCreatedRole(config, consumer, c, report);
    if (consumer.servesDomain !== undefined && !domainNames.has(consumer.servesDomain)) {
      const near = suggest(consumer.servesDomain, [...domainNames]);
      report('error', ['consumers', c, 'servesDomain'], 'unknown-domain', `consumer '${consumer.name}' serves domain '${consumer.servesDomain}', which the mesh does not declare`, near ? `did you mean '${near}'?` : `use one of: ${[...domainNames].join(', ')}`);
    }
    for (const [g, grant] of consumer.grants.entries()) {
      for (const [d, domain] of grant.domains.entries()) {
        if (domain !== '*' && !domainNames.has(domain)) {
          report('error', ['consumers', c, 'grants', g, 'domains', d], 'unknown-domain', `consumer '${consumer.name}' is granted domain '${domain}', which the mesh does not declare`, `use one of: ${[...domainNames].join(', ')}, or * for all`);
        }
      }
      for (const [k, classification] of grant.classifications.entries()) {
        if (!classifications.has(classification)) {
          report('error', ['consumers', c, 'grants', g, 'classifications', k], 'unknown-classification', `consumer '${consumer.name}' is granted classification '${classification}', which is not in the ontology`, `use one of: ${config.classifications.join(', ')}`);
        }
      }
    }
  }
  for (const [a, admin] of config.governance.admins.entries()) {
    const adminAccount = ROLE_ARN.exec(admin)?.[1];
    if (adminAccount !== undefined && adminAccount !== config.governance.account) {
      report('error', ['governance', 'admins', a], 'foreign-admin', `data lake admin ${admin} is in account ${adminAccount}, not the governance account ${config.governance.account}`, 'Lake Formation admins must be principals of the governance account');
    }
  }
}

/**
 * A role Tessera creates is created by the governance stack, which deploys last: it must be in the
 * governance account, created once, and not be a data lake admin (admins are set first).
 */
function checkCreatedRole(config: MeshConfig, consumer: MeshConfig['consumers'][number], c: number, report: Report): void {
  if (!consumer.createRole) return;
  const path: YamlPath = ['consumers', c, 'createRole'];
  const roleAccount = ROLE_ARN.exec(consumer.role)?.[1];
  if (roleAccount !== undefined && roleAccount !== config.governance.account) {
    report('error', path, 'created-role-account', `consumer '${consumer.name}' asks Tessera to create ${consumer.role}, but the governance stack can create roles only in the governance account ${config.governance.account}`, `create the role in account ${roleAccount} yourself and set createRole: false, or name a role of account ${config.governance.account}`);
  }
  const first = config.consumers.findIndex((o) => o.createRole && o.role === consumer.role);
  if (first !== c) {
    report('error', path, 'created-role-twice', `consumers '${config.consumers[first]!.name}' and '${consumer.name}' both ask Tessera to create ${consumer.role}`, 'set createRole: true on one of them only');
  }
  if (config.governance.admins.includes(consumer.role)) {
    report('error', path, 'created-role-is-admin', `${consumer.role} is a data lake admin, which the foundation stack sets before the governance stack could create it`, 'create the admin role before deploying and set createRole: false');
  }
}

function zodDiagnostics(error: ZodError, source: YamlSource, data: unknown): Diagnostic[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '?';
      return source.diagnostic([...path, key], {
        severity: 'error',
        code: 'mesh-schema',
        at: 'key',
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`,
        fix: 'remove it, or check the spelling against the mesh config reference in README.md',
      });
    }
    const exists = source.has(path);
    const value = valueAt(data, path);
    let message = issue.message;
    let fix = 'see the mesh config reference in README.md';
    if (!exists || value === undefined) {
      message = `missing required field '${String(path[path.length - 1])}'`;
      fix = `add \`${String(path[path.length - 1])}:\``;
    } else if (issue.code === 'invalid_type' && issue.expected === 'string' && typeof value === 'number') {
      const written = source.sourceText(path) ?? String(value);
      message = `${issue.message}; found the number ${written}`;
      fix = `quote it: "${written}" (YAML reads unquoted digits as a number and drops leading zeros)`;
    } else if (issue.code === 'invalid_value') {
      fix = `use ${issue.values.map((v) => `'${String(v)}'`).join(' or ')}`;
    }
    return source.diagnostic(path, { severity: 'error', code: 'mesh-schema', message, fix });
  });
}
