/**
 * The lock of deployed contract versions: `contracts.lock.json` beside `mesh.yaml` records, for
 * every product, the contract that was last accepted (its version, hash and full document). A new
 * contract is compared with its locked predecessor, so a breaking change cannot reach a deploy
 * without a major version bump, and a reviewer sees in the lock's diff exactly what moved.
 *
 * The file is stable JSON (sorted keys, 2 spaces, trailing newline): the same mesh always gives
 * the same bytes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { diffContracts, sortKeys, type ContractDiff } from '../contract/diff.js';
import { fileReadError, loadContract } from '../contract/load.js';
import type { DataContract } from '../contract/model.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { YamlSource } from '../yaml-source.js';
import type { Mesh } from './load.js';

export const LOCK_FILE_NAME = 'contracts.lock.json';
export const LOCK_VERSION = 1;

export interface LockedProduct {
  readonly domain: string;
  readonly version: string;
  /** sha256 of the contract file's text (UTF-8), as the DataProduct tags its Glue tables. */
  readonly sha256: string;
  /** The contract file, relative to mesh.yaml, with `/` separators. */
  readonly file: string;
  /** The contract document as plain data. */
  readonly contract: Readonly<Record<string, unknown>>;
}

export interface ContractLock {
  readonly lockVersion: typeof LOCK_VERSION;
  /** By product (contract) id. */
  readonly products: Readonly<Record<string, LockedProduct>>;
}

const lockSchema = z.strictObject({
  lockVersion: z.literal(LOCK_VERSION, { error: `lockVersion must be ${LOCK_VERSION}; this lock was written by another version of tessera` }),
  products: z.record(
    z.string().min(1),
    z.strictObject({
      domain: z.string().min(1),
      version: z.string().min(1),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lower-case hex'),
      file: z.string().min(1),
      contract: z.record(z.string(), z.unknown()),
    }),
  ),
});

export function emptyLock(): ContractLock {
  return { lockVersion: LOCK_VERSION, products: {} };
}

/** The lock file of a mesh: beside its mesh.yaml. */
export function lockPath(meshFile: string): string {
  return join(dirname(meshFile), LOCK_FILE_NAME);
}

export interface LockReadResult {
  /** The lock; absent when the file exists but cannot be used (see diagnostics). */
  readonly lock?: ContractLock;
  /** The lock file's path (as `lockPath(meshFile)`). */
  readonly file: string;
  readonly exists: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads the lock beside `meshFile`; a missing file is an empty lock. */
export async function readLock(meshFile: string): Promise<LockReadResult> {
  const file = lockPath(meshFile);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { lock: emptyLock(), file, exists: false, diagnostics: [] };
    return { file, exists: true, diagnostics: [fileReadError(file, e)] };
  }
  return { ...parseLock(text, file), file, exists: true };
}

