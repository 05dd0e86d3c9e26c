/**
 * After a version is stored, read its neighbours again and correct both diffs that involve it: its
 * own (a lower version may have arrived meanwhile) and the next version's (which was diffed against
 * whatever was below it before). Of two versions written concurrently, the later read sees both.
 * What each diff should be is decided in lib/catalog/diff-reconciliation.ts.
 */
import { diffAgainst, diffDiffers, loadStored } from '../../../lib/catalog/diff-reconciliation.js';
import { diffReportOf } from '../../../lib/catalog/records.js';
import type { DataContract } from '../../../lib/contract/model.js';
import type { MeshConfig } from '../../../lib/mesh/config.js';
import { logger } from '../../shared/powertools.js';
import type { CatalogStore } from '../store.js';

export async function reconcileDiffs(store: CatalogStore, contract: DataContract, config: MeshConfig | undefined): Promise<void> {
  // Read self, then its neighbours, then compare-and-set on what was read first: a concurrent ingest
  // that corrected the same version in between makes the write fail, and the round starts again.
  for (let round = 1; ; round++) {
    const self = await store.getVersion(contract.id, contract.version);
    const { previous, next } = await store.adjacentVersions(contract.id, contract.version);
    let settled = true;
    if (self) {
      const wanted = diffAgainst(previous, contract, config);
      if (diffDiffers(self, wanted)) settled = await store.setVersionDiff(self.product, self.version, self.sha256, self.previousVersion, wanted.previousVersion, wanted.diff);
    }
    const after = next ? loadStored(next, config) : undefined;
    if (settled && next && after) {
      const wanted = { previousVersion: contract.version, diff: diffReportOf(contract, after, config?.classifications) };
      if (diffDiffers(next, wanted)) {
        settled = await store.setVersionDiff(next.product, next.version, next.sha256, next.previousVersion, wanted.previousVersion, wanted.diff);
        if (settled) logger.info('corrected the diff of a later version after an earlier one arrived', { product: contract.id, version: next.version, previousVersion: contract.version });
      }
    }
    if (settled) return;
    // Retried by SQS (and idempotent) if the versions keep moving.
    if (round >= 5) throw new Error(`the diffs of ${contract.id} around ${contract.version} kept changing under concurrent publications`);
  }
}
