import { describe, expect, it } from 'vitest';
import {
  GlueTypeError,
  glueTypeToDuckDb,
  glueTypeToString,
  isPartitionableType,
  logicalTypesFor,
  parseGlueType,
} from '../../lib/contract/glue-types.js';

describe('parseGlueType', () => {
  it.each([
    ['string', 'string'],
    ['STRING', 'string'],
    ['text', 'string'],
    ['varchar', 'string'],
    ['varchar(18)', 'varchar(18)'],
    ['VARCHAR( 2 )', 'varchar(2)'],
    ['character varying(40)', 'varchar(40)'],
    ['char(3)', 'char(3)'],
    ['int', 'int'],
    ['integer', 'int'],
    ['int4', 'int'],
    ['serial', 'int'],
    ['bigint', 'bigint'],
    ['int8', 'bigint'],
    ['smallint', 'smallint'],
    ['tinyint', 'tinyint'],
    ['double', 'double'],
    ['double precision', 'double'],
    ['float', 'float'],
    ['real', 'float'],
    ['decimal(12,2)', 'decimal(12,2)'],
    ['numeric(5)', 'decimal(5,0)'],
    ['decimal', 'decimal(10,0)'],
    ['boolean', 'boolean'],
    ['bool', 'boolean'],
    ['date', 'date'],
    ['timestamp', 'timestamp'],
    ['timestamp(3)', 'timestamp'],
    ['timestamp without time zone', 'timestamp'],
    ['uuid', 'string'],
    ['time', 'string'],
    ['binary', 'binary'],
    ['array<string>', 'array<string>'],
    ['array< struct< sku : string , qty:int > >', 'array<struct<sku:string,qty:int>>'],
    ['map<string,array<bigint>>', 'map<string,array<bigint>>'],
    ['struct<a:struct<b:decimal(3,1)>>', 'struct<a:struct<b:decimal(3,1)>>'],
  ])('reads %s as %s', (text, expected) => {
    expect(glueTypeToString(parseGlueType(text))).toBe(expected);
  });

  it.each([
    ['geography', "'geography' is not a type"],
    ['decimal(40,2)', 'precision 40 is outside 1..38'],
    ['decimal(5,6)', 'scale 6 is larger than its precision 5'],
    ['decimal(1,2,3)', 'decimal takes'],
    ['varchar(0)', 'varchar takes one length'],
    ['varchar(70000)', 'varchar takes one length'],
    ['char(300)', 'char takes one length'],
    ['array', "expected '<'"],
    ['array<string', "expected '>'"],
    ['array<string>>', "unexpected '>'"],
    ['map<array<int>,string>', 'a map key must be a primitive type'],
    ['struct<a:int,a:string>', "struct field 'a' appears twice"],
    ['struct<:int>', 'expected a struct field name'],
    ['timestamp with time zone', 'cannot store a time zone'],
    ['', 'expected a type name'],
    ['varchar[15]', "unexpected '[15]'"],
  ])('refuses %s with a message naming the problem', (text, message) => {
    expect(() => parseGlueType(text)).toThrow(GlueTypeError);
    expect(() => parseGlueType(text)).toThrow(message);
  });

  it('names the whole type and gives a fix', () => {
    try {
      parseGlueType('array<geo>');
      expect.unreachable();
    } catch (e) {
      expect((e as GlueTypeError).message).toContain("cannot map type 'array<geo>'");
      expect((e as GlueTypeError).fix).toContain('decimal(p,s)');
    }
  });
});

describe('type helpers', () => {
  it('renders DuckDB types that read the same values', () => {
    expect(glueTypeToDuckDb(parseGlueType('array<struct<sku:string,qty:int>>'))).toBe('STRUCT("sku" VARCHAR, "qty" INTEGER)[]');
    expect(glueTypeToDuckDb(parseGlueType('decimal(12,2)'))).toBe('DECIMAL(12,2)');
    expect(glueTypeToDuckDb(parseGlueType('map<string,bigint>'))).toBe('MAP(VARCHAR, BIGINT)');
    expect(glueTypeToDuckDb(parseGlueType('varchar(3)'))).toBe('VARCHAR');
  });

  it('knows which types can partition a table', () => {
    expect(isPartitionableType(parseGlueType('date'))).toBe(true);
    expect(isPartitionableType(parseGlueType('varchar(2)'))).toBe(true);
    expect(isPartitionableType(parseGlueType('binary'))).toBe(false);
    expect(isPartitionableType(parseGlueType('array<int>'))).toBe(false);
  });

  it('knows which logical types a physical type can carry', () => {
    expect(logicalTypesFor(parseGlueType('bigint'))).toContain('integer');
    expect(logicalTypesFor(parseGlueType('bigint'))).not.toContain('string');
    expect(logicalTypesFor(parseGlueType('decimal(10,0)'))).toContain('integer');
    expect(logicalTypesFor(parseGlueType('decimal(10,2)'))).not.toContain('integer');
    expect(logicalTypesFor(parseGlueType('struct<a:int>'))).toEqual(['object']);
  });
});
