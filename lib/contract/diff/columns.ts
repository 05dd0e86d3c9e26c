/**
 * Column changes, for a table's columns and a struct's fields alike: which old column became which
 * new one (by name, by physicalName, or as a rename at the same position with the same type), and
 * for each pair its type, constraints, classification, validation and documentation.
 */
import { compareClassification } from './classification.js';
import { compareGlueTypes, typeText } from './column-types.js';
import type { DiffContext } from './context.js';
import { compareFields, descriptionField, relationshipsField, tagsField, textField, type FieldRule } from './fields.js';
import { matchBy } from './match.js';
import { compareNames } from './names.js';
import type { Column, Origin } from '../model.js';
import { compareValidation } from './validation.js';

export interface ColumnLists {
  readonly before: readonly Column[];
  readonly after: readonly Column[];
  /** The table (or struct column) the columns belong to, for subjects. */
  readonly parent: string;
  /** Struct fields rather than table columns. */
  readonly nested: boolean;
  readonly listOrigin?: Origin;
}

/** Compares two column lists and returns which old column became which new one. */
export function compareColumns(ctx: DiffContext, lists: ColumnLists): Map<Column, Column> {
  const { before, after, parent } = lists;
  const { pairs, removed, added } = matchBy(before, after, [(c) => c.name.toLowerCase(), (c) => c.physicalName.toLowerCase()]);
  const map = new Map<Column, Column>();
  for (const [b, a] of pairs) map.set(b, a);
  const renamed = findRenames(ctx, lists, removed, added, map);
  reportRemovedAndAdded(ctx, lists, removed.filter((c) => !renamed.has(c)), added.filter((c) => !renamed.has(c)));
  for (const [b, a, key] of pairs) {
    const subject = `${parent}.${a.name}`;
    compareNames(ctx, b, a, key, subject, {
      renamed: {
        rule: 'column-logical-name-changed',
        message: `column '${parent}.${b.name}' is now called '${a.name}'; its catalog column '${a.physicalName}' stays, so queries keep working, but references to the logical name must change`,
      },
      moved: { rule: 'column-physical-name-changed', message: `column '${subject}' has another catalog name: queries that name '${b.physicalName}' fail` },
    });
  }
  for (const [b, a] of map) compareColumn(ctx, b, a, `${parent}.${a.name}`);
  // Only reported when nothing else moved: additions and removals shift positions anyway.
  if (!lists.nested && removed.length === 0 && added.length === 0) {
    const order = (columns: readonly Column[], mapped: boolean): string => columns.map((c) => (mapped ? map.get(c)?.name : c.name)).join(', ');
    if (order(before, true) !== order(after, false)) {
      ctx.emit({ rule: 'columns-reordered', subject: parent, message: `the columns of '${parent}' changed order (Parquet is read by name; only positional readers notice)`, before: order(before, false), after: order(after, false), origin: lists.listOrigin });
    }
  }
  return map;
}

/** A column removed and another added at the same position with the same type: a rename. */
function findRenames(ctx: DiffContext, lists: ColumnLists, removed: readonly Column[], added: readonly Column[], map: Map<Column, Column>): Set<Column> {
  const renamed = new Set<Column>();
  for (const b of removed) {
    const position = lists.before.indexOf(b);
    const a = added.find((candidate) => !renamed.has(candidate) && lists.after.indexOf(candidate) === position && typeText(candidate) === typeText(b));
    if (!a) continue;
    renamed.add(a);
    renamed.add(b);
    map.set(b, a);
    ctx.emit({
      rule: 'column-renamed',
      subject: `${lists.parent}.${a.name}`,
      message: `column '${lists.parent}.${b.name}' was renamed to '${a.name}' (same type and position): queries that name '${b.physicalName}' fail`,
      before: b.physicalName,
      after: a.physicalName,
      origin: ctx.at(a, b, 'name'),
    });
  }
  return renamed;
}

