/**
 * logicalTypeOptions changes, with a direction where one can be told: a higher minimum, a smaller
 * maxLength, a new pattern or step, more required properties tighten what is valid (breaking:
 * existing data may not conform); the reverse loosens it; anything else is a change to check.
 */
import { bound, compareBounds, isMultiple, type Bound } from './bounds.js';
import type { DiffContext } from './context.js';
import type { Column, Origin } from '../model.js';
import { display, stableJson } from './text.js';

type Options = Readonly<Record<string, unknown>>;

/** Reports a change of one option as tightened, loosened or changed (with why). */
interface Verdicts {
  readonly tightened: (what: string, key: string, before: string, after: string) => void;
  readonly loosened: (what: string, key: string, before: string, after: string) => void;
  readonly changed: (what: string, key: string, before: string, after: string, why: string) => void;
}

/** Options compared in order; each returns the keys it handled. */
const COMPARISONS: readonly ((ob: Options, oa: Options, report: Verdicts) => readonly string[])[] = [compareValueBounds, compareSizes, comparePattern, compareMultipleOf, compareUniqueItems, compareRequired];

export function compareValidation(ctx: DiffContext, b: Column, a: Column, subject: string): void {
  const ob = b.logicalTypeOptions;
  const oa = a.logicalTypeOptions;
  const origin = (key: string): Origin | undefined => (oa[key] !== undefined ? ctx.at(a, undefined, 'logicalTypeOptions', key) : ctx.at(a, b, 'logicalTypeOptions'));
  const report: Verdicts = {
    tightened: (what, key, before, after) =>
      ctx.emit({ rule: 'validation-tightened', subject, message: `the ${what} of '${subject}' was tightened: existing data and writers may not conform`, before, after, origin: origin(key) }),
    loosened: (what, key, before, after) => ctx.emit({ rule: 'validation-loosened', subject, message: `the ${what} of '${subject}' was loosened`, before, after, origin: origin(key) }),
    changed: (what, key, before, after, why) => ctx.emit({ rule: 'validation-changed', subject, message: `the ${what} of '${subject}' changed: ${why}`, before, after, origin: origin(key) }),
  };
  const handled = new Set(COMPARISONS.flatMap((compare) => compare(ob, oa, report)));
  compareOthers(ob, oa, report, handled);
}

/** minimum / exclusiveMinimum together, maximum / exclusiveMaximum together. */
function compareValueBounds(ob: Options, oa: Options, report: Verdicts): readonly string[] {
  for (const side of ['lower', 'upper'] as const) {
    const [inclusiveKey, exclusiveKey] = side === 'lower' ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum'];
    const bb = bound(ob, inclusiveKey, exclusiveKey, side);
    const ba = bound(oa, inclusiveKey, exclusiveKey, side);
    const what = side === 'lower' ? 'lower bound' : 'upper bound';
    const key = ba?.exclusive ? exclusiveKey : inclusiveKey;
    const text = (x: Bound | undefined): string => (x ? `${side === 'lower' ? '>' : '<'}${x.exclusive ? '' : '='} ${display(x.value)}` : '(none)');
    const direction = compareBounds(bb, ba, side);
    if (direction === 'tighter') report.tightened(what, key, text(bb), text(ba));
    else if (direction === 'looser') report.loosened(what, key, text(bb), text(ba));
    else if (direction === 'unknown') report.changed(what, key, text(bb), text(ba), 'the bounds cannot be compared');
  }
  return ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum'];
}

/** Sizes, and which way is tighter: a larger minimum or a smaller maximum. */
const SIZES = [
  ['minLength', 'up'],
  ['maxLength', 'down'],
  ['minItems', 'up'],
  ['maxItems', 'down'],
  ['minProperties', 'up'],
  ['maxProperties', 'down'],
] as const;

