/**
 * SLA changes: an SLA is matched by its property and element, or by its property alone when there
 * is one of that kind on each side; a pair is judged stronger or weaker by sla-order.ts.
 */
import type { DiffContext } from './context.js';
import { compareFields, descriptionField, type FieldRule } from './fields.js';
import { matchBy } from './match.js';
import type { SlaProperty } from '../model.js';
import { compareSla, slaText } from './sla-order.js';

const prop = (s: SlaProperty): string => s.property.toLowerCase();
const elements = (s: SlaProperty): string => s.elements.map((e) => `${e.table}.${e.column}`.toLowerCase()).join(',');

function countByProperty(list: readonly SlaProperty[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of list) m.set(prop(s), (m.get(prop(s)) ?? 0) + 1);
  return m;
}

export function compareSlas(ctx: DiffContext): void {
  const countBefore = countByProperty(ctx.before.sla);
  const countAfter = countByProperty(ctx.after.sla);
  // One SLA of a kind on each side: the same SLA even if its element moved.
  const { pairs, removed, added } = matchBy(ctx.before.sla, ctx.after.sla, [
    (s) => `${prop(s)}@${elements(s)}`,
    (s) => (countBefore.get(prop(s)) === 1 && countAfter.get(prop(s)) === 1 ? prop(s) : undefined),
  ]);
  const subjectOf = (s: SlaProperty): string =>
    (countBefore.get(prop(s)) ?? 0) > 1 || (countAfter.get(prop(s)) ?? 0) > 1 ? `sla.${s.property}(${elements(s)})` : `sla.${s.property}`;
  for (const s of removed) {
    ctx.emit({ rule: 'sla-removed', subject: subjectOf(s), message: `the ${s.property} SLA was removed: consumers lose a guarantee they may rely on`, before: slaText(s), origin: s.origin });
  }
  for (const s of added) {
    ctx.emit({ rule: 'sla-added', subject: subjectOf(s), message: `a ${s.property} SLA was added`, after: slaText(s), origin: s.origin });
  }
  for (const [b, a] of pairs) compareSlaPair(ctx, b, a, subjectOf(a));
}

const SLA_FIELDS: readonly FieldRule<SlaProperty>[] = [descriptionField((s) => s.description)];

function compareSlaPair(ctx: DiffContext, b: SlaProperty, a: SlaProperty, subject: string): void {
  if (elements(b) !== elements(a)) {
    ctx.emit({ rule: 'sla-changed', subject, message: `the ${a.property} SLA is measured on another element`, before: elements(b) || '(none)', after: elements(a) || '(none)', origin: ctx.at(a, b, 'element') });
  }
  const direction = compareSla(b, a);
  const values = { subject, before: slaText(b), after: slaText(a), origin: ctx.at(a, b, 'value') };
  if (direction === 'weaker') ctx.emit({ rule: 'sla-weakened', message: `the ${a.property} SLA was weakened: consumers get less than they were promised`, ...values });
  else if (direction === 'stronger') ctx.emit({ rule: 'sla-strengthened', message: `the ${a.property} SLA was strengthened`, ...values });
  else if (direction === 'unknown') ctx.emit({ rule: 'sla-changed', message: `the ${a.property} SLA changed in a way whose direction cannot be told`, ...values });
  compareFields(ctx, SLA_FIELDS, { before: b, after: a, subject, label: `the ${a.property} SLA`, origin: (field) => ctx.at(a, b, field) });
}
