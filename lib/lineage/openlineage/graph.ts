/**
 * The mesh's lineage graph, from stored OpenLineage events: nodes are products (the datasets of
 * their tables), mesh views (the output of a VIEW job) and any other dataset; an edge runs from
 * each input of a run to each of its outputs. Walked up (what a node reads from), down (who reads
 * it) or both, to a depth. Pure: the catalog API and the CLI build it from what they read.
 */
import type { RunEvent } from './run-event.js';

export type Direction = 'up' | 'down' | 'both';

export interface LineageNode {
  /** `product:<id>`, `view:<database>.<view>` or `dataset:<name>`. */
  readonly id: string;
  readonly kind: 'product' | 'view' | 'dataset';
  /** Hops from the start: negative upstream, positive downstream, 0 for the start. */
  readonly distance: number;
}

export interface LineageEdge {
  readonly from: string;
  readonly to: string;
  /** The OpenLineage job that links them. */
  readonly job: string;
}

export interface LineageGraph {
  readonly edges: readonly LineageEdge[];
}

/** `AwsDataCatalog.<database>.<table>` → the product that owns it. */
export type DatasetOwners = ReadonlyMap<string, string>;

export function lineageGraph(events: readonly RunEvent[], owners: DatasetOwners): LineageGraph {
  const views = new Set(events.filter((e) => e.job.facets.jobType && (e.job.facets.jobType as { jobType?: string }).jobType === 'VIEW').flatMap((e) => e.outputs.map((o) => o.name)));
  const node = (name: string): string => {
    const product = owners.get(name);
    if (product) return `product:${product}`;
    if (views.has(name)) return `view:${name.split('.').slice(1).join('.')}`;
    return `dataset:${name}`;
  };
  const seen = new Set<string>();
  const edges: LineageEdge[] = [];
  for (const event of events) {
    for (const input of event.inputs) {
      for (const output of event.outputs) {
        const edge = { from: node(input.name), to: node(output.name), job: event.job.name };
        const key = `${edge.from}\n${edge.to}\n${edge.job}`;
        if (edge.from === edge.to || seen.has(key)) continue;
        seen.add(key);
        edges.push(edge);
      }
    }
  }
  return { edges };
}

const kindOf = (id: string): LineageNode['kind'] => id.slice(0, id.indexOf(':')) as LineageNode['kind'];

/** The nodes and edges within `depth` hops of `start`, breadth first. */
export function walk(graph: LineageGraph, start: string, direction: Direction, depth: number): { nodes: LineageNode[]; edges: LineageEdge[] } {
  const distances = new Map<string, number>([[start, 0]]);
  const edges = new Set<LineageEdge>();
  const sides: ('up' | 'down')[] = direction === 'both' ? ['up', 'down'] : [direction];
  for (const side of sides) {
    let frontier = [start];
    for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const at of frontier) {
        for (const edge of graph.edges.filter((e) => (side === 'up' ? e.to === at : e.from === at))) {
          edges.add(edge);
          const other = side === 'up' ? edge.from : edge.to;
          if (distances.has(other)) continue;
          distances.set(other, side === 'up' ? -hop : hop);
          next.push(other);
        }
      }
      frontier = next;
    }
  }
  const nodes = [...distances].map(([id, distance]) => ({ id, kind: kindOf(id), distance })).sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  return { nodes, edges: [...edges] };
}

/** A column a view column (or the whole view, for INDIRECT) is derived from, or feeds. */
export interface ColumnLink {
  /** The dataset name (`AwsDataCatalog.<database>.<table or view>`). */
  readonly dataset: string;
  /** The column; absent when a whole view depends on the column (INDIRECT, dataset level). */
  readonly column?: string;
  readonly transformations: readonly { readonly type: string; readonly subtype?: string }[];
  readonly distance: number;
}

interface ColumnLineageFacet {
  readonly fields: Readonly<Record<string, { readonly inputFields: readonly { name: string; field: string; transformations?: ColumnLink['transformations'] }[] }>>;
  readonly dataset?: readonly { name: string; field: string; transformations?: ColumnLink['transformations'] }[];
}

/** Everything downstream of `dataset`.`column` through the views' column lineage, to `depth` hops. */
export function columnsDownstream(events: readonly RunEvent[], dataset: string, column: string, depth: number): ColumnLink[] {
  const facets = events.flatMap((e) => e.outputs.flatMap((o) => (o.facets?.columnLineage ? [{ output: o.name, facet: o.facets.columnLineage as unknown as ColumnLineageFacet }] : [])));
  const out: ColumnLink[] = [];
  const seen = new Set<string>([`${dataset}\n${column}`]);
  let frontier = [{ dataset, column }];
  for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
    const next: { dataset: string; column: string }[] = [];
    for (const at of frontier) {
      for (const { output, facet } of facets) {
        for (const [field, { inputFields }] of Object.entries(facet.fields)) {
          const used = inputFields.find((i) => i.name === at.dataset && i.field === at.column);
          if (!used || seen.has(`${output}\n${field}`)) continue;
          seen.add(`${output}\n${field}`);
          out.push({ dataset: output, column: field, transformations: used.transformations ?? [], distance: hop });
          next.push({ dataset: output, column: field });
        }
        const shaping = (facet.dataset ?? []).find((i) => i.name === at.dataset && i.field === at.column);
        if (shaping && !seen.has(`${output}\n*`)) {
          seen.add(`${output}\n*`);
          out.push({ dataset: output, transformations: shaping.transformations ?? [], distance: hop });
        }
      }
    }
    frontier = next;
  }
  return out;
}
