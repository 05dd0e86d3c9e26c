/**
 * The mesh's checks on the input ports of its product descriptors: each names a contract of the
 * mesh, at a version the mesh satisfies, other than the product's own; and a product consuming
 * another domain's contract can read it, through a consumer that serves its domain.
 *
 * "Can read" is decided by the access model (lib/access), as Lake Formation evaluates the grants:
 * one consumer serving the domain must be able to read every column of every table of the consumed
 * contract. An ODPS input port names a whole contract, not some of its columns, so a pipeline built
 * on it may read any of them; reading part of a table would fail it at run time, not at deploy.
 */
import semver from 'semver';
import type { Diagnostic } from '../diagnostics.js';
import type { AccessMatrix, ColumnAccess, TableAccess } from '../access/evaluate.js';
import { suggest } from '../suggest.js';
import type { DescriptorInputPort, ProductDescriptor } from './descriptor.js';

interface PortConfig {
  readonly classifications: readonly string[];
  readonly consumers: readonly { readonly name: string; readonly servesDomain?: string }[];
}

interface PortProduct {
  readonly domain: string;
  readonly contract: { readonly id: string; readonly version: string };
}

interface PortDescriptor {
  readonly domain: string;
  readonly descriptor: ProductDescriptor;
}

export function checkInputPorts(config: PortConfig, products: readonly PortProduct[], descriptors: readonly PortDescriptor[], matrix: AccessMatrix): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { domain, descriptor } of descriptors) {
    const own = new Set(descriptor.outputPorts.map((p) => p.contractId));
    for (const port of descriptor.inputPorts) {
      const finding = checkPort(config, products, matrix, { domain, own, port });
      if (finding) out.push(descriptor.source.diagnostic(finding.at === 'port' ? port.path : [...port.path, finding.at], { severity: 'error', ...finding.diagnostic }));
    }
  }
  return out;
}

type Finding = { at: 'port' | 'contractId' | 'version'; diagnostic: { code: string; message: string; fix: string } };

function checkPort(config: PortConfig, products: readonly PortProduct[], matrix: AccessMatrix, { domain, own, port }: { domain: string; own: Set<string>; port: DescriptorInputPort }): Finding | undefined {
  const label = `input port '${port.name}'`;
  if (own.has(port.contractId)) {
    return { at: 'contractId', diagnostic: { code: 'odps-self-port', message: `${label} consumes '${port.contractId}', which this product publishes itself (an output port names it)`, fix: 'remove the input port: a product does not consume its own output' } };
  }
  const target = products.find((p) => p.contract.id === port.contractId);
  if (!target) {
    const ids = products.map((p) => p.contract.id);
    const near = suggest(port.contractId, ids);
    return { at: 'contractId', diagnostic: { code: 'odps-unknown-port', message: `${label} consumes contract '${port.contractId}', which no product of the mesh publishes`, fix: near ? `did you mean '${near}'?` : `name one of the mesh's contracts: ${ids.join(', ')}` } };
  }
  const version = versionFinding(label, port, target.contract);
  if (version) return version;
  if (target.domain === domain) return undefined; // a domain reads its own products with its producer role
  return grantFinding(config, matrix, label, domain, target);
}

/**
 * The port names the version it was built against; a compatible later version satisfies it: the
 * npm caret range `^<version>` (same major version, not older; for 0.x, the same minor).
 */
function versionFinding(label: string, port: DescriptorInputPort, contract: PortProduct['contract']): Finding | undefined {
  if (semver.valid(port.version) === null) {
    return { at: 'version', diagnostic: { code: 'odps-port-version', message: `${label} asks for version '${port.version}' of '${port.contractId}', which is not a semantic version`, fix: `write the contract version it was built against, e.g. version: ${contract.version}` } };
  }
  if (semver.satisfies(contract.version, `^${port.version}`)) return undefined;
  return {
    at: 'version',
    diagnostic: { code: 'odps-port-version', message: `${label} asks for version ${port.version} of '${port.contractId}', but the mesh publishes version ${contract.version}, which does not satisfy ^${port.version}`, fix: `build the product against version ${contract.version} and write version: ${contract.version}` },
  };
}

function grantFinding(config: PortConfig, matrix: AccessMatrix, label: string, domain: string, target: PortProduct): Finding | undefined {
  const serving = config.consumers.filter((c) => c.servesDomain === domain).map((c) => c.name);
  if (serving.length === 0) {
    return {
      at: 'port',
      diagnostic: { code: 'odps-port-grant', message: `${label} consumes '${target.contract.id}' of domain '${target.domain}', but no consumer of the mesh serves domain '${domain}'`, fix: `add a consumer with \`servesDomain: ${domain}\` and a grant on domain '${target.domain}' for the classifications of '${target.contract.id}'` },
    };
  }
  const denied = serving.map((name) => ({ name, columns: unreadableColumns(matrix, name, target.contract.id) })).sort((a, b) => a.columns.length - b.columns.length)[0]!;
  if (denied.columns.length === 0) return undefined;
  const shown = denied.columns.slice(0, 3).map(({ table, column }) => `${table}.${column.name} (${column.reason ?? 'not granted'})`);
  const more = denied.columns.length > 3 ? ` and ${denied.columns.length - 3} more` : '';
  const classes = config.classifications.filter((k) => denied.columns.some(({ column }) => column.classification === k));
  return {
    at: 'port',
    diagnostic: {
      code: 'odps-port-grant',
      message: `${label} consumes '${target.contract.id}', but consumer '${denied.name}' (serving domain '${domain}') cannot read ${denied.columns.length} of its columns: ${shown.join('; ')}${more}`,
      fix: `grant consumer '${denied.name}' domain '${target.domain}'${classes.length > 0 ? ` with the classifications ${classes.join(', ')}` : ''}`,
    },
  };
}

function unreadableColumns(matrix: AccessMatrix, consumer: string, product: string): { table: string; column: ColumnAccess }[] {
  const tables: readonly TableAccess[] = matrix.principals.find((p) => p.principal.name === consumer)?.tables ?? [];
  return tables.filter((t) => t.product === product).flatMap((t) => t.columns.filter((c) => !c.readable).map((column) => ({ table: t.table, column })));
}
