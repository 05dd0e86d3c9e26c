/**
 * The catalog's records, built from a loaded contract and the mesh config: the product page of a
 * version (schema with classifications, owners, support, SLAs, Athena names and a sample query), the
 * summary shown in search results, the breaking-change report between versions, how to get access
 * (from the mesh's consumers and their grants) and freshness. Pure: plain data in, plain data out.
 */
import { buildAccessModel, explainPrincipal } from '../access/index.js';
import { diffContracts, type ContractDiff } from '../contract/diff.js';
import { glueTypeToString } from '../contract/glue-types.js';
import type { DataContract } from '../contract/model.js';
import { DEFAULT_CLASSIFICATIONS } from '../contract/rules.js';
import { mostSensitive } from '../glue/classification.js';
import { databaseNameFor } from '../glue/names.js';
import type { MeshConfig } from '../mesh/config.js';
import { planQuality } from '../quality/plan.js';
import { athena } from '../quality/dialects.js';
import type { Access, DiffReport, Freshness, ProductPage, ProductSummary, QualityRun, SlaCheck, Trust } from './api-schema.js';
import { documentOf, type CatalogDocument } from './search.js';
import { slaMet, type TrustRun } from './trust.js';

/** Rows the sample query returns. */
export const SAMPLE_LIMIT = 10;

/** The page of one version of a product. `domain` is the publishing domain, used when the contract has none. */
export function productPageOf(contract: DataContract, options: { domain?: string; classifications?: readonly string[] } = {}): ProductPage {
  const domain = contract.domain ?? options.domain ?? '';
  const database = databaseNameFor(domain);
  const ontology = options.classifications ?? DEFAULT_CLASSIFICATIONS;
  return {
    id: contract.id,
    name: contract.name ?? contract.id,
    version: contract.version,
    status: contract.status,
    domain,
    database,
    description: { purpose: contract.description.purpose, usage: contract.description.usage, limitations: contract.description.limitations },
    tags: [...contract.tags],
    team: contract.team ? { name: contract.team.name, description: contract.team.description } : undefined,
    owners: contract.owners.map((o) => ({ username: o.username, name: o.name, role: o.role })),
    support: contract.support.map((s) => ({ channel: s.channel, tool: s.tool, url: s.url, scope: s.scope, description: s.description })),
    slas: contract.sla.map((s) => ({ property: s.property, value: s.value, unit: s.unit, description: s.description, elements: s.elements.map((e) => `${e.table}.${e.column}`) })),
    slaChecks: slaChecksOf(contract),
    tables: contract.tables.map((table) => {
      const partition = table.partitionKeys[0];
      // A date partition bounds the sample's scan to a week; anything else reads as little as LIMIT allows.
      const where = partition?.glueType?.kind === 'primitive' && partition.glueType.name === 'date' ? ` WHERE ${athena.ident(partition.physicalName)} >= date_add('day', -7, current_date)` : '';
      return {
        name: table.name,
        physicalName: table.physicalName,
        businessName: table.businessName,
        description: table.description,
        granularity: table.dataGranularityDescription,
        classification: mostSensitive(
          table.columns.map((c) => c.classification),
          ontology,
        ),
        athenaTable: `${database}.${table.physicalName}`,
        sampleQuery: `SELECT * FROM ${athena.table(database, table.physicalName)}${where} LIMIT ${SAMPLE_LIMIT}`,
        columns: table.columns.map((c) => ({
          name: c.name,
          physicalName: c.physicalName,
          businessName: c.businessName,
          description: c.description,
          logicalType: c.logicalType,
          type: c.glueType ? glueTypeToString(c.glueType) : c.physicalType,
          classification: c.classification,
          required: c.required,
          unique: c.unique,
          primaryKeyPosition: c.primaryKeyPosition,
          partitionKeyPosition: c.partitionKeyPosition,
        })),
        primaryKey: table.primaryKey.map((c) => c.physicalName),
        partitionKeys: table.partitionKeys.map((c) => c.physicalName),
      };
    }),
  };
}

/** The quality checks that measure the contract's SLAs, with the ids the quality service reports. */
export function slaChecksOf(contract: DataContract): SlaCheck[] {
  let plan;
  try {
    plan = planQuality(contract);
  } catch {
    // A contract the planner refuses has no runs either, so nothing to attain.
    return [];
  }
  return plan.tables.flatMap((t) =>
    t.checks.filter((c) => c.kind === 'age').map((c) => ({ id: c.id, name: c.name, kind: c.id.endsWith('.retention') ? ('retention' as const) : ('latency' as const) })),
  );
}

/** The product as search results show it. */
export function productSummaryOf(page: ProductPage, state: { publishedAt: string; trust: Trust; latestQuality: QualityRun | null }): ProductSummary {
  const summary = [page.description.purpose, page.description.usage].filter(Boolean).join(' ');
  const latest = state.latestQuality;
  return {
    id: page.id,
    name: page.name,
    domain: page.domain,
    status: page.status,
    version: page.version,
    description: summary,
    tags: page.tags,
    owners: [...(page.team?.name ? [page.team.name] : []), ...page.owners.map((o) => o.username)],
    classifications: [...new Set(page.tables.flatMap((t) => t.columns.map((c) => c.classification).filter((c): c is string => c !== undefined)))],
    tables: page.tables.map((t) => t.athenaTable),
    publishedAt: state.publishedAt,
    trust: state.trust,
    latestQuality: latest ? { runId: latest.runId, version: latest.version, at: latest.at, summary: latest.summary, slaMet: latest.slaMet } : null,
  };
}

