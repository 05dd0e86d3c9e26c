/**
 * Table changes: tables removed, added or moved to another catalog table; their descriptive fields;
 * and their primary and partition keys, compared by column identity after the columns are paired.
 */
import type { DiffContext } from './context.js';
import { compareColumns } from './columns.js';
import { compareFields, descriptionField, relationshipsField, tagsField, textField, type FieldRule } from './fields.js';
import { matchBy } from './match.js';
import { compareNames } from './names.js';
import type { Column, Table } from '../model.js';

export function compareTables(ctx: DiffContext): void {
  const { pairs, removed, added } = matchBy(ctx.before.tables, ctx.after.tables, [(t) => t.name.toLowerCase(), (t) => t.physicalName.toLowerCase()]);
  for (const table of removed) {
    ctx.emit({ rule: 'table-removed', subject: table.name, message: `table '${table.name}' was removed: every query on it fails`, before: table.physicalName, origin: table.origin });
  }
  for (const table of added) {
    ctx.emit({ rule: 'table-added', subject: table.name, message: `table '${table.name}' was added`, after: table.physicalName, origin: table.origin });
  }
  for (const [b, a, key] of pairs) compareTable(ctx, b, a, key);
}

const TABLE_FIELDS: readonly FieldRule<Table>[] = [
  {
    rule: 'table-physical-type-changed',
    field: 'physicalType',
    compare: (t) => (t.physicalType ?? '').toLowerCase(),
    show: (t) => t.physicalType ?? '(none)',
    message: (label) => `${label} changed its physicalType`,
  },
  textField('granularity-changed', 'dataGranularityDescription', (t) => t.dataGranularityDescription, (_label, _b, a) => `what one row of '${a.name}' means changed: counts and aggregations of consumers may change`),
  descriptionField((t) => t.description),
  textField('business-name-changed', 'businessName', (t) => t.businessName),
  tagsField(),
  relationshipsField(),
];

function compareTable(ctx: DiffContext, b: Table, a: Table, matchedBy: number): void {
  const subject = a.name;
  compareNames(ctx, b, a, matchedBy, subject, {
    renamed: {
      rule: 'table-renamed',
      message: `table '${b.name}' is now called '${a.name}'; its catalog table '${a.physicalName}' stays, so queries keep working, but references to the logical name must change`,
    },
    moved: {
      rule: 'table-physical-name-changed',
      message: `table '${a.name}' moves to another catalog table: every query on '${b.physicalName}' fails and its data is not carried over`,
    },
  });
  compareFields(ctx, TABLE_FIELDS, { before: b, after: a, subject, label: `table '${a.name}'`, origin: (field) => ctx.at(a, b, field) });
  const columnMap = compareColumns(ctx, { before: b.columns, after: a.columns, parent: a.name, nested: false, listOrigin: ctx.at(a, b, 'properties') });
  compareKeys(ctx, b, a, columnMap);
}

/** Keys compare by column identity, so a renamed key column is reported once (as the rename). */
function compareKeys(ctx: DiffContext, b: Table, a: Table, columnMap: ReadonlyMap<Column, Column>): void {
  const identity = (columns: readonly Column[], mapped: boolean): string =>
    columns.map((c) => (mapped ? (columnMap.get(c)?.name ?? `-${c.name}`) : c.name).toLowerCase()).join(',');
  const names = (columns: readonly Column[]): string => columns.map((c) => c.name).join(', ') || '(none)';
  const keys = [
    { rule: 'primary-key-changed', of: (t: Table) => t.primaryKey, message: `the primary key of '${a.name}' changed: joins and deduplication of consumers rely on it` },
    {
      rule: 'partition-keys-changed',
      of: (t: Table) => t.partitionKeys,
      message: `the partition keys of '${a.name}' changed: the folder layout of existing data no longer matches the table, and consumers' partition filters stop pruning`,
    },
  ] as const;
  for (const key of keys) {
    if (identity(key.of(b), true) === identity(key.of(a), false)) continue;
    ctx.emit({ rule: key.rule, subject: a.name, message: key.message, before: names(key.of(b)), after: names(key.of(a)), origin: ctx.at(a, b, 'properties') });
  }
}
