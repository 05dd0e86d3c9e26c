/**
 * Grants as Lake Formation's API writes them (GrantPermissions, BatchRevokePermissions,
 * ListPermissions: PascalCase `Resource` objects), as plain data: the adapter sends these, and
 * `drift` compares what ListPermissions returns with them. One canonical key per (principal,
 * resource, permission) makes grants comparable whatever the key order of the JSON.
 */
import type { PermissionResource } from '../plan.js';
import type { AccessRequest, GrantEntry, GrantResource } from './model.js';

export type LfResource = Record<string, unknown>;

export function lfResource(resource: GrantResource | PermissionResource): LfResource {
  switch (resource.type) {
    case 'catalog':
      return { Catalog: {} };
    case 'data-location':
      return { DataLocation: { CatalogId: resource.catalog, ResourceArn: resource.location } };
    case 'database':
      return { Database: { CatalogId: resource.catalog, Name: resource.database } };
    case 'table':
      return { Table: { CatalogId: resource.catalog, DatabaseName: resource.database, Name: resource.table } };
    case 'columns':
      return { TableWithColumns: { CatalogId: resource.catalog, DatabaseName: resource.database, Name: resource.table, ColumnNames: [...resource.columns] } };
    case 'lf-tag':
      return { LFTag: { CatalogId: resource.catalog, TagKey: resource.key, TagValues: [...resource.values] } };
    case 'lf-tag-policy':
      return { LFTagPolicy: { CatalogId: resource.catalog, ResourceType: resource.resourceType, Expression: resource.expression.map((c) => ({ TagKey: c.key, TagValues: [...c.values] })) } };
    case 'data-cells-filter':
      return { DataCellsFilter: { TableCatalogId: resource.catalog, DatabaseName: resource.database, TableName: resource.table, Name: resource.name } };
  }
}

/** One permission of one principal on one resource, written canonically (sorted keys and lists). */
export function grantKey(principal: string, resource: unknown, permission: string): string {
  return JSON.stringify([principal, canonical(resource), permission]);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function entryKeys(principal: string, entry: { readonly resource: GrantResource | PermissionResource; readonly permissions: readonly string[] }): string[] {
  return entry.permissions.map((p) => grantKey(principal, lfResource(entry.resource), p));
}

/**
 * What revoking `request` may remove: its entries, less every permission another holder still
 * needs (the mesh config's grants, or another active request of the same principal). Lake
 * Formation keeps one copy of a permission however often it was granted, so revoking a
 * permission that someone else also relies on would take theirs away too.
 */
export function revocableEntries(request: AccessRequest, stillNeeded: ReadonlySet<string>): GrantEntry[] {
  const principal = request.grant.principal;
  return request.grant.entries.flatMap((entry) => {
    const permissions = entry.permissions.filter((p) => !stillNeeded.has(grantKey(principal, lfResource(entry.resource), p)));
    return permissions.length === 0 ? [] : [{ resource: entry.resource, permissions }];
  });
}
