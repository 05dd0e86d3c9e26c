/**
 * Glue table inputs (what the DataProduct construct hands to CloudFormation) as Trino DDL over the
 * Hive connector: the same columns and types, partition keys last as Hive keeps them, the same
 * location; partitions either registered in the metastore (`system.sync_partition_metadata`) or
 * projected from the table's Athena `projection.*` parameters, which Trino's Hive connector
 * implements as the `partition_projection_*` table and column properties.
 * https://trino.io/docs/current/connector/hive.html#partition-projection
 */
import type { GlueColumn, GlueTableInput } from '../../lib/glue/table-input.js';

const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;
const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** A Hive (Glue) type string in Trino's spelling: `array<struct<a:int>>` -> `array(row(a integer))`. */
export function hiveToTrinoType(type: string): string {
  let at = 0;
  const peek = (): string => type[at] ?? '';
  const word = (): string => {
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(type.slice(at));
    if (!m) throw new Error(`not a Hive type at ${at}: ${type}`);
    at += m[0].length;
    return m[0].toLowerCase();
  };
  const expect = (c: string): void => {
    if (type[at] !== c) throw new Error(`expected '${c}' at ${at} in Hive type ${type}`);
    at++;
  };
  const parse = (): string => {
    const name = word();
    switch (name) {
      case 'array': {
        expect('<');
        const element = parse();
        expect('>');
        return `array(${element})`;
      }
      case 'map': {
        expect('<');
        const key = parse();
        expect(',');
        const value = parse();
        expect('>');
        return `map(${key}, ${value})`;
      }
      case 'struct': {
        expect('<');
        const fields: string[] = [];
        while (peek() !== '>') {
          const field = word();
          expect(':');
          fields.push(`${q(field)} ${parse()}`);
          if (peek() === ',') at++;
        }
        expect('>');
        return `row(${fields.join(', ')})`;
      }
      case 'decimal':
      case 'varchar':
      case 'char': {
        const m = /^\(\s*\d+\s*(,\s*\d+\s*)?\)/.exec(type.slice(at));
        if (!m) return name === 'decimal' ? 'decimal(10,0)' : name;
        at += m[0].length;
        return `${name}${m[0].replace(/\s+/g, '')}`;
      }
      default:
        return SIMPLE[name] ?? fail(name);
    }
  };
  const fail = (name: string): never => {
    throw new Error(`no Trino type for Hive type '${name}' in ${type}`);
  };
  const out = parse();
  if (at !== type.length) throw new Error(`trailing text in Hive type ${type}`);
  return out;
}

const SIMPLE: Readonly<Record<string, string>> = {
  boolean: 'boolean',
  tinyint: 'tinyint',
  smallint: 'smallint',
  int: 'integer',
  integer: 'integer',
  bigint: 'bigint',
  float: 'real',
  double: 'double',
  string: 'varchar',
  date: 'date',
  timestamp: 'timestamp(3)',
  binary: 'varbinary',
};

/** Athena's projection parameter keys (`projection.<col>.<key>`) as Trino column property names. */
const COLUMN_PROPERTY: Readonly<Record<string, { name: string; kind: 'string' | 'list' | 'integer' }>> = {
  type: { name: 'partition_projection_type', kind: 'string' },
  values: { name: 'partition_projection_values', kind: 'list' },
  range: { name: 'partition_projection_range', kind: 'list' },
  interval: { name: 'partition_projection_interval', kind: 'integer' },
  'interval.unit': { name: 'partition_projection_interval_unit', kind: 'string' },
  digits: { name: 'partition_projection_digits', kind: 'integer' },
  format: { name: 'partition_projection_format', kind: 'string' },
};

export interface TrinoTableOptions {
  readonly catalog: string;
  readonly schema: string;
  /** Build partitions from the `projection.*` parameters instead of the metastore. */
  readonly projection?: boolean;
}

/** `CREATE TABLE` for a Glue table input, with no column, type or location of its own. */
export function createTableSql(input: GlueTableInput, options: TrinoTableOptions): string {
  const params = input.parameters;
  const projected = options.projection === true;
  if (projected && params['projection.enabled'] !== 'true') throw new Error(`table ${input.name} has no partition projection to build`);
  const column = (c: GlueColumn, partition: boolean): string => {
    const props: string[] = [];
    if (projected && partition) {
      const prefix = `projection.${c.name}.`;
      for (const [key, value] of Object.entries(params)) {
        if (!key.startsWith(prefix)) continue;
        const property = COLUMN_PROPERTY[key.slice(prefix.length)];
        if (!property) throw new Error(`table ${input.name}: no Trino property for Athena parameter ${key}`);
        const sql = property.kind === 'list' ? `ARRAY[${value.split(',').map((v) => lit(v.trim())).join(', ')}]` : property.kind === 'integer' ? String(Number(value)) : lit(value);
        props.push(`${property.name} = ${sql}`);
      }
    }
    const comment = c.comment ? ` COMMENT ${lit(c.comment)}` : '';
    return `${q(c.name)} ${hiveToTrinoType(c.type)}${comment}${props.length > 0 ? ` WITH (${props.join(', ')})` : ''}`;
  };
  const columns = [...input.storageDescriptor.columns.map((c) => column(c, false)), ...input.partitionKeys.map((c) => column(c, true))];
  if (!/MapredParquetInputFormat$/.test(input.storageDescriptor.inputFormat)) throw new Error(`table ${input.name} is not Parquet`);
  const table: string[] = [`external_location = ${lit(input.storageDescriptor.location)}`, "format = 'PARQUET'"];
  if (input.partitionKeys.length > 0) table.push(`partitioned_by = ARRAY[${input.partitionKeys.map((c) => lit(c.name)).join(', ')}]`);
  if (projected) {
    table.push('partition_projection_enabled = true');
    const template = params['storage.location.template'];
    if (template) table.push(`partition_projection_location_template = ${lit(template)}`);
  }
  return `CREATE TABLE ${q(options.catalog)}.${q(options.schema)}.${q(input.name)} (${columns.join(', ')}) COMMENT ${lit(input.description ?? '')} WITH (${table.join(', ')})`;
}

/** Registers the partitions found under the table's location, as `MSCK REPAIR TABLE` would. */
export function syncPartitionsSql(input: GlueTableInput, options: TrinoTableOptions): string {
  return `CALL ${q(options.catalog)}.system.sync_partition_metadata(schema_name => ${lit(options.schema)}, table_name => ${lit(input.name)}, mode => 'FULL')`;
}