function compareSizes(ob: Options, oa: Options, report: Verdicts): readonly string[] {
  for (const [key, tighterWhen] of SIZES) {
    const vb = ob[key];
    const va = oa[key];
    if (vb === va || (vb === undefined && va === undefined)) continue;
    const text = (v: unknown): string => (v === undefined ? '(none)' : `${key}: ${display(v)}`);
    if (typeof vb === 'number' && typeof va === 'number') {
      if ((va > vb) === (tighterWhen === 'up')) report.tightened(key, key, text(vb), text(va));
      else report.loosened(key, key, text(vb), text(va));
    } else if (vb === undefined) {
      report.tightened(key, key, text(vb), text(va));
    } else if (va === undefined) {
      report.loosened(key, key, text(vb), text(va));
    } else {
      report.changed(key, key, text(vb), text(va), 'the values cannot be compared');
    }
  }
  return SIZES.map(([key]) => key);
}

function comparePattern(ob: Options, oa: Options, report: Verdicts): readonly string[] {
  if (ob.pattern !== oa.pattern) {
    const text = (v: unknown): string => (v === undefined ? '(none)' : display(v));
    if (ob.pattern === undefined) report.tightened('pattern', 'pattern', text(ob.pattern), text(oa.pattern));
    else if (oa.pattern === undefined) report.loosened('pattern', 'pattern', text(ob.pattern), text(oa.pattern));
    else report.changed('pattern', 'pattern', text(ob.pattern), text(oa.pattern), 'values valid before may no longer match; check existing data against the new pattern');
  }
  return ['pattern'];
}

function compareMultipleOf(ob: Options, oa: Options, report: Verdicts): readonly string[] {
  const vb = ob.multipleOf;
  const va = oa.multipleOf;
  if (vb !== va) {
    const text = (v: unknown): string => (v === undefined ? '(none)' : `multipleOf: ${display(v)}`);
    const numbers = typeof vb === 'number' && typeof va === 'number';
    if (vb === undefined) report.tightened('multipleOf', 'multipleOf', text(vb), text(va));
    else if (va === undefined) report.loosened('multipleOf', 'multipleOf', text(vb), text(va));
    else if (numbers && isMultiple(va, vb)) report.tightened('multipleOf', 'multipleOf', text(vb), text(va));
    else if (numbers && isMultiple(vb, va)) report.loosened('multipleOf', 'multipleOf', text(vb), text(va));
    else report.changed('multipleOf', 'multipleOf', text(vb), text(va), 'old values may not be multiples of the new step');
  }
  return ['multipleOf'];
}

function compareUniqueItems(ob: Options, oa: Options, report: Verdicts): readonly string[] {
  if ((ob.uniqueItems === true) !== (oa.uniqueItems === true)) {
    if (oa.uniqueItems === true) report.tightened('uniqueItems', 'uniqueItems', 'false', 'true');
    else report.loosened('uniqueItems', 'uniqueItems', 'true', 'false');
  }
  return ['uniqueItems'];
}

/** The required properties of an object column. */
function compareRequired(ob: Options, oa: Options, report: Verdicts): readonly string[] {
  const requiredBefore = new Set(Array.isArray(ob.required) ? ob.required.map(String) : []);
  const requiredAfter = new Set(Array.isArray(oa.required) ? oa.required.map(String) : []);
  const listText = (s: Set<string>): string => [...s].join(', ') || '(none)';
  if ([...requiredAfter].some((r) => !requiredBefore.has(r))) report.tightened('required properties', 'required', listText(requiredBefore), listText(requiredAfter));
  else if ([...requiredBefore].some((r) => !requiredAfter.has(r))) report.loosened('required properties', 'required', listText(requiredBefore), listText(requiredAfter));
  return ['required'];
}

/** Anything else (format, timezone ...): no direction we can tell, except that a removed option loosens. */
function compareOthers(ob: Options, oa: Options, report: Verdicts, handled: ReadonlySet<string>): void {
  const others = [...new Set([...Object.keys(ob), ...Object.keys(oa)])].filter((k) => !handled.has(k)).sort();
  for (const key of others) {
    const vb = ob[key];
    const va = oa[key];
    if (stableJson(vb) === stableJson(va)) continue;
    const text = (v: unknown): string => (v === undefined ? '(none)' : `${key}: ${display(v)}`);
    if (va === undefined) report.loosened(key, key, text(vb), text(va));
    else report.changed(key, key, text(vb), text(va), 'check that existing data still fits');
  }
}