/** The search document of a contract (what `SearchIndex` indexes). */
export function searchDocumentOf(contract: DataContract): CatalogDocument {
  return documentOf(contract);
}

/**
 * A search document as compact JSON (positional arrays, empty strings for absent text): stored on
 * the product's summary item and read by every cold start, so its size is read time.
 */
export function encodeDocument(doc: CatalogDocument): string {
  return JSON.stringify([
    doc.id,
    doc.name,
    doc.domain,
    doc.description,
    doc.tags,
    doc.owners,
    doc.tables.map((t) => [t.name, t.description ?? '', t.columns.map((c) => [c.name, c.description ?? '', c.classification ?? ''])]),
  ]);
}

type Packed = [string, string, string, string, string[], string[], [string, string, [string, string, string][]][]];

export function decodeDocument(text: string): CatalogDocument {
  const [id, name, domain, description, tags, owners, tables] = JSON.parse(text) as Packed;
  return {
    id,
    name,
    domain,
    description,
    tags,
    owners,
    tables: tables.map(([tn, td, cols]) => ({
      name: tn,
      description: td || undefined,
      columns: cols.map(([cn, cd, cc]) => ({ name: cn, description: cd || undefined, classification: cc || undefined })),
    })),
  };
}

/** The breaking-change report of `after` against the version before it. */
export function diffReportOf(before: DataContract, after: DataContract, classifications?: readonly string[]): DiffReport {
  return diffReportFrom(diffContracts(before, after, { classifications }));
}

export function diffReportFrom(diff: ContractDiff): DiffReport {
  return {
    before: diff.versions.before,
    after: diff.versions.after,
    versionBump: diff.versionBump,
    breaking: diff.breaking,
    ok: diff.ok,
    suggested: diff.versions.suggested,
    changes: diff.changes.map((c) => ({ severity: c.severity, rule: c.rule, subject: c.subject, message: c.message, before: c.before, after: c.after })),
  };
}

/**
 * How to get access: for every consumer of the mesh, the product's tables it can read and the
 * columns it would see (Lake Formation's tag-based evaluation, as `tessera access` explains it).
 */
export function accessFor(page: ProductPage, config: MeshConfig | undefined): Access {
  if (!config) return { available: false, reason: 'access information is unavailable: the catalog has no mesh config (item MESH/CONFIG is written when the governance stack deploys)' };
  const model = buildAccessModel({
    config: { ...config, domains: config.domains.some((d) => d.name === page.domain) ? config.domains : [...config.domains, { name: page.domain, account: '' }] },
    products: [
      {
        domain: page.domain,
        contract: { id: page.id, tables: page.tables.map((t) => ({ name: t.name, physicalName: t.physicalName, columns: t.columns.map((c) => ({ name: c.name, physicalName: c.physicalName, classification: c.classification })) })) },
      },
    ],
  });
  const consumers = model.principals.map((principal) => {
    const explained = explainPrincipal(model, principal);
    return {
      name: principal.name,
      description: principal.description,
      role: principal.arn,
      tables: explained.tables
        .filter((t) => t.readable)
        .map((t) => ({ table: t.table, athenaTable: `${t.glueDatabase}.${t.glueTable}`, readableColumns: t.columns.filter((c) => c.readable).map((c) => c.glueColumn), totalColumns: t.totalColumns })),
    };
  });
  const readers = consumers.filter((c) => c.tables.length > 0).map((c) => c.name);
  // Access requests (docs/access-requests.md): the owners grant for a time; standing access is the mesh config's.
  const askOwners = `For another role, or for a limited time, ask the owners: tessera access request ${page.id} --reason <why> --duration 30d --classification <class> (or --columns a,b); standing access is a grant on domain '${page.domain}' in the mesh config.`;
  const howTo =
    readers.length > 0
      ? `Assume one of the consumer roles that can read it (${readers.join(', ')}) and query the tables in the mesh's Athena workgroup; columns outside a role's classifications are not returned. ${askOwners}`
      : `No consumer of the mesh can read this product yet. ${askOwners}`;
  return { available: true, howTo, consumers };
}

/** Freshness from the latency SLA and the newest quality run that measured it. */
export function freshnessOf(page: ProductPage, latest: QualityRun | null): Freshness {
  const latency = page.slas.find((s) => ['latency', 'freshness'].includes(s.property.toLowerCase()));
  const written = latency ? `${String(latency.value)}${latency.unit ? ` ${latency.unit}` : ''}` : null;
  const checks = page.slaChecks.filter((c) => c.kind === 'latency');
  if (checks.length === 0) return { status: 'unknown', latency: written, checkedAt: null, detail: 'the contract has no measurable latency SLA' };
  if (!latest) return { status: 'unknown', latency: written, checkedAt: null, detail: 'no quality run has measured freshness yet' };
  const failing = latest.failing.filter((f) => checks.some((c) => c.id === f.id));
  if (failing.length === 0) return { status: 'met', latency: written, checkedAt: latest.at, detail: `the newest data was within ${written ?? 'the SLA'} at the run of ${latest.at}` };
  const first = failing[0]!;
  return { status: 'missed', latency: written, checkedAt: latest.at, detail: `${first.name}: ${first.actual ?? first.status}${first.expected ? ` (expected ${first.expected})` : ''}` };
}

/** A `tessera.quality` event's detail as a catalog quality run. */
export function qualityRunOf(run: TrustRun & { runId: string; version: string; failing: QualityRun['failing'] }, slaCheckIds: readonly string[]): QualityRun {
  return { runId: run.runId, version: run.version, at: run.at, summary: run.summary, failing: run.failing, slaMet: slaMet(run, slaCheckIds) };
}
