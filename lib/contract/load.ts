/**
 * Loading a contract: YAML with positions → official ODCS schema → typed model → semantic rules.
 * Every problem becomes a Diagnostic; nothing here throws at a user for bad input.
 */
import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics.js';
import { hasErrors, sortDiagnostics } from '../diagnostics.js';
import { YamlSource } from '../yaml-source.js';
import { buildContract } from './build.js';
import type { DataContract } from './model.js';
import { checkContractRules, DEFAULT_CLASSIFICATIONS, type RuleLevel } from './rules.js';
import { checkOdcsSchema } from './schema-check.js';

/**
 * `product` (default): the contract must be deployable as a Tessera data product.
 * `odcs`: only the standard and the contract's own consistency are errors; Tessera's product
 * requirements are reported as warnings (for contracts written for other platforms).
 */
export type ValidationProfile = 'product' | 'odcs';

export interface LoadOptions {
  readonly profile?: ValidationProfile;
  /** The classification ontology of the mesh. @default public, internal, confidential, restricted */
  readonly classifications?: readonly string[];
}

export interface ContractResult {
  /** The model; present when there are no errors (warnings allowed). */
  readonly contract?: DataContract;
  /** Every finding, with the severity the profile gives it. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * The verdict on the standard: the document is valid ODCS v3.1.0 (the official schema, and a
   * contract that does not contradict itself). Absent when the file could not be read or parsed.
   */
  readonly odcsValid?: boolean;
  /**
   * What stands between a valid ODCS contract and a deployable Tessera data product (a domain, an
   * owner, a support channel, a classification on every column, Glue-mappable names and types...):
   * the `product`-level findings, also in `diagnostics`. Empty when the contract is ready; absent
   * when it is not valid ODCS.
   */
  readonly readiness?: readonly Diagnostic[];
}

export function loadContract(text: string, file: string, options: LoadOptions = {}): ContractResult {
  const parsed = YamlSource.parse(text, file);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics };
  const { source, data } = parsed;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      diagnostics: [
        source.diagnostic([], {
          severity: 'error',
          code: 'odcs-schema',
          message: `a contract must be a YAML mapping of fields, found ${Array.isArray(data) ? 'a list' : `the ${typeof data} ${JSON.stringify(data)}`}`,
          fix: 'start the file with `apiVersion: v3.1.0` and `kind: DataContract`',
        }),
      ],
    };
  }
  const schemaDiagnostics = checkOdcsSchema(data, source);

  const profile = options.profile ?? 'product';
  const severity = (level: RuleLevel | 'warning'): Diagnostic['severity'] =>
    level === 'standard' || (level === 'product' && profile === 'product') ? 'error' : 'warning';

  const { contract, findings: buildFindings } = buildContract(data as Record<string, unknown>, source);
  const ruleFindings = checkContractRules(contract, source, { classifications: options.classifications ?? DEFAULT_CLASSIFICATIONS });
  const findings = [...buildFindings, ...ruleFindings].map((f) => ({ level: f.level, diagnostic: { severity: severity(f.level === 'advice' ? 'warning' : f.level), ...f.diagnostic } }));
  if (schemaDiagnostics.length > 0) {
    // Every finding at once, so one run shows all there is to fix; but not Tessera's view of a part
    // the schema already rejected (that finding would only restate the schema error).
    const rest = findings.map((f) => f.diagnostic).filter((f) => !schemaDiagnostics.some((d) => overlaps(d, f)));
    return { diagnostics: sortDiagnostics([...schemaDiagnostics, ...rest]), odcsValid: false };
  }
  const diagnostics = sortDiagnostics(findings.map((f) => f.diagnostic));
  const odcsValid = !findings.some((f) => f.level === 'standard');
  const readiness = odcsValid ? sortDiagnostics(findings.filter((f) => f.level === 'product').map((f) => f.diagnostic)) : undefined;
  return hasErrors(diagnostics) ? { diagnostics, odcsValid, readiness } : { contract, diagnostics, odcsValid, readiness };
}

/** Whether two findings concern the same part of the document (one's path contains the other's). */
function overlaps(schema: Diagnostic, finding: Diagnostic): boolean {
  // A missing top-level field is reported on the document; it concerns that field only.
  const missing = schema.path === '(document)' ? /missing required field '([^']+)'/.exec(schema.message)?.[1] : undefined;
  const a = missing ?? schema.path;
  const b = finding.path;
  const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return a === '(document)' || within(a, b) || within(b, a);
}

export async function loadContractFile(path: string, options: LoadOptions = {}): Promise<ContractResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { diagnostics: [fileReadError(path, e)] };
  }
  return loadContract(text, path, options);
}

export function fileReadError(path: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { severity: 'error', code: 'file-read', file: path, path: '(document)', message: 'file not found', fix: 'check the path' };
  const reason = code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder, not a file' : (error as Error).message;
  return { severity: 'error', code: 'file-read', file: path, path: '(document)', message: `cannot read the file: ${reason}`, fix: 'check the path' };
}
