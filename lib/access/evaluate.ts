/**
 * Effective access, evaluated the way Lake Formation evaluates tag-based grants: a column is
 * readable by a principal when one of the principal's grants has an expression matching the
 * column's effective tags (its own classification, else its table's; the domain from its database).
 * A table is listed and describable when at least one of its columns is readable. Every answer says
 * which grants allow it, or why nothing does.
 */
import {
  CLASSIFICATION_TAG,
  DOMAIN_TAG,
  matches,
  mismatches,
  type AccessModel,
  type AccessPrincipal,
  type ColumnResource,
  type DatabaseResource,
  type ResourceTags,
  type TableResource,
  type TagExpression,
  type TagGrant,
} from './model.js';

export interface ColumnAccess {
  readonly id: string;
  readonly name: string;
  readonly glueColumn: string;
  /** The classification Lake Formation sees: the column's own, else the table's. */
  readonly classification?: string;
  /** True when the column has no classification of its own and inherits the table's. */
  readonly inherited: boolean;
  readonly readable: boolean;
  /** Grant ids whose expression matches the column (empty when not readable). */
  readonly allowedBy: readonly string[];
  /** Why no grant matches (only when not readable). */
  readonly reason?: string;
}

export interface TableAccess {
  readonly id: string;
  readonly product: string;
  readonly domain: string;
  readonly table: string;
  readonly glueDatabase: string;
  readonly glueTable: string;
  /** The table's own tag: the most sensitive classification of its columns. */
  readonly classification?: string;
  /** Listed and describable: at least one column is readable. */
  readonly readable: boolean;
  readonly allowedBy: readonly string[];
  readonly readableColumns: number;
  readonly totalColumns: number;
  readonly columns: readonly ColumnAccess[];
}

export interface DatabaseAccess {
  readonly domain: string;
  readonly glueDatabase: string;
  readonly describable: boolean;
  readonly allowedBy: readonly string[];
  readonly reason?: string;
}

export interface PrincipalAccess {
  readonly principal: AccessPrincipal;
  /**
   * Every grant Lake Formation applies to this principal's role: its own, and those of any other
   * consumer naming the same role (Lake Formation grants to the role, not to the consumer).
   */
  readonly grants: readonly TagGrant[];
  readonly databases: readonly DatabaseAccess[];
  readonly tables: readonly TableAccess[];
}

export interface AccessMatrix {
  readonly principals: readonly PrincipalAccess[];
}

export function evaluateAccess(model: AccessModel): AccessMatrix {
  return { principals: model.principals.map((p) => explainPrincipal(model, p)) };
}

export function explainPrincipal(model: AccessModel, principal: AccessPrincipal): PrincipalAccess {
  const grants = model.grants.filter((g) => g.principalArn === principal.arn);
  return {
    principal,
    grants,
    databases: model.databases.map((db) => databaseAccess(db, grants)),
    tables: model.tables.map((t) => tableAccess(model, t, grants)),
  };
}

/** Consumers whose name or role ARN is `nameOrArn`. */
export function findPrincipals(model: AccessModel, nameOrArn: string): AccessPrincipal[] {
  const byName = model.principals.filter((p) => p.name === nameOrArn);
  return byName.length > 0 ? byName : model.principals.filter((p) => p.arn === nameOrArn);
}

/** `all`, `N of M` or `none`: a table's cell in the matrix. */
export function accessSummary(table: Pick<TableAccess, 'readableColumns' | 'totalColumns'>): string {
  if (table.readableColumns === 0) return 'none';
  if (table.readableColumns === table.totalColumns) return 'all';
  return `${table.readableColumns} of ${table.totalColumns}`;
}

function databaseAccess(db: DatabaseResource, grants: readonly TagGrant[]): DatabaseAccess {
  const allowedBy = grants.filter((g) => g.permissions.DATABASE.includes('DESCRIBE') && matches(g.databaseExpression, db.tags)).map((g) => g.id);
  return {
    domain: db.domain,
    glueDatabase: db.glueDatabase,
    describable: allowedBy.length > 0,
    allowedBy,
    reason: allowedBy.length > 0 ? undefined : denial(grants.map((g) => ({ grant: g, expression: g.databaseExpression })), db.tags, []),
  };
}

