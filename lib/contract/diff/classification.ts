/**
 * Classification changes, judged by the ontology's order: lowering one lets more consumers read
 * the data (breaking); raising one takes access away (a warning); a value outside the ontology has
 * no direction, so it is breaking as well.
 */
import type { DiffContext } from './context.js';
import type { Column } from '../model.js';

export function compareClassification(ctx: DiffContext, b: Column, a: Column, subject: string): void {
  if ((b.classification ?? '').toLowerCase() === (a.classification ?? '').toLowerCase()) return;
  const values = { subject, before: b.classification ?? '(none)', after: a.classification ?? '(none)', origin: ctx.at(a, b, 'classification') };
  if (b.classification === undefined) {
    ctx.emit({ rule: 'classification-added', message: `'${subject}' is now classified: consumers without a grant for '${a.classification}' lose access`, ...values });
    return;
  }
  if (a.classification === undefined) {
    ctx.emit({ rule: 'classification-removed', message: `'${subject}' lost its classification: it is no longer governed by it, and may be exposed to consumers who should not read it`, ...values });
    return;
  }
  const rb = ctx.rank.get(b.classification.toLowerCase());
  const ra = ctx.rank.get(a.classification.toLowerCase());
  if (rb === undefined || ra === undefined) {
    ctx.emit({ rule: 'classification-changed', message: `the classification of '${subject}' changed to or from a value outside the ontology, so whether it was lowered cannot be told`, ...values });
  } else if (ra < rb) {
    ctx.emit({ rule: 'classification-lowered', message: `the classification of '${subject}' was lowered: consumers granted only '${a.classification}' would read data classified '${b.classification}'`, ...values });
  } else {
    ctx.emit({ rule: 'classification-raised', message: `the classification of '${subject}' was raised: consumers granted only up to '${b.classification}' lose access to it`, ...values });
  }
}
