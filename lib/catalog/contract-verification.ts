/**
 * Is the contract read from a product's bucket the one its `ContractPublished` event announced, and
 * can the catalog keep it? The sha256, id, version and domain must match the event, the contract must
 * be valid ODCS with a semantic version, and its stored item must fit DynamoDB. Pure: the ingest
 * reads the text and records the verdict.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import semver from 'semver';
import { loadContract } from '../contract/load.js';
import type { DataContract } from '../contract/model.js';
import { formatDiagnostic } from '../diagnostics.js';
import type { MeshConfig } from '../mesh/config.js';
import type { ProductPage, Rejection } from './api-schema.js';
import type { PublicationDetail } from './publication.js';
import { encodeDocument, productPageOf, searchDocumentOf } from './records.js';

/** Contract text, page and search document together must fit a DynamoDB item (400 KB) with room to spare. */
export const MAX_VERSION_BYTES = 350_000;

export interface VerifiedContract {
  readonly ok: true;
  readonly contract: DataContract;
  readonly sha256: string;
  readonly page: ProductPage;
  /** The encoded search document. */
  readonly doc: string;
}

export interface RefusedContract {
  readonly ok: false;
  readonly kind: Extract<Rejection['kind'], 'mismatch' | 'invalid-contract'>;
  readonly message: string;
  readonly findings: string[];
}

export function verifyPublishedContract(text: string, detail: PublicationDetail, config: MeshConfig | undefined): VerifiedContract | RefusedContract {
  const where = `s3://${detail.location.bucket}/${detail.location.key}`;
  const refused = (kind: RefusedContract['kind'], message: string, findings: string[] = []): RefusedContract => ({ ok: false, kind, message, findings });
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  if (sha256 !== detail.sha256) return refused('mismatch', `the contract at ${where} has sha256 ${sha256}, not the ${detail.sha256} the event announced`);
  // The deployed contract passed the product rules at synth time; the standard and the mesh's
  // ontology are enough here, so a stricter Tessera release never hides a deployed product.
  const loaded = loadContract(text, where, { profile: 'odcs', classifications: config?.classifications });
  const contract = loaded.contract;
  if (!contract) {
    const findings = loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    return refused('invalid-contract', `the contract at ${where} is invalid (${findings.length} error${findings.length === 1 ? '' : 's'})`, findings);
  }
  const mismatches = [
    contract.id !== detail.product ? `id: the contract is product '${contract.id}', the event says '${detail.product}'` : undefined,
    contract.version !== detail.version ? `version: the contract is version ${contract.version}, the event says ${detail.version}` : undefined,
    contract.domain !== undefined && contract.domain !== detail.domain ? `domain: the contract is in domain '${contract.domain}', the event says '${detail.domain}'` : undefined,
  ].filter((m): m is string => m !== undefined);
  if (mismatches.length > 0) return refused('mismatch', `the contract at ${where} is not the one the event announced`, mismatches);
  if (semver.valid(contract.version) !== contract.version) {
    return refused('invalid-contract', `version '${contract.version}' is not a semantic version; the catalog orders versions by semver`, ['version: must be a semantic version such as 1.2.0']);
  }
  const page = productPageOf(contract, { domain: detail.domain, classifications: config?.classifications });
  const doc = encodeDocument(searchDocumentOf(contract));
  // The version item holds the contract gzipped (as the store writes it), its page and its search document.
  const size = gzipSync(text).byteLength + Buffer.byteLength(JSON.stringify(page)) + Buffer.byteLength(doc);
  if (size > MAX_VERSION_BYTES) return refused('invalid-contract', `the contract is too large for the catalog (about ${Math.round(size / 1000)} KB stored, at most ${MAX_VERSION_BYTES / 1000} KB)`);
  return { ok: true, contract, sha256, page, doc };
}
