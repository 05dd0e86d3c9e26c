/**
 * The OpenLineage event of a contract publication: one run of the job `<product>.publish`, whose
 * outputs are the product's tables with what the contract declares about them: the schema facet
 * (columns, Glue types, descriptions), ownership (the team, the owners), documentation and a
 * symlink to the Glue table in the publishing account.
 *
 * No dataQualityAssertions facet here: the facet requires each assertion's `success`, which a
 * declared check does not have before it runs. The quality run event (./quality.ts) carries every
 * check with its outcome.
 */
import type { ProductPage } from '../../catalog/api-schema.js';
import { documentationFacet, ownershipFacet, schemaFacet, symlinksFacet } from './facets.js';
import { athenaDataset, glueTable, runIdFor } from './naming.js';
import { runEvent, type OutputDataset, type RunEvent } from './run-event.js';

export interface PublicationLineage {
  readonly mesh: string;
  /** The version's catalog page (lib/catalog/records.ts). */
  readonly page: ProductPage;
  readonly sha256: string;
  /** The account and region the product's Glue tables are in (the publication's location). */
  readonly account: string;
  readonly region: string;
  readonly publishedAt: string;
  /** The publication's correlation id (a UUID), used as the run id. @default - derived from the publication */
  readonly correlationId?: string;
}

/** The run id of a publication when its event carries no correlation id: the same for the same publication. */
export function publicationRunId(mesh: string, product: string, version: string, sha256: string): string {
  return runIdFor(`publication/${mesh}/${product}@${version}#${sha256}`);
}

export function publicationEvent(p: PublicationLineage): RunEvent {
  const { page } = p;
  const owners = [...(page.team?.name ? [{ name: `team:${page.team.name}`, type: 'TEAM' }] : []), ...page.owners.map((o) => ({ name: `user:${o.username}`, ...(o.role ? { type: o.role } : {}) }))];
  const outputs: OutputDataset[] = page.tables.map((table) => {
    const description = table.description ?? page.description.purpose;
    return {
      ...athenaDataset(p.region, page.database, table.physicalName),
      facets: {
        schema: schemaFacet(table.columns.map((c) => ({ name: c.physicalName, type: c.type, description: c.description }))),
        ...(owners.length > 0 ? { ownership: ownershipFacet(owners) } : {}),
        ...(description ? { documentation: documentationFacet(description) } : {}),
        symlinks: symlinksFacet([{ ...glueTable(p.region, p.account, page.database, table.physicalName), type: 'TABLE' }]),
      },
    };
  });
  return runEvent({
    mesh: p.mesh,
    job: `${page.id}.publish`,
    jobType: 'PUBLICATION',
    runId: p.correlationId ?? publicationRunId(p.mesh, page.id, page.version, p.sha256),
    eventTime: p.publishedAt,
    outputs,
  });
}
