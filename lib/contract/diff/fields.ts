/**
 * The one rule most fields follow: a field whose (normalised) text differs is reported under the
 * field's rule, with its before and after, located at the field. Each area lists its fields in a
 * table of `FieldRule`s; the order of a table is the order of the report.
 */
import type { DiffContext } from './context.js';
import type { Origin } from '../model.js';
import type { DiffRule } from './rules.js';
import { relationshipsText, short } from './text.js';

export interface FieldRule<T> {
  readonly rule: DiffRule;
  /** The YAML key the change is located at. */
  readonly field: string;
  /** The change's subject, when it is not the element's (e.g. `description.purpose` of the contract). */
  readonly subject?: string;
  /** The text compared; equal texts are no change. */
  readonly compare: (x: T) => string;
  /** The text shown as before/after; default: the compared text, or "(none)". */
  readonly show?: (x: T) => string;
  /** The message, given the label of the element (e.g. `table 'orders'`); default: "the <field> of <label> changed". */
  readonly message?: (label: string, b: T, a: T) => string;
}

export interface FieldTarget<T> {
  readonly before: T;
  readonly after: T;
  readonly subject: string;
  readonly label: string;
  readonly origin: (field: string) => Origin | undefined;
}

export function compareFields<T>(ctx: DiffContext, rules: readonly FieldRule<T>[], target: FieldTarget<T>): void {
  const { before: b, after: a } = target;
  for (const row of rules) {
    if (row.compare(b) === row.compare(a)) continue;
    const show = row.show ?? ((x: T): string => row.compare(x) || '(none)');
    const message = row.message ? row.message(target.label, b, a) : `the ${row.field} of ${target.label} changed`;
    ctx.emit({ rule: row.rule, subject: row.subject ?? target.subject, message, before: show(b), after: show(a), origin: target.origin(row.field) });
  }
}

/** An optional text field compared as written, shown as written or "(none)". */
export function textField<T>(rule: DiffRule, field: string, get: (x: T) => string | undefined, message?: FieldRule<T>['message']): FieldRule<T> {
  return { rule, field, compare: (x) => get(x) ?? '', show: (x) => get(x) ?? '(none)', ...(message ? { message } : {}) };
}

/** A description: compared as written, shown shortened to one line. */
export function descriptionField<T>(get: (x: T) => string | undefined): FieldRule<T> {
  return { rule: 'description-changed', field: 'description', compare: (x) => get(x) ?? '', show: (x) => short(get(x)) };
}

/** Tags: compared as a set. */
export function tagsField<T extends { readonly tags: readonly string[] }>(): FieldRule<T> {
  return { rule: 'tags-changed', field: 'tags', compare: (x) => [...x.tags].sort().join(', '), message: () => 'tags changed' };
}

/** Relationships: compared as a set of `type: from -> to`. */
export function relationshipsField<T extends { readonly relationships: Parameters<typeof relationshipsText>[0] }>(): FieldRule<T> {
  return { rule: 'relationships-changed', field: 'relationships', compare: (x) => relationshipsText(x.relationships) };
}