/** Parses a lock file's text; problems become diagnostics with file, line and column. */
export function parseLock(text: string, file: string): { lock?: ContractLock; diagnostics: Diagnostic[] } {
  // JSON is YAML: the YAML parser gives positions for syntax errors and for every value.
  const parsed = YamlSource.parse(text, file);
  const fix = `regenerate it with \`tessera lock\` (it is generated; do not edit it by hand)`;
  if (parsed.diagnostics.length > 0) {
    return { diagnostics: parsed.diagnostics.map((d) => ({ ...d, code: 'lock-syntax', message: d.message.replace(/^invalid YAML/, 'invalid lock file'), fix })) };
  }
  const shape = lockSchema.safeParse(parsed.data);
  if (!shape.success) {
    return {
      diagnostics: shape.error.issues.map((issue) => {
        const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
        const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}` : issue.message;
        return parsed.source.diagnostic(path, { severity: 'error', code: 'lock-schema', message: `invalid lock file: ${message}`, fix });
      }),
    };
  }
  return { lock: shape.data, diagnostics: [] };
}

/** The lock for the mesh as it is now. */
export function buildLock(mesh: Mesh): ContractLock {
  const base = dirname(mesh.file);
  const products: Record<string, LockedProduct> = {};
  for (const product of mesh.products) {
    products[product.contract.id] = {
      domain: product.domain,
      version: product.contract.version,
      sha256: product.contract.source.sha256,
      file: relative(base, product.file).split(sep).join('/'),
      contract: product.contract.document,
    };
  }
  return { lockVersion: LOCK_VERSION, products };
}

/** The lock file's text: sorted keys at every level, 2-space indent, trailing newline. */
export function formatLock(lock: ContractLock): string {
  return `${JSON.stringify(sortKeys(lock), null, 2)}\n`;
}

/** True when the two locks would be written as the same bytes. */
export function sameLock(a: ContractLock, b: ContractLock): boolean {
  return formatLock(a) === formatLock(b);
}

/** Writes the lock beside `meshFile` and returns its path. */
export async function writeLock(meshFile: string, lock: ContractLock): Promise<string> {
  const file = lockPath(meshFile);
  await writeFile(file, formatLock(lock), 'utf8');
  return file;
}

export interface LockCheck {
  /** The product (contract) id. */
  readonly product: string;
  readonly domain: string;
  /**
   * `unchanged`: same contract text as locked; `changed`: see `diff`; `removed`: locked but no
   * longer in the mesh; `added`: in the mesh but not locked yet (always fine); `unreadable`: the
   * locked contract could not be rebuilt (see `problem`).
   */
  readonly status: 'unchanged' | 'changed' | 'removed' | 'added' | 'unreadable';
  /** The locked version (absent for `added`). */
  readonly lockedVersion?: string;
  /** The current version (absent for `removed`). */
  readonly version?: string;
  /** Locked contract → current contract. */
  readonly diff?: ContractDiff;
  /** Why this product blocks the lock, when it is not a diff (a removal, an unreadable entry). */
  readonly problem?: string;
}

/** True when the check blocks a new lock: a problem, or a diff that is not ok. */
export function blocksLock(check: LockCheck): boolean {
  return check.problem !== undefined || (check.diff !== undefined && !check.diff.ok);
}

/**
 * Compares every locked product with the current mesh: each changed contract is diffed against
 * its locked document (rebuilt under the `odcs` profile, so a contract locked under older product
 * rules still loads). A locked product that left the mesh is a breaking removal unless its locked
 * status was `retired`. Products new to the mesh are listed as `added`.
 */
export function checkAgainstLock(mesh: Mesh, lock: ContractLock, lockFile = lockPath(mesh.file)): LockCheck[] {
  const classifications = mesh.config.classifications;
  const current = new Map(mesh.products.map((p) => [p.contract.id, p]));
  const checks: LockCheck[] = [];
  for (const [id, entry] of Object.entries(lock.products).sort(([a], [b]) => a.localeCompare(b))) {
    const product = current.get(id);
    const base = { product: id, lockedVersion: entry.version };
    if (!product) {
      const status = entry.contract.status;
      const retired = typeof status === 'string' && status.toLowerCase() === 'retired';
      checks.push({
        ...base,
        domain: entry.domain,
        status: 'removed',
        ...(retired
          ? {}
          : {
              problem: `product '${id}' ${entry.version} (domain ${entry.domain}) is locked but no longer in the mesh: removing a product breaks every consumer; retire it first (status: retired, in a new major version), deploy that, then remove it`,
            }),
      });
      continue;
    }
    const rest = { ...base, domain: product.domain, version: product.contract.version };
    if (product.contract.source.sha256 === entry.sha256) {
      checks.push({ ...rest, status: 'unchanged' });
      continue;
    }
    const locked = rebuildLocked(entry, `${lockFile}#${id}`, classifications);
    if (!locked.contract) {
      checks.push({ ...rest, status: 'unreadable', problem: `the locked contract of '${id}' cannot be read back: ${locked.problem}` });
      continue;
    }
    checks.push({ ...rest, status: 'changed', diff: diffContracts(locked.contract, product.contract, { classifications }) });
  }
  for (const product of mesh.products) {
    if (lock.products[product.contract.id] === undefined) {
      checks.push({ product: product.contract.id, domain: product.domain, status: 'added', version: product.contract.version });
    }
  }
  return checks;
}

/** The locked document as a contract again. `file` labels it in origins and findings. */
export function rebuildLocked(entry: LockedProduct, file: string, classifications?: readonly string[]): { contract?: DataContract; problem?: string } {
  const result = loadContract(stringify(entry.contract), file, { profile: 'odcs', classifications });
  if (result.contract) return { contract: result.contract };
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  return { problem: errors.map((d) => formatDiagnostic(d)).join('; ') };
}

export interface LockEntryChange {
  readonly product: string;
  readonly change: 'added' | 'removed' | 'updated';
  readonly before?: Pick<LockedProduct, 'version' | 'sha256' | 'file' | 'domain'>;
  readonly after?: Pick<LockedProduct, 'version' | 'sha256' | 'file' | 'domain'>;
}

/** What writing `next` over `previous` changes, product by product (sorted by id). */
export function lockChanges(previous: ContractLock, next: ContractLock): LockEntryChange[] {
  const ids = [...new Set([...Object.keys(previous.products), ...Object.keys(next.products)])].sort();
  const summary = (p: LockedProduct): Pick<LockedProduct, 'version' | 'sha256' | 'file' | 'domain'> => ({ version: p.version, sha256: p.sha256, file: p.file, domain: p.domain });
  const changes: LockEntryChange[] = [];
  for (const id of ids) {
    const before = previous.products[id];
    const after = next.products[id];
    if (before && !after) changes.push({ product: id, change: 'removed', before: summary(before) });
    else if (!before && after) changes.push({ product: id, change: 'added', after: summary(after) });
    else if (before && after && formatLock({ lockVersion: LOCK_VERSION, products: { x: before } }) !== formatLock({ lockVersion: LOCK_VERSION, products: { x: after } })) {
      changes.push({ product: id, change: 'updated', before: summary(before), after: summary(after) });
    }
  }
  return changes;
}
