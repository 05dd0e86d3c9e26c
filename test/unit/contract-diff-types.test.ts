/**
 * Type changes one by one: the verdict and the note a reader gets, for every branch of the
 * comparison, written out by hand. Athena reads Parquet written with an older integer or float
 * type as a wider one, and nothing else without a rewrite:
 * https://docs.aws.amazon.com/athena/latest/ug/types-of-updates.html
 */
import { describe, expect, it } from 'vitest';
import { compareScalarTypes } from '../../lib/contract/diff.js';
import { parseGlueType } from '../../lib/contract/glue-types.js';

const verdict = (before: string, after: string) => compareScalarTypes(parseGlueType(before), parseGlueType(after));
const REWRITE = 'Athena reads files written with the old type as the new one only for wider integers and float to double: rewrite the existing data, or check queries over old partitions';

describe('compareScalarTypes', () => {
  it.each([
    ['smallint', 'bigint', 'widened', 'Athena reads existing smallint files as bigint'],
    ['bigint', 'int', 'narrowed', 'values beyond the range of int no longer fit'],
    ['float', 'double', 'widened', 'Athena reads existing float files as double'],
    ['double', 'float', 'narrowed', 'float holds fewer digits than double'],
    ['smallint', 'float', 'widened-with-rewrite', REWRITE],
    ['int', 'float', 'changed', 'large int values lose precision as float'],
    ['int', 'double', 'widened-with-rewrite', REWRITE],
    ['string', 'int', 'changed', 'values of string and int are read and compared differently; consumers must change their code'],
    ['boolean', 'string', 'changed', 'values of boolean and string are read and compared differently; consumers must change their code'],
    ['date', 'timestamp', 'changed', 'date and timestamp hold different kinds of values'],
    // Text types.
    ['varchar(10)', 'varchar(5)', 'narrowed', 'strings longer than 5 characters no longer fit'],
    ['string', 'char(4)', 'narrowed', 'strings longer than 4 characters no longer fit'],
    ['varchar(5)', 'varchar(5)', 'widened', 'strings are stored alike, so existing files read as before'],
    ['varchar(5)', 'string', 'widened', 'strings are stored alike, so existing files read as before'],
    ['char(3)', 'varchar(3)', 'widened-with-rewrite', 'char values were blank-padded and the new type does not pad: comparisons with padded values change'],
    ['varchar(3)', 'char(3)', 'changed', 'char pads values with blanks, so values read back differently'],
    ['char(3)', 'char(4)', 'changed', 'char pads values to its length, so values read back differently'],
    // Text types.
    ['decimal(10,2)', 'decimal(12,2)', 'widened-with-rewrite', REWRITE],
    ['decimal(10,2)', 'decimal(10,2)', 'widened-with-rewrite', REWRITE],
    ['decimal(10,2)', 'decimal(11,3)', 'widened-with-rewrite', REWRITE],
    // Scale alone: one more integer digit does not make up for a lost fraction digit.
    ['decimal(12,3)', 'decimal(13,2)', 'narrowed', 'decimal(13,2) holds 1 fraction digit(s) fewer than decimal(12,3)'],
    ['decimal(12,2)', 'decimal(12,3)', 'narrowed', 'decimal(12,3) holds 1 integer digit(s) fewer than decimal(12,2)'],
    ['decimal(12,3)', 'decimal(11,2)', 'narrowed', 'decimal(11,2) holds 1 fraction digit(s) fewer than decimal(12,3)'],
    ['decimal(12,2)', 'decimal(10,2)', 'narrowed', 'decimal(10,2) holds 2 integer digit(s) fewer than decimal(12,2)'],
    ['decimal(12,4)', 'decimal(8,1)', 'narrowed', 'decimal(8,1) holds 1 integer digit(s) and 3 fraction digit(s) fewer than decimal(12,4)'],
    ['int', 'decimal(10,0)', 'widened-with-rewrite', REWRITE],
    ['int', 'decimal(12,3)', 'narrowed', 'int values need up to 10 integer digits; decimal(12,3) holds 9'],
    ['tinyint', 'decimal(3,0)', 'widened-with-rewrite', REWRITE],
    ['bigint', 'decimal(20,2)', 'narrowed', 'bigint values need up to 19 integer digits; decimal(20,2) holds 18'],
    ['int', 'varchar(5)', 'changed', 'int and varchar(5) hold different kinds of values'],
    ['decimal(10,2)', 'string', 'changed', 'decimal(10,2) and string hold different kinds of values'],
    ['double', 'decimal(38,10)', 'changed', 'double and decimal(38,10) hold different kinds of values'],
  ])('%s → %s is %s', (before, after, kind, note) => {
    expect(verdict(before, after)).toEqual({ kind, note });
  });
});