function reportRemovedAndAdded(ctx: DiffContext, lists: ColumnLists, removed: readonly Column[], added: readonly Column[]): void {
  const { parent, nested } = lists;
  const what = nested ? 'field' : 'column';
  for (const b of removed) {
    ctx.emit({ rule: nested ? 'field-removed' : 'column-removed', subject: `${parent}.${b.name}`, message: `${what} '${parent}.${b.name}' was removed: queries and readers that use it fail`, before: typeText(b), origin: b.origin });
  }
  for (const a of added) {
    const subject = `${parent}.${a.name}`;
    if (a.required) {
      ctx.emit({
        rule: nested ? 'required-field-added' : 'required-column-added',
        subject,
        message: `required ${what} '${subject}' was added: existing data has no value for it and existing writers do not produce it; add it as optional first`,
        after: typeText(a),
        origin: a.origin,
      });
    } else {
      ctx.emit({ rule: nested ? 'field-added' : 'column-added', subject, message: `optional ${what} '${subject}' was added`, after: typeText(a), origin: a.origin });
    }
  }
}

const COLUMN_FIELDS: readonly FieldRule<Column>[] = [
  descriptionField((c) => c.description),
  textField('business-name-changed', 'businessName', (c) => c.businessName),
  tagsField(),
  {
    rule: 'critical-data-element-changed',
    field: 'criticalDataElement',
    compare: (c) => String(c.criticalDataElement),
    message: (label, _b, a) => `${label} is ${a.criticalDataElement ? 'now' : 'no longer'} a critical data element`,
  },
  relationshipsField(),
];

/** One column (or struct field, or array element) against its new version. */
export function compareColumn(ctx: DiffContext, b: Column, a: Column, subject: string): void {
  compareTypes(ctx, b, a, subject);
  compareConstraints(ctx, b, a, subject);
  compareClassification(ctx, b, a, subject);
  compareValidation(ctx, b, a, subject);
  compareFields(ctx, COLUMN_FIELDS, { before: b, after: a, subject, label: `'${subject}'`, origin: (field) => ctx.at(a, b, field) });
}

/** The logical type first; then nested fields, array elements, or the Glue types. */
function compareTypes(ctx: DiffContext, b: Column, a: Column, subject: string): void {
  if (b.logicalType !== a.logicalType) {
    ctx.emit({
      rule: 'logical-type-changed',
      subject,
      message: `the logical type of '${subject}' changed: consumers read values of another kind`,
      before: `${b.logicalType ?? '(none)'} (${typeText(b)})`,
      after: `${a.logicalType ?? '(none)'} (${typeText(a)})`,
      origin: ctx.at(a, b, 'logicalType'),
    });
  } else if (b.fields.length > 0 && a.fields.length > 0) {
    compareColumns(ctx, { before: b.fields, after: a.fields, parent: subject, nested: true });
  } else if (b.items && a.items) {
    compareColumn(ctx, b.items, a.items, `${subject}[]`);
  } else if (b.glueType && a.glueType) {
    compareGlueTypes(ctx, b.glueType, a.glueType, subject, ctx.at(a, b, 'physicalType'));
  } else if (typeText(b).toLowerCase().replace(/\s+/g, '') !== typeText(a).toLowerCase().replace(/\s+/g, '')) {
    ctx.emit({ rule: 'type-changed', subject, message: `the type of '${subject}' changed`, before: typeText(b), after: typeText(a), origin: ctx.at(a, b, 'physicalType') });
  }
}

function compareConstraints(ctx: DiffContext, b: Column, a: Column, subject: string): void {
  if (!b.required && a.required) {
    ctx.emit({ rule: 'became-required', subject, message: `'${subject}' became required: existing rows may hold nulls, and writers that leave it empty now break the contract`, before: 'optional', after: 'required', origin: ctx.at(a, b, 'required') });
  } else if (b.required && !a.required) {
    ctx.emit({ rule: 'became-optional', subject, message: `'${subject}' may now be null: consumers that rely on a value must handle nulls`, before: 'required', after: 'optional', origin: ctx.at(a, b, 'required') });
  }
  if (!b.unique && a.unique) {
    ctx.emit({ rule: 'became-unique', subject, message: `'${subject}' became unique: existing data may hold duplicates`, before: 'not unique', after: 'unique', origin: ctx.at(a, b, 'unique') });
  } else if (b.unique && !a.unique) {
    ctx.emit({ rule: 'unique-removed', subject, message: `'${subject}' is no longer unique: consumers that join or count on it may see duplicates`, before: 'unique', after: 'not unique', origin: ctx.at(a, b, 'unique') });
  }
}
