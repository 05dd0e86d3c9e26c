/**
 * `tessera lineage <target>`: the lineage of a product, table, column, view or view column, offline
 * from the mesh config, its contracts and its views' SQL.
 */
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { meshViewLineage } from '../../lib/lineage/columns.js';
import { lineageGraph, nodeId, walk, type LineageGraph } from '../../lib/lineage/graph.js';
import { loadMeshFile, type Mesh } from '../../lib/mesh/load.js';
import type { CliIo, ExitCode } from './io.js';
import { UsageError } from './io.js';
import { renderDot, renderJson, renderText, type LineageReport } from './lineage-render.js';
import { resolveTarget } from './lineage-target.js';
import { meshFileOf } from './paths.js';
import { DEFAULT_LINEAGE_DEPTH } from './commands/lineage.js';

export interface LineageOptions {
  readonly mesh?: string;
  readonly up?: boolean;
  readonly down?: boolean;
  readonly depth?: number;
  readonly json?: boolean;
  readonly dot?: boolean;
}

export async function lineageCommand(target: string, options: LineageOptions, io: CliIo): Promise<ExitCode> {
  if (options.json && options.dot) throw new UsageError('choose one of --json and --dot');
  const meshFile = await meshFileOf(options.mesh ?? 'mesh', io.cwd);
  const loaded = await loadMeshFile(meshFile);
  if (!loaded.mesh) {
    io.err(`${loaded.diagnostics.map(formatDiagnostic).join('\n')}\n${meshFile} is invalid\n`);
    return 1;
  }
  const graph = meshLineageGraph(loaded.mesh);
  const start = resolveTarget(loaded.mesh, graph, target);
  const report = lineageReport(graph, start, { up: options.up ?? false, down: options.down ?? false }, options.depth ?? DEFAULT_LINEAGE_DEPTH);
  io.out(options.json ? renderJson(report, graph) : options.dot ? renderDot(report, graph) : renderText(report, graph));
  return 0;
}

export function meshLineageGraph(mesh: Mesh): LineageGraph {
  return lineageGraph(mesh, meshViewLineage(mesh));
}

/** Both directions unless one is asked for. */
export function lineageReport(graph: LineageGraph, start: string, only: { up: boolean; down: boolean }, depth: number): LineageReport {
  const both = only.up === only.down;
  const target = graph.nodes.get(start)!;
  const up = both || only.up;
  const dataset = up && target.kind === 'view-column' ? graph.edges.filter((e) => e.level === 'column' && e.to === nodeId.view(target.database, target.view)) : undefined;
  return {
    target,
    depth,
    ...(up ? { upstream: walk(graph, start, 'up', depth) } : {}),
    ...(dataset ? { dataset } : {}),
    ...(both || only.down ? { downstream: walk(graph, start, 'down', depth) } : {}),
  };
}
