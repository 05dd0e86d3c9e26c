/**
 * Which contract file an output port publishes. An ODPS output port names its contract by
 * `contractId`, the ODCS contract's `id`; Tessera looks for it among the ODCS files
 * (`*.odcs.yaml`) in the descriptor's own folder. Chosen over a path in a custom property so that
 * the descriptor stays plain ODPS, readable by any ODPS tool, and says only what the standard
 * says; the folder is the domain's, as the mesh is laid out (one folder per domain).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { suggest } from '../suggest.js';
import type { ProductDescriptor } from './descriptor.js';

const ODCS_FILE = /\.odcs\.ya?ml$/i;

export interface PortContract {
  /** The output port's index in the descriptor. */
  readonly port: number;
  readonly file: string;
}

/** The contract file of every output port, or findings at the ports that name none or several. */
export async function resolveOutputContracts(descriptor: ProductDescriptor): Promise<{ contracts: PortContract[]; diagnostics: Diagnostic[] }> {
  const folder = dirname(descriptor.file);
  const byId = await contractIds(folder);
  const contracts: PortContract[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [i, port] of descriptor.outputPorts.entries()) {
    const files = byId.get(port.contractId) ?? [];
    const at = [...port.path, 'contractId'];
    if (files.length === 1) {
      contracts.push({ port: i, file: files[0]! });
    } else if (files.length === 0) {
      const near = suggest(port.contractId, [...byId.keys()]);
      diagnostics.push(
        descriptor.source.diagnostic(at, {
          severity: 'error',
          code: 'odps-port-contract',
          message: `output port '${port.name}' names contract '${port.contractId}', but no ODCS file (*.odcs.yaml) beside the descriptor has that id`,
          fix: near ? `did you mean '${near}'?` : `put the contract beside the descriptor; the contracts there are: ${[...byId.keys()].join(', ') || 'none'}`,
        }),
      );
    } else {
      diagnostics.push(
        descriptor.source.diagnostic(at, {
          severity: 'error',
          code: 'odps-port-contract',
          message: `output port '${port.name}' names contract '${port.contractId}', which ${files.length} files beside the descriptor declare: ${files.map((f) => basename(f)).join(', ')}`,
          fix: 'give every contract its own `id`',
        }),
      );
    }
  }
  return { contracts, diagnostics };
}

/** The ids of the ODCS files in `folder` (files that do not parse are left to the contract loader). */
async function contractIds(folder: string): Promise<Map<string, string[]>> {
  const byId = new Map<string, string[]>();
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => ODCS_FILE.test(n)).sort();
  } catch {
    return byId;
  }
  for (const name of names) {
    const file = join(folder, name);
    let id: unknown;
    try {
      id = (parse(await readFile(file, 'utf8')) as Record<string, unknown> | null)?.id;
    } catch {
      continue;
    }
    if (typeof id === 'string') byId.set(id, [...(byId.get(id) ?? []), file]);
  }
  return byId;
}
