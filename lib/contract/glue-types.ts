/**
 * Glue / Athena (Hive DDL) column types: a small parser for the type strings contracts carry in
 * `physicalType`, the mapping from ODCS logical types, and renderers for Glue and DuckDB.
 *
 * Glue accepts a Hive type grammar (`array<struct<a:int>>`, `decimal(10,2)`, `varchar(20)`); Athena
 * reads exactly those. Contracts written for other engines often use SQL synonyms (`integer`,
 * `int4`, `text`, `numeric`), which we accept and normalise so `physicalType` can stay as written.
 */

export type GluePrimitive =
  | 'string'
  | 'tinyint'
  | 'smallint'
  | 'int'
  | 'bigint'
  | 'float'
  | 'double'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'binary';

export type GlueType =
  | { readonly kind: 'primitive'; readonly name: GluePrimitive }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'varchar' | 'char'; readonly length: number }
  | { readonly kind: 'array'; readonly element: GlueType }
  | { readonly kind: 'map'; readonly key: GlueType; readonly value: GlueType }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: string; readonly type: GlueType }[] };

/** Hive/Athena limits. */
export const MAX_DECIMAL_PRECISION = 38;
export const MAX_VARCHAR_LENGTH = 65_535;
export const MAX_CHAR_LENGTH = 255;

const PRIMITIVE_SYNONYMS: Readonly<Record<string, GluePrimitive>> = {
  string: 'string',
  text: 'string',
  tinyint: 'tinyint',
  int1: 'tinyint',
  byte: 'tinyint',
  smallint: 'smallint',
  int2: 'smallint',
  short: 'smallint',
  int: 'int',
  integer: 'int',
  int4: 'int',
  bigint: 'bigint',
  int8: 'bigint',
  long: 'bigint',
  float: 'float',
  real: 'float',
  float4: 'float',
  double: 'double',
  'double precision': 'double',
  float8: 'double',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  datetime: 'timestamp',
  'timestamp without time zone': 'timestamp',
  binary: 'binary',
  bytea: 'binary',
  varbinary: 'binary',
  // Postgres and friends: integer sequences, identifiers and documents travel as their values.
  serial: 'int',
  serial4: 'int',
  smallserial: 'smallint',
  bigserial: 'bigint',
  serial8: 'bigint',
  uuid: 'string',
  bpchar: 'string',
  json: 'string',
  jsonb: 'string',
  // Athena tables have no TIME type; the ISO text keeps the value exact (as for logicalType time).
  time: 'string',
};

/** The Glue types we map from, for help texts. */
export const GLUE_TYPE_NAMES =
  'string, varchar(n), char(n), tinyint, smallint, int, bigint, float, double, decimal(p,s), boolean, date, timestamp, binary, array<T>, map<K,V>, struct<name:T,...>';

export class GlueTypeError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'GlueTypeError';
  }
}

/**
 * Parses a Glue/Hive type string, accepting common SQL synonyms. Throws `GlueTypeError` with a
 * message that names the offending part and a fix.
 */
export function parseGlueType(text: string): GlueType {
  const parser = new TypeParser(text);
  const type = parser.parseType();
  parser.expectEnd();
  return type;
}

class TypeParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseType(): GlueType {
    this.skipSpace();
    const start = this.pos;
    const word = this.readWord();
    if (word === '') {
      throw this.error(`expected a type name at position ${start + 1}`);
    }
    const lower = word.toLowerCase();
    switch (lower) {
      case 'array': {
        this.expect('<');
        const element = this.parseType();
        this.expect('>');
        return { kind: 'array', element };
      }
      case 'map': {
        this.expect('<');
        const key = this.parseType();
        this.expect(',');
        const value = this.parseType();
        this.expect('>');
        if (key.kind !== 'primitive' && key.kind !== 'varchar' && key.kind !== 'char' && key.kind !== 'decimal') {
          throw this.error('a map key must be a primitive type');
        }
        return { kind: 'map', key, value };
      }
      case 'struct':
        return this.parseStruct();
      case 'decimal':
      case 'numeric':
      case 'dec': {
        const args = this.parseArgs();
        if (args.length === 0) return { kind: 'decimal', precision: 10, scale: 0 };
        const [precision, scale = 0] = args;
        if (args.length > 2 || precision === undefined) throw this.error('decimal takes (precision) or (precision, scale)');
        if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
          throw this.error(`decimal precision ${precision} is outside 1..${MAX_DECIMAL_PRECISION}`);
        }
        if (scale > precision) throw this.error(`decimal scale ${scale} is larger than its precision ${precision}`);
        return { kind: 'decimal', precision, scale };
      }
      case 'varchar':
      case 'char':
      case 'character': {
        const kind = lower === 'varchar' ? 'varchar' : 'char';
        // `character varying(n)` is Postgres for varchar(n).
        if (kind === 'char' && this.peekWord().toLowerCase() === 'varying') {
          this.readWord();
          return this.lengthType('varchar');
        }
        return this.lengthType(kind);
      }
      default: {
        let name = lower;
        // Multi-word synonyms: `double precision`, `timestamp without time zone`.
        if (name === 'double' && this.peekWord().toLowerCase() === 'precision') name += ` ${this.readWord().toLowerCase()}`;
        if (name === 'timestamp' && this.peekWord().toLowerCase() === 'without') {
          name += ` ${this.readWords(3).toLowerCase()}`;
        }
        if (name === 'timestamp' && this.peekWord().toLowerCase() === 'with') {
          throw this.error(
            'Athena tables cannot store a time zone (timestamp with time zone)',
            'store the instant as `timestamp` in UTC and say so in the description',
          );
        }
        if (name === 'timestamp' && this.peek() === '(') this.parseArgs(); // precision is not part of the Hive type
        const primitive = PRIMITIVE_SYNONYMS[name];
        if (!primitive) {
          throw this.error(`'${word}' is not a type Glue or Athena can store`);
        }
        return { kind: 'primitive', name: primitive };
      }
    }
  }

  private lengthType(kind: 'varchar' | 'char'): GlueType {
    const args = this.parseArgs();
    if (args.length === 0) {
      if (kind === 'varchar') return { kind: 'primitive', name: 'string' };
      return { kind: 'char', length: 1 };
    }
    const [length] = args;
    const max = kind === 'varchar' ? MAX_VARCHAR_LENGTH : MAX_CHAR_LENGTH;
    if (args.length !== 1 || length === undefined || length < 1 || length > max) {
      throw this.error(`${kind} takes one length between 1 and ${max}`);
    }
    return { kind, length };
  }

  private parseStruct(): GlueType {
    this.expect('<');
    const fields: { name: string; type: GlueType }[] = [];
    const seen = new Set<string>();
    for (;;) {
      this.skipSpace();
      const name = this.readWord();
      if (name === '') throw this.error(`expected a struct field name at position ${this.pos + 1}`);
      if (seen.has(name.toLowerCase())) throw this.error(`struct field '${name}' appears twice`);
      seen.add(name.toLowerCase());
      this.expect(':');
      fields.push({ name, type: this.parseType() });
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      this.expect('>');
      return { kind: 'struct', fields };
    }
  }

  private parseArgs(): number[] {
    this.skipSpace();
    if (this.peek() !== '(') return [];
    this.pos++;
    const args: number[] = [];
    for (;;) {
      this.skipSpace();
      const match = /^\d+/.exec(this.text.slice(this.pos));
      if (!match) throw this.error(`expected a whole number at position ${this.pos + 1}`);
      args.push(Number(match[0]));
      this.pos += match[0].length;
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      this.expect(')');
      return args;
    }
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos < this.text.length) {
      throw this.error(`unexpected '${this.text.slice(this.pos)}' after the type`);
    }
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.peek() !== char) {
      const found = this.pos < this.text.length ? `'${this.peek()}'` : 'the end';
      throw this.error(`expected '${char}' at position ${this.pos + 1}, found ${found}`);
    }
    this.pos++;
  }

  private readWord(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }

  private readWords(count: number): string {
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(this.readWord());
    return words.join(' ');
  }

  private peekWord(): string {
    const saved = this.pos;
    const word = this.readWord();
    this.pos = saved;
    return word;
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private error(problem: string, fix = `use a Glue type: ${GLUE_TYPE_NAMES}`): GlueTypeError {
    return new GlueTypeError(`cannot map type '${this.text}': ${problem}`, fix);
  }
}

/** Renders a type as Glue/Athena DDL writes it, e.g. `array<struct<sku:string,qty:int>>`. */
export function glueTypeToString(type: GlueType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'varchar':
    case 'char':
      return `${type.kind}(${type.length})`;
    case 'array':
      return `array<${glueTypeToString(type.element)}>`;
    case 'map':
      return `map<${glueTypeToString(type.key)},${glueTypeToString(type.value)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${glueTypeToString(f.type)}`).join(',')}>`;
  }
}

const DUCKDB_PRIMITIVES: Readonly<Record<GluePrimitive, string>> = {
  string: 'VARCHAR',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  int: 'INTEGER',
  bigint: 'BIGINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
};

/** The DuckDB type that reads and writes the same values, for local runs over Parquet. */
export function glueTypeToDuckDb(type: GlueType): string {
  switch (type.kind) {
    case 'primitive':
      return DUCKDB_PRIMITIVES[type.name];
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'varchar':
    case 'char':
      return 'VARCHAR';
    case 'array':
      return `${glueTypeToDuckDb(type.element)}[]`;
    case 'map':
      return `MAP(${glueTypeToDuckDb(type.key)}, ${glueTypeToDuckDb(type.value)})`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `"${f.name.replaceAll('"', '""')}" ${glueTypeToDuckDb(f.type)}`).join(', ')})`;
  }
}

/** True for types Glue accepts as partition keys (primitive, non-binary). */
export function isPartitionableType(type: GlueType): boolean {
  if (type.kind === 'decimal' || type.kind === 'varchar' || type.kind === 'char') return true;
  return type.kind === 'primitive' && type.name !== 'binary';
}

/** Which ODCS logical types a Glue type can carry; used to catch `logicalType: string` + `physicalType: int`. */
export function logicalTypesFor(type: GlueType): readonly string[] {
  switch (type.kind) {
    case 'primitive':
      switch (type.name) {
        case 'string':
          return ['string', 'date', 'timestamp', 'time'];
        case 'tinyint':
        case 'smallint':
        case 'int':
        case 'bigint':
          return ['integer', 'number'];
        case 'float':
        case 'double':
          return ['number'];
        case 'boolean':
          return ['boolean'];
        case 'date':
          return ['date'];
        case 'timestamp':
          return ['timestamp', 'date'];
        case 'binary':
          return ['string'];
      }
      break;
    case 'decimal':
      return type.scale === 0 ? ['number', 'integer'] : ['number'];
    case 'varchar':
    case 'char':
      return ['string', 'date', 'timestamp', 'time'];
    case 'array':
      return ['array'];
    case 'map':
    case 'struct':
      return ['object'];
  }
}
