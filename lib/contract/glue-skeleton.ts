/**
 * A contract skeleton from an existing Glue table, as the Glue API describes it (GetTable): the
 * columns with their Glue types, partition keys, comments as descriptions, the S3 location as a
 * server and the table parameters as a custom property. The input is plain data in the shape of
 * the SDK's `Table` (field names as in the Glue API), so this module needs no SDK.
 */
import { PRIMARY_KEY_PARAMETER, PRODUCT_PARAMETER } from '../glue/table-input.js';
import { odcsTypeOfText } from './glue-columns.js';
import { skeletonText } from './skeleton.js';

export interface GlueApiColumn {
  readonly Name?: string;
  readonly Type?: string;
  readonly Comment?: string;
}

/** The part of Glue's `Table` (GetTable's answer) that the skeleton reads. */
export interface GlueApiTable {
  readonly Name?: string;
  readonly DatabaseName?: string;
  readonly CatalogId?: string;
  readonly Description?: string;
  readonly TableType?: string;
  readonly Parameters?: Readonly<Record<string, string>>;
  readonly PartitionKeys?: readonly GlueApiColumn[];
  readonly StorageDescriptor?: {
    readonly Columns?: readonly GlueApiColumn[];
    readonly Location?: string;
    readonly InputFormat?: string;
    readonly SerdeInfo?: { readonly SerializationLibrary?: string };
  };
}

export interface GlueSkeletonInput {
  readonly database: string;
  readonly table: GlueApiTable;
  /** The contract id; default: the table name with dashes. */
  readonly id?: string;
}

export interface GlueSkeleton {
  readonly text: string;
  readonly columns: number;
  readonly partitionKeys: number;
  /** Columns whose Glue type has no ODCS mapping, with the reason; also listed as TODOs in the text. */
  readonly unmapped: readonly string[];
}

export function glueContractSkeleton(input: GlueSkeletonInput): GlueSkeleton {
  const { table, database } = input;
  const name = table.Name ?? '';
  const source = `Glue table ${database}.${name}`;
  const id = input.id ?? name.replaceAll('_', '-').toLowerCase();
  const unmapped: string[] = [];
  const context = { tessera: table.Parameters?.[PRODUCT_PARAMETER] !== undefined, primaryKey: primaryKeyOf(table), unmapped };
  const columns = (table.StorageDescriptor?.Columns ?? []).map((c) => odcsColumn(c, context));
  const partitions = (table.PartitionKeys ?? []).map((c, i) => ({ ...odcsColumn(c, context), partitioned: true, partitionKeyPosition: i + 1 }));
  const schemaObject = {
    name,
    physicalName: name,
    physicalType: table.TableType === 'VIRTUAL_VIEW' ? 'view' : 'table',
    ...(table.Description ? { description: table.Description } : {}),
    properties: [...columns, ...partitions],
    ...(table.Parameters && Object.keys(table.Parameters).length > 0 ? { customProperties: [{ property: 'glueParameters', value: { ...table.Parameters } }] } : {}),
  };
  const server = serverOf(database, table);
  const document = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id,
    name: id,
    version: '0.1.0',
    status: 'draft',
    description: { purpose: `Imported by tessera import from ${source}; review every field.` },
    ...(server ? { servers: [server] } : {}),
    schema: [schemaObject],
  };
  const todo = [
    '# TODO quality: no data was read, so no rules are suggested; `tessera import <the table\'s Parquet folder>` suggests them from a profile',
    ...unmapped.map((u) => `# TODO ${u}: give the column a logicalType and a physicalType Glue can store`),
  ];
  return { text: skeletonText(source, document, todo), columns: columns.length, partitionKeys: partitions.length, unmapped };
}

interface ColumnContext {
  readonly tessera: boolean;
  readonly primaryKey: readonly string[];
  readonly unmapped: string[];
}

function odcsColumn(column: GlueApiColumn, context: ColumnContext): Record<string, unknown> {
  const name = column.Name ?? '';
  const { fields, problem } = odcsTypeOfText(column.Type ?? '');
  if (problem) context.unmapped.push(`column '${name}': ${problem}`);
  const { description, classification } = splitComment(column.Comment, context.tessera);
  const keyPosition = context.primaryKey.indexOf(name) + 1;
  return {
    name,
    ...fields,
    ...(keyPosition > 0 ? { primaryKey: true, primaryKeyPosition: keyPosition } : {}),
    ...(description ? { description } : {}),
    ...(classification ? { classification } : {}),
  };
}

/**
 * A comment as description. On a table Tessera deployed, the comment ends with the column's
 * classification in brackets (`Order id [internal]`), which was decided already and comes back.
 */
function splitComment(comment: string | undefined, tessera: boolean): { description?: string; classification?: string } {
  const text = comment?.trim();
  if (!text) return {};
  const tagged = tessera ? /^(.*?)\s*\[([A-Za-z0-9_-]+)\]$/.exec(text) : null;
  if (!tagged) return { description: text };
  return { ...(tagged[1] ? { description: tagged[1] } : {}), classification: tagged[2] };
}

function primaryKeyOf(table: GlueApiTable): readonly string[] {
  const key = table.Parameters?.[PRIMARY_KEY_PARAMETER];
  return key ? key.split(',').map((k) => k.trim()) : [];
}

/**
 * The table's storage as an ODCS server: `glue` needs the account (GetTable's CatalogId); without
 * it, the location alone is an `s3` server.
 */
function serverOf(database: string, table: GlueApiTable): Record<string, unknown> | undefined {
  const location = table.StorageDescriptor?.Location || undefined;
  const format = formatOf(table);
  const storage = { ...(location ? { location } : {}), ...(format ? { format } : {}) };
  if (table.CatalogId) return { server: 'glue', type: 'glue', account: table.CatalogId, database, ...storage };
  if (location) return { server: 's3', type: 's3', ...storage };
  return undefined;
}

/** Glue's own `classification` parameter, else the format its input format or SerDe names. */
function formatOf(table: GlueApiTable): string | undefined {
  const declared = table.Parameters?.classification;
  if (declared) return declared.toLowerCase();
  const described = `${table.StorageDescriptor?.InputFormat ?? ''} ${table.StorageDescriptor?.SerdeInfo?.SerializationLibrary ?? ''}`;
  return /parquet|orc|avro|json|csv/i.exec(described)?.[0].toLowerCase();
}
