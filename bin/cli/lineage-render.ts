/**
 * How `tessera lineage` prints a walk: a tree of text, JSON (the shape docs/lineage.md documents),
 * or a Graphviz digraph of the edges walked.
 */
import type { ColumnTransformation } from '../../lib/lineage/model.js';
import type { LineageEdge, LineageGraph, LineageNode, LineageTree } from '../../lib/lineage/graph.js';

export interface LineageReport {
  readonly target: LineageNode;
  readonly depth: number;
  readonly upstream?: LineageTree;
  readonly downstream?: LineageTree;
  /** For a view column walked up: the inputs that shape every row of its view (INDIRECT). */
  readonly dataset?: readonly LineageEdge[];
}

/** The node as a user addresses it. */
export function nodeName(node: LineageNode): string {
  switch (node.kind) {
    case 'product':
      return node.contractId;
    case 'table':
      return `${node.database}.${node.table}`;
    case 'column':
      return `${node.database}.${node.table}.${node.column}`;
    case 'view':
      return `${node.database}.${node.view}`;
    case 'view-column':
      return `${node.database}.${node.view}.${node.column}`;
  }
}

function nodeLabel(node: LineageNode): string {
  switch (node.kind) {
    case 'product':
      return `${node.contractId} ${node.version} (product, domain ${node.domain})`;
    case 'table':
    case 'column':
      return `${nodeName(node)} (${node.kind} of ${node.product})`;
    default:
      return `${nodeName(node)} (${node.kind === 'view' ? 'view' : 'view column'})`;
  }
}

export function transformationsText(ts: readonly ColumnTransformation[]): string {
  return ts.map((t) => `${t.type} ${t.subtype}`).join(', ');
}

function edgeText(edge: LineageEdge | undefined): string {
  if (!edge) return '';
  if (edge.transformations) return ` [${transformationsText(edge.transformations)}]`;
  if (edge.port) return ` [input port ${edge.port.name}, version ${edge.port.version}]`;
  return '';
}

function treeLines(tree: LineageTree, prefix: string): string[] {
  const lines: string[] = [];
  tree.children.forEach((child, i) => {
    const last = i === tree.children.length - 1;
    lines.push(`${prefix}${last ? '└── ' : '├── '}${nodeLabel(child.node)}${edgeText(child.edge)}${child.repeated ? ' (see above)' : ''}`);
    lines.push(...treeLines(child, `${prefix}${last ? '    ' : '│   '}`));
  });
  return lines;
}

export function renderText(report: LineageReport, graph: LineageGraph): string {
  const lines = [nodeLabel(report.target)];
  const section = (title: string, tree: LineageTree | undefined): void => {
    if (!tree) return;
    lines.push(`${title}:`, ...(tree.children.length > 0 ? treeLines(tree, '  ') : ['  (nothing)']));
  };
  section('upstream (what it is derived from)', report.upstream);
  if (report.dataset && report.dataset.length > 0) {
    lines.push('every row of its view is shaped by (dataset level):');
    for (const e of report.dataset) lines.push(`  ${nodeName(graph.nodes.get(e.from)!)}${edgeText(e)}`);
  }
  section('downstream (what reads it)', report.downstream);
  return `${lines.join('\n')}\n`;
}

function treeJson(tree: LineageTree): unknown {
  const { node, edge } = tree;
  return {
    name: nodeName(node),
    ...node,
    ...(edge?.transformations ? { transformations: edge.transformations } : {}),
    ...(edge?.port ? { port: edge.port } : {}),
    ...(tree.repeated ? { repeated: true } : {}),
    children: tree.children.map(treeJson),
  };
}

export function renderJson(report: LineageReport, graph: LineageGraph): string {
  const json = {
    target: { name: nodeName(report.target), ...report.target },
    depth: report.depth,
    ...(report.upstream ? { upstream: report.upstream.children.map(treeJson) } : {}),
    ...(report.dataset ? { dataset: report.dataset.map((e) => ({ name: nodeName(graph.nodes.get(e.from)!), transformations: e.transformations ?? [] })) } : {}),
    ...(report.downstream ? { downstream: report.downstream.children.map(treeJson) } : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const SHAPES: Readonly<Record<LineageNode['kind'], string>> = { product: 'box3d', table: 'box', column: 'ellipse', view: 'component', 'view-column': 'note' };

export function renderDot(report: LineageReport, graph: LineageGraph): string {
  const nodes = new Map<string, LineageNode>([[report.target.id, report.target]]);
  const edges = new Map<string, LineageEdge>();
  const collect = (tree: LineageTree | undefined): void => {
    for (const child of tree?.children ?? []) {
      nodes.set(child.node.id, child.node);
      if (child.edge) edges.set(`${child.edge.from}->${child.edge.to}`, child.edge);
      collect(child);
    }
  };
  collect(report.upstream);
  for (const e of report.dataset ?? []) {
    nodes.set(e.from, graph.nodes.get(e.from)!);
    nodes.set(e.to, graph.nodes.get(e.to)!);
    edges.set(`${e.from}->${e.to}`, e);
  }
  collect(report.downstream);
  const q = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  const lines = ['digraph lineage {', '  rankdir=LR;'];
  for (const n of nodes.values()) lines.push(`  ${q(n.id)} [label=${q(nodeLabel(n))}, shape=${SHAPES[n.kind]}${n.id === report.target.id ? ', style=bold' : ''}];`);
  for (const e of edges.values()) {
    const label = edgeText(e).replace(/^ \[|\]$/g, '');
    lines.push(`  ${q(e.from)} -> ${q(e.to)}${label ? ` [label=${q(label)}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
