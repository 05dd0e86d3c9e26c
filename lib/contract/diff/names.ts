/**
 * A table or column matched by its physicalName (match key 1) has a new logical name: queries keep
 * working. One matched by its name may have a new physicalName: queries that name the old one fail.
 */
import type { DiffContext, Located } from './context.js';
import type { DiffRule } from './rules.js';

interface Named extends Located {
  readonly name: string;
  readonly physicalName: string;
}

export interface NameChanges {
  readonly renamed: { readonly rule: DiffRule; readonly message: string };
  readonly moved: { readonly rule: DiffRule; readonly message: string };
}

export function compareNames(ctx: DiffContext, b: Named, a: Named, matchedBy: number, subject: string, changes: NameChanges): void {
  if (matchedBy === 1) {
    ctx.emit({ rule: changes.renamed.rule, subject, message: changes.renamed.message, before: b.name, after: a.name, origin: ctx.at(a, b, 'name') });
  } else if (b.physicalName.toLowerCase() !== a.physicalName.toLowerCase()) {
    ctx.emit({ rule: changes.moved.rule, subject, message: changes.moved.message, before: b.physicalName, after: a.physicalName, origin: ctx.at(a, b, 'physicalName') });
  }
}