function tableAccess(model: AccessModel, table: TableResource, grants: readonly TagGrant[]): TableAccess {
  const selecting = grants.filter((g) => g.permissions.TABLE.includes('SELECT'));
  const columns = table.columns.map((column) => columnAccess(model, column, selecting));
  const readableColumns = columns.filter((c) => c.readable).length;
  return {
    id: table.id,
    product: table.product,
    domain: table.domain,
    table: table.name,
    glueDatabase: table.glueDatabase,
    glueTable: table.glueTable,
    classification: table.tags[CLASSIFICATION_TAG],
    readable: readableColumns > 0,
    allowedBy: [...new Set(columns.flatMap((c) => c.allowedBy))],
    readableColumns,
    totalColumns: columns.length,
    columns,
  };
}

function columnAccess(model: AccessModel, column: ColumnResource, grants: readonly TagGrant[]): ColumnAccess {
  const allowedBy = grants.filter((g) => matches(g.tableExpression, column.effectiveTags)).map((g) => g.id);
  const classification = column.effectiveTags[CLASSIFICATION_TAG];
  const inherited = column.classification === undefined;
  return {
    id: column.id,
    name: column.name,
    glueColumn: column.glueColumn,
    classification,
    inherited,
    readable: allowedBy.length > 0,
    allowedBy,
    reason:
      allowedBy.length > 0
        ? undefined
        : denial(
            grants.map((g) => ({ grant: g, expression: g.tableExpression })),
            column.effectiveTags,
            model.classifications,
            inherited && classification !== undefined ? ' (inherited from the table)' : '',
          ),
  };
}

/**
 * Why no expression matches `tags`, in the terms a reader of the mesh config thinks in: the domain
 * is not granted at all, or it is but not at this classification, or (for hand-made expressions)
 * which condition of each grant fails.
 */
function denial(candidates: readonly { grant: TagGrant; expression: TagExpression }[], tags: ResourceTags, ontology: readonly string[], classNote = ''): string {
  if (candidates.length === 0) return 'the principal has no grants';
  const domain = tags[DOMAIN_TAG];
  const fails = candidates.map((c) => ({ ...c, failed: mismatches(c.expression, tags) }));
  const passDomain = fails.filter((f) => !f.failed.some((m) => m.key === DOMAIN_TAG));
  if (passDomain.length === 0) {
    const granted = orderedUnion(fails.map((f) => f.expression.find((c) => c.key === DOMAIN_TAG)?.values ?? []), []);
    return `domain '${domain ?? '(none)'}' is not in any grant; grants give ${granted.join(', ') || 'no domain'}`;
  }
  const classification = tags[CLASSIFICATION_TAG];
  const onlyClass = passDomain.every((f) => f.failed.every((m) => m.key === CLASSIFICATION_TAG));
  if (onlyClass) {
    if (classification === undefined) return 'it has no classification (neither its own nor its table\'s), and every grant requires one';
    const granted = orderedUnion(passDomain.map((f) => f.expression.find((c) => c.key === CLASSIFICATION_TAG)?.values ?? []), ontology);
    return `classification '${classification}'${classNote} is not granted for domain '${domain ?? '(none)'}'; grants give ${granted.join(', ')}`;
  }
  return fails
    .map((f) => `${f.grant.id}: ${f.failed.map((m) => `${m.key} is ${m.value === undefined ? 'not set' : `'${m.value}'`}, not one of ${m.allowed.join(', ')}`).join('; ')}`)
    .join(' | ');
}

/** The union of `lists`, in `order` first, then in first-seen order. */
function orderedUnion(lists: readonly (readonly string[])[], order: readonly string[]): string[] {
  const all = new Set(lists.flat());
  return [...order.filter((v) => all.has(v)), ...[...all].filter((v) => !order.includes(v))];
}
