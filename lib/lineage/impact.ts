/**
 * Impact analysis: for every column a contract change removes or changes (breaking or warning), who
 * reads it today: the mesh views and view columns derived from it, the products that consume the
 * contract through an input port, and the consumer grants that let someone read it. Judged on the
 * mesh as it is before the change, so a removed column still has its readers.
 */
import { buildAccessModel } from '../access/build.js';
import { evaluateAccess } from '../access/evaluate.js';
import type { Change, ContractDiff } from '../contract/diff.js';
import type { Column, DataContract, Table } from '../contract/model.js';
import { databaseNameFor } from '../glue/names.js';
import type { Mesh } from '../mesh/load.js';
import { lineageGraph, nodeId, type LineageGraph } from './graph.js';
import type { ColumnRef, ColumnTransformation, ViewColumnLineage } from './model.js';

export interface ColumnImpact {
  readonly rule: Change['rule'];
  readonly severity: Change['severity'];
  readonly subject: string;
  /** The column as it is read before the change (physical names). */
  readonly column: ColumnRef;
  readonly viewColumns: readonly { readonly view: string; readonly column: string; readonly transformations: readonly ColumnTransformation[] }[];
  /** Views whose rows the column shapes (join keys, filters, grouping): INDIRECT, dataset level. */
  readonly views: readonly { readonly view: string; readonly transformations: readonly ColumnTransformation[] }[];
  readonly products: readonly { readonly product: string; readonly port: string; readonly version: string }[];
  /** Consumers that can read the column, with the ids (`<consumer>#<n>`) of the grants that allow it. */
  readonly grants: readonly { readonly consumer: string; readonly grants: readonly string[] }[];
}

/** The mesh as it is before the change: its config, products and views' lineage. */
export interface ImpactMesh {
  readonly config: Mesh['config'];
  readonly products: Mesh['products'];
  readonly views: readonly ViewColumnLineage[];
}

/** Rules that do not change what a reader of the physical column sees. */
const HARMLESS = new Set<string>(['column-logical-name-changed']);
const TABLE_RULES = new Set<string>(['table-removed', 'table-physical-name-changed']);

/** The impact of every breaking or warning change of `diff` on a column of `before`. */
export function changeImpact(mesh: ImpactMesh, before: DataContract, diff: ContractDiff): ColumnImpact[] {
  const product = mesh.products.find((p) => p.contract.id === before.id);
  if (!product) return [];
  const graph = lineageGraph(mesh, mesh.views);
  const matrix = evaluateAccess(buildAccessModel({ config: mesh.config, products: mesh.products }));
  const database = databaseNameFor(product.domain);
  const consumers = mesh.products.flatMap((p) => (p.inputPorts ?? []).filter((port) => port.contractId === before.id).map((port) => ({ product: p.contract.id, port: port.name, version: port.version })));
  const impacts: ColumnImpact[] = [];
  for (const change of diff.changes) {
    if (change.severity === 'compatible' || HARMLESS.has(change.rule)) continue;
    for (const { table, column } of changedColumns(before, change)) {
      const ref = { database, table: table.physicalName, column: column.physicalName };
      const grants = matrix.principals.flatMap((p) => {
        const access = p.tables.find((t) => t.glueDatabase === database && t.glueTable === table.physicalName)?.columns.find((c) => c.glueColumn === column.physicalName);
        return access?.readable ? [{ consumer: p.principal.name, grants: access.allowedBy }] : [];
      });
      impacts.push({ rule: change.rule, severity: change.severity, subject: change.subject, column: ref, ...readers(graph, ref), products: consumers, grants });
    }
  }
  return impacts;
}

function readers(graph: LineageGraph, ref: ColumnRef): Pick<ColumnImpact, 'viewColumns' | 'views'> {
  const from = nodeId.column(ref.database, ref.table, ref.column);
  const viewColumns: ColumnImpact['viewColumns'][number][] = [];
  const views: ColumnImpact['views'][number][] = [];
  for (const edge of graph.edges) {
    if (edge.from !== from || edge.level !== 'column') continue;
    const node = graph.nodes.get(edge.to)!;
    const transformations = edge.transformations ?? [];
    if (node.kind === 'view-column') viewColumns.push({ view: `${node.database}.${node.view}`, column: node.column, transformations });
    if (node.kind === 'view') views.push({ view: `${node.database}.${node.view}`, transformations });
  }
  return { viewColumns, views };
}

/**
 * The columns of `before` a change is about. Subjects are `<table>.<column>[.<field>...]` in logical
 * names of the new contract (`<table>` alone for table changes; SLA and quality subjects name no
 * column); a renamed column's old physical name is the change's `before`.
 */
function changedColumns(before: DataContract, change: Change): { table: Table; column: Column }[] {
  if (change.subject.includes('/') || change.subject.startsWith('sla.')) return [];
  const [tableName = '', columnName] = change.subject.split('.');
  const table = before.tables.find((t) => t.name === tableName || t.physicalName === tableName);
  if (!table) return [];
  if (columnName === undefined) return TABLE_RULES.has(change.rule) ? allColumns(table).map((column) => ({ table, column })) : [];
  const bare = columnName.replace(/(\[\]|\{\})+$/, '');
  const renamedFrom = change.rule === 'column-renamed' || change.rule === 'column-physical-name-changed' ? change.before : undefined;
  const column = allColumns(table).find((c) => c.physicalName === renamedFrom) ?? allColumns(table).find((c) => c.name === bare || c.physicalName === bare);
  return column ? [{ table, column }] : [];
}

function allColumns(table: Table): Column[] {
  return [...table.columns, ...table.partitionKeys.filter((k) => !table.columns.includes(k))];
}
