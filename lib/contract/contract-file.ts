/**
 * Loading a contract where a value is needed at once (a CDK app builds its constructs
 * synchronously): either the contract, or one `ContractError` naming every finding at its
 * file:line:column. Nothing half-loaded ever reaches a construct.
 */
import { readFileSync } from 'node:fs';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { fileReadError, loadContract, type LoadOptions } from './load.js';
import type { DataContract } from './model.js';

/** A contract that did not load, with every finding (errors first, then warnings). */
export class ContractError extends Error {
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];

  constructor(file: string, diagnostics: readonly Diagnostic[], what = 'is not a valid contract') {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const listed = [...errors, ...diagnostics.filter((d) => d.severity !== 'error')];
    super(`${file} ${what} (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${listed.map((d) => `  ${formatDiagnostic(d).replaceAll('\n', '\n  ')}`).join('\n')}`);
    this.name = 'ContractError';
    this.file = file;
    this.diagnostics = diagnostics;
  }
}

export const Contract = {
  /**
   * Reads and validates an ODCS v3.1 contract file. The `product` profile (the default) also asks
   * for what a deployable data product needs; `odcs` accepts any valid ODCS contract.
   * @throws ContractError listing every finding with its file:line:column
   */
  fromFile(path: string, options: LoadOptions = {}): DataContract {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ContractError(path, [fileReadError(path, e)], 'cannot be read');
    }
    return Contract.fromText(text, path, options);
  },

  /** Like `fromFile`, from text already read; `file` names it in the findings. */
  fromText(text: string, file: string, options: LoadOptions = {}): DataContract {
    const result = loadContract(text, file, { profile: 'product', ...options });
    if (!result.contract) throw new ContractError(file, result.diagnostics);
    return result.contract;
  },
} as const;

/**
 * The findings that keep a loaded contract from being deployed as a data product (empty when none
 * do), judged with the mesh's classifications: what a construct checks however its contract was loaded.
 */
export function readinessErrors(contract: DataContract, classifications?: readonly string[]): Diagnostic[] {
  const result = loadContract(contract.source.text, contract.source.file, { profile: 'product', classifications });
  return result.diagnostics.filter((d) => d.severity === 'error');
}
