/**
 * Loading an ODPS v1.1.0 product descriptor: YAML with positions → the official ODPS schema → the
 * ports Tessera needs. ODPS 1.1.0 makes a port's `contractId` and `version` optional; Tessera needs
 * them: an output port names the contract (the tables) the product publishes, an input port the
 * contract and version it consumes. Every problem is a Diagnostic with file:line; nothing throws.
 */
import { readFile } from 'node:fs/promises';
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import { sortDiagnostics } from '../diagnostics.js';
import { fileReadError } from '../contract/load.js';
import type { ProductInputPort } from '../lineage/model.js';
import { YamlSource } from '../yaml-source.js';
import { checkOdpsSchema } from './schema-check.js';

/** Where a port is in its descriptor, for findings about it. */
interface Located {
  /** `['inputPorts', 0]` or `['outputPorts', 1]`. */
  readonly path: YamlPath;
}

export interface DescriptorInputPort extends ProductInputPort, Located {}

export interface DescriptorOutputPort extends Located {
  readonly name: string;
  readonly contractId: string;
  /** The contract version the port publishes, when the descriptor says. */
  readonly version?: string;
}

export interface ProductDescriptor {
  readonly file: string;
  readonly id: string;
  readonly name?: string;
  /** The business domain, when the descriptor names one. */
  readonly domain?: string;
  readonly version?: string;
  readonly outputPorts: readonly DescriptorOutputPort[];
  readonly inputPorts: readonly DescriptorInputPort[];
  /** The parsed file, to place findings about the descriptor (e.g. from the mesh's checks). */
  readonly source: YamlSource;
}

export interface DescriptorResult {
  /** Present when the descriptor has no errors. */
  readonly descriptor?: ProductDescriptor;
  readonly diagnostics: readonly Diagnostic[];
}

type Raw = Record<string, unknown>;

export function loadDescriptor(text: string, file: string): DescriptorResult {
  const parsed = YamlSource.parse(text, file);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics };
  const { source, data } = parsed;
  const schema = checkOdpsSchema(data, source);
  if (schema.length > 0) return { diagnostics: sortDiagnostics(schema) };
  // Valid ODPS: the document is a mapping and every field has the schema's type.
  const raw = data as Raw;
  const findings: Diagnostic[] = [];
  const outputPorts = portsOf(raw, 'outputPorts').flatMap((port, i) => {
    const path = ['outputPorts', i];
    if (typeof port.contractId !== 'string') {
      findings.push(source.diagnostic(path, portError(`output port '${String(port.name)}' names no contractId`, 'add `contractId:` with the id of the ODCS contract whose tables the port publishes')));
      return [];
    }
    return [{ name: port.name as string, contractId: port.contractId, version: port.version as string | undefined, path }];
  });
  if (outputPorts.length === 0 && findings.length === 0) {
    findings.push(source.diagnostic(raw.outputPorts === undefined ? [] : ['outputPorts'], portError('the descriptor has no output port', 'add an output port per contract the product publishes: `outputPorts: [{name: ..., contractId: ..., version: ...}]`')));
  }
  const inputPorts = portsOf(raw, 'inputPorts').flatMap((port, i) => {
    const path = ['inputPorts', i];
    const missing = ['contractId', 'version'].filter((key) => typeof port[key] !== 'string');
    if (missing.length > 0) {
      findings.push(source.diagnostic(path, portError(`input port '${String(port.name)}' names no ${missing.join(' and no ')}`, `add ${missing.map((m) => `\`${m}:\``).join(' and ')}: the contract the product consumes and the version it was built against`)));
      return [];
    }
    return [{ name: port.name as string, contractId: port.contractId as string, version: port.version as string, path }];
  });
  if (findings.length > 0) return { diagnostics: sortDiagnostics(findings) };
  const stringField = (key: string): string | undefined => (typeof raw[key] === 'string' ? raw[key] : undefined);
  return {
    descriptor: { file, id: raw.id as string, name: stringField('name'), domain: stringField('domain'), version: stringField('version'), outputPorts, inputPorts, source },
    diagnostics: [],
  };
}

export async function loadDescriptorFile(path: string): Promise<DescriptorResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { diagnostics: [fileReadError(path, e)] };
  }
  return loadDescriptor(text, path);
}

/** A mesh config's product entry that is a descriptor rather than a contract. */
export function isDescriptorPath(path: string): boolean {
  return /\.odps\.ya?ml$/i.test(path);
}

function portsOf(raw: Raw, key: 'inputPorts' | 'outputPorts'): Raw[] {
  return (raw[key] as Raw[] | undefined) ?? [];
}

function portError(message: string, fix: string): Omit<Diagnostic, 'file' | 'position' | 'path'> {
  return { severity: 'error', code: 'odps-port', message, fix };
}
