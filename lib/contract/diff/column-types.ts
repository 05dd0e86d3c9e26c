/**
 * Glue type changes of a column: containers compared element by element (array elements, map
 * values, struct fields), scalars judged by the type lattice.
 */
import type { DiffContext } from './context.js';
import { glueTypeToString, type GlueType } from '../glue-types.js';
import { matchBy } from './match.js';
import type { Column, Origin } from '../model.js';
import { compareScalarTypes } from './type-lattice.js';

/** A column's type as one text: its Glue type, else what the contract wrote. */
export function typeText(column: Column): string {
  if (column.glueType) return glueTypeToString(column.glueType);
  return column.physicalType ?? column.logicalType ?? '(none)';
}

export function compareGlueTypes(ctx: DiffContext, b: GlueType, a: GlueType, subject: string, origin: Origin | undefined): void {
  if (b.kind === 'array' && a.kind === 'array') return compareGlueTypes(ctx, b.element, a.element, `${subject}[]`, origin);
  if (b.kind === 'map' && a.kind === 'map') {
    if (glueTypeToString(b.key) !== glueTypeToString(a.key)) {
      ctx.emit({ rule: 'type-changed', subject, message: `the key type of map '${subject}' changed`, before: glueTypeToString(b), after: glueTypeToString(a), origin });
      return;
    }
    return compareGlueTypes(ctx, b.value, a.value, `${subject}{}`, origin);
  }
  if (b.kind === 'struct' && a.kind === 'struct') return compareStructs(ctx, b, a, subject, origin);
  compareScalars(ctx, b, a, subject, origin);
}

type Struct = Extract<GlueType, { kind: 'struct' }>;

function compareStructs(ctx: DiffContext, b: Struct, a: Struct, subject: string, origin: Origin | undefined): void {
  const { pairs, removed, added } = matchBy(b.fields, a.fields, [(f) => f.name.toLowerCase()]);
  for (const f of removed) {
    ctx.emit({ rule: 'field-removed', subject: `${subject}.${f.name}`, message: `field '${subject}.${f.name}' was removed from the struct: readers that use it fail`, before: glueTypeToString(f.type), origin });
  }
  for (const f of added) {
    ctx.emit({ rule: 'field-added', subject: `${subject}.${f.name}`, message: `field '${subject}.${f.name}' was added to the struct`, after: glueTypeToString(f.type), origin });
  }
  for (const [fb, fa] of pairs) compareGlueTypes(ctx, fb.type, fa.type, `${subject}.${fa.name}`, origin);
}

function compareScalars(ctx: DiffContext, b: GlueType, a: GlueType, subject: string, origin: Origin | undefined): void {
  const values = { subject, before: glueTypeToString(b), after: glueTypeToString(a), origin };
  if (values.before === values.after) return;
  const verdict = compareScalarTypes(b, a);
  switch (verdict.kind) {
    case 'widened':
      return ctx.emit({ rule: 'type-widened', severity: 'compatible', message: `the type of '${subject}' was widened: every existing value fits, and ${verdict.note}`, ...values });
    case 'widened-with-rewrite':
      return ctx.emit({ rule: 'type-widened', severity: 'warning', message: `the type of '${subject}' was widened: every existing value fits, but ${verdict.note}`, ...values });
    case 'narrowed':
      return ctx.emit({ rule: 'type-narrowed', message: `the type of '${subject}' was narrowed: ${verdict.note}`, ...values });
    case 'changed':
      return ctx.emit({ rule: 'type-changed', message: `the type of '${subject}' changed incompatibly: ${verdict.note}`, ...values });
  }
}
