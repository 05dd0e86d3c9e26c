/**
 * `tessera lineage <product>[.<table>.<column>] --catalog`: the product's lineage as the catalog
 * holds it (`GET /products/{id}/lineage`, built from the mesh's OpenLineage events), from the
 * deployed API or, with `--local`, the local catalog. Offline lineage from the mesh files is
 * `lineage.ts`; this one shows what was deployed.
 */
import { DEFAULT_LINEAGE_DEPTH, MAX_LINEAGE_DEPTH, type Lineage } from '../../lib/catalog/api-schema.js';
import { apiError, queryString, withCatalog, type CatalogOptions } from './catalog.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';

export interface CatalogLineageOptions extends CatalogOptions {
  readonly up?: boolean;
  readonly down?: boolean;
  readonly depth?: number;
}

export async function catalogLineageCommand(target: string, options: CatalogLineageOptions, io: CliIo): Promise<ExitCode> {
  const [product, table, column, ...rest] = target.split('.');
  if (!product || rest.length > 0 || (table !== undefined && column === undefined)) {
    throw new UsageError(`with the catalog, a target is <product> or <product>.<table>.<column> (physical names), not '${target}'`);
  }
  if (options.depth !== undefined && options.depth > MAX_LINEAGE_DEPTH) throw new UsageError(`--depth: the catalog follows at most ${MAX_LINEAGE_DEPTH} hops`);
  const direction = options.up && !options.down ? 'up' : options.down && !options.up ? 'down' : 'both';
  const params: [string, string][] = [['direction', direction], ['depth', String(options.depth ?? DEFAULT_LINEAGE_DEPTH)]];
  if (column !== undefined) params.push(['column', `${table}.${column}`]);
  return withCatalog(options, io, async (get) => {
    const { status, body } = await get(`/products/${encodeURIComponent(product)}/lineage${queryString(params)}`);
    if (status !== 200) return apiError(status, body, io);
    io.out(options.json ? `${JSON.stringify(body, null, 2)}\n` : renderCatalogLineage(body as Lineage));
    return 0;
  });
}

/** Nodes by distance (upstream first), the jobs linking them, and a column's downstream view columns. */
export function renderCatalogLineage(lineage: Lineage): string {
  const lines = [`${lineage.product}: lineage in the catalog (${lineage.direction}, depth ${lineage.depth})`];
  const others = lineage.nodes.filter((n) => n.distance !== 0).sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  const side = (label: string, nodes: typeof others): void => {
    if (nodes.length === 0) return;
    lines.push(`${label}:`);
    for (const n of nodes) {
      // The job that reaches the node from the product's side: into it downstream, out of it upstream.
      const via = lineage.edges.filter((e) => (n.distance > 0 ? e.to : e.from) === n.id).map((e) => e.job);
      lines.push(`  ${Math.abs(n.distance)}  ${n.id}${via.length > 0 ? `  (job ${[...new Set(via)].join(', ')})` : ''}`);
    }
  };
  side('upstream', others.filter((n) => n.distance < 0));
  side('downstream', others.filter((n) => n.distance > 0));
  if (others.length === 0) lines.push('  nothing up- or downstream in the catalog');
  if (lineage.column) {
    lines.push(`column ${lineage.column.table}.${lineage.column.column}, downstream:`);
    if (lineage.column.downstream.length === 0) lines.push('  (nothing)');
    for (const d of lineage.column.downstream) {
      const kinds = d.transformations.map((t) => `${t.type}${t.subtype ? ` ${t.subtype}` : ''}`).join(', ');
      lines.push(`  ${d.dataset}${d.column ? `.${d.column}` : ' (every row)'} [${kinds}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}
