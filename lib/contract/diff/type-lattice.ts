/**
 * The type lattice: whether every value of one Glue type fits another (widened), needs the old
 * files rewritten to be read as the new type (widened-with-rewrite), may not fit (narrowed), or is
 * another kind of value (changed). Judged on what Athena reads from Parquet files written with the
 * old type.
 */
import { glueTypeToString, type GluePrimitive, type GlueType } from '../glue-types.js';

export type TypeVerdict = { kind: 'widened' | 'widened-with-rewrite' | 'narrowed' | 'changed'; note: string };

const INTEGER_RANK: Partial<Record<GluePrimitive, number>> = { tinyint: 1, smallint: 2, int: 3, bigint: 4 };
/** Decimal digits an integer type needs. */
const INTEGER_DIGITS: Partial<Record<GluePrimitive, number>> = { tinyint: 3, smallint: 5, int: 10, bigint: 19 };
/** Integer types whose every value a floating type holds exactly (float: 24-bit, double: 53-bit mantissa). */
const EXACT_IN_FLOAT: Record<'float' | 'double', readonly GluePrimitive[]> = { float: ['tinyint', 'smallint'], double: ['tinyint', 'smallint', 'int'] };

const REWRITE_NOTE = 'Athena reads files written with the old type as the new one only for wider integers and float to double: rewrite the existing data, or check queries over old partitions';

/** Compares two non-container types (or containers of different kinds). */
export function compareScalarTypes(b: GlueType, a: GlueType): TypeVerdict {
  if (b.kind === 'primitive' && a.kind === 'primitive') return comparePrimitives(b.name, a.name);
  if (isText(b) && isText(a)) return compareTexts(b, a);
  if (b.kind === 'decimal' && a.kind === 'decimal') return compareDecimals(b, a);
  if (b.kind === 'primitive' && a.kind === 'decimal') {
    const verdict = integerToDecimal(b.name, a);
    if (verdict) return verdict;
  }
  return { kind: 'changed', note: `${glueTypeToString(b)} and ${glueTypeToString(a)} hold different kinds of values` };
}

function comparePrimitives(bt: GluePrimitive, at: GluePrimitive): TypeVerdict {
  const rb = INTEGER_RANK[bt];
  const ra = INTEGER_RANK[at];
  if (rb !== undefined && ra !== undefined) {
    return ra > rb ? { kind: 'widened', note: `Athena reads existing ${bt} files as ${at}` } : { kind: 'narrowed', note: `values beyond the range of ${at} no longer fit` };
  }
  if (bt === 'float' && at === 'double') return { kind: 'widened', note: 'Athena reads existing float files as double' };
  if (bt === 'double' && at === 'float') return { kind: 'narrowed', note: 'float holds fewer digits than double' };
  if (rb !== undefined && (at === 'float' || at === 'double')) {
    return EXACT_IN_FLOAT[at].includes(bt) ? { kind: 'widened-with-rewrite', note: REWRITE_NOTE } : { kind: 'changed', note: `large ${bt} values lose precision as ${at}` };
  }
  if (bt === 'string' || at === 'string') {
    return { kind: 'changed', note: `values of ${bt} and ${at} are read and compared differently; consumers must change their code` };
  }
  return { kind: 'changed', note: `${bt} and ${at} hold different kinds of values` };
}

const isText = (t: GlueType): boolean => t.kind === 'varchar' || t.kind === 'char' || (t.kind === 'primitive' && t.name === 'string');
const textLength = (t: GlueType): number => (t.kind === 'varchar' || t.kind === 'char' ? t.length : Number.POSITIVE_INFINITY);

function compareTexts(b: GlueType, a: GlueType): TypeVerdict {
  if (textLength(a) < textLength(b)) return { kind: 'narrowed', note: `strings longer than ${textLength(a)} characters no longer fit` };
  if (b.kind === 'char' && a.kind !== 'char') {
    return { kind: 'widened-with-rewrite', note: 'char values were blank-padded and the new type does not pad: comparisons with padded values change' };
  }
  if (b.kind !== 'char' && a.kind === 'char') return { kind: 'changed', note: 'char pads values with blanks, so values read back differently' };
  if (b.kind === 'char' && a.kind === 'char') return { kind: 'changed', note: 'char pads values to its length, so values read back differently' };
  return { kind: 'widened', note: 'strings are stored alike, so existing files read as before' };
}

type Decimal = Extract<GlueType, { kind: 'decimal' }>;

function compareDecimals(b: Decimal, a: Decimal): TypeVerdict {
  const integerDigitsBefore = b.precision - b.scale;
  const integerDigitsAfter = a.precision - a.scale;
  if (integerDigitsAfter >= integerDigitsBefore && a.scale >= b.scale) return { kind: 'widened-with-rewrite', note: REWRITE_NOTE };
  const lost = [integerDigitsAfter < integerDigitsBefore ? `${integerDigitsBefore - integerDigitsAfter} integer digit(s)` : '', a.scale < b.scale ? `${b.scale - a.scale} fraction digit(s)` : '']
    .filter(Boolean)
    .join(' and ');
  return { kind: 'narrowed', note: `${glueTypeToString(a)} holds ${lost} fewer than ${glueTypeToString(b)}` };
}

/** An integer into a decimal: widened when the decimal has the integer's digits; undefined for other primitives. */
function integerToDecimal(b: GluePrimitive, a: Decimal): TypeVerdict | undefined {
  const digits = INTEGER_DIGITS[b];
  if (digits === undefined) return undefined;
  return a.precision - a.scale >= digits
    ? { kind: 'widened-with-rewrite', note: REWRITE_NOTE }
    : { kind: 'narrowed', note: `${b} values need up to ${digits} integer digits; ${glueTypeToString(a)} holds ${a.precision - a.scale}` };
}
