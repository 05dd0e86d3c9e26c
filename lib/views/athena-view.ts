/**
 * An Athena view as Glue stores it: a table of type VIRTUAL_VIEW whose `ViewOriginalText` holds the
 * Presto view definition (original SQL, catalog, schema, columns with Trino types), base64-encoded
 * between `/* Presto View: ` and ` *\/`, as `CREATE VIEW` in Athena writes it. Declaring the table in
 * CloudFormation instead of running `CREATE VIEW` keeps views declarative: they deploy, update and
 * roll back with the stack, with no query to wait for.
 */
import type { DescribedView } from './describe.js';

/** The Glue TableInput of a view (shape of CloudFormation's `AWS::Glue::Table` TableInput). */
export interface ViewTableInput {
  readonly name: string;
  readonly description?: string;
  readonly tableType: 'VIRTUAL_VIEW';
  readonly parameters: Readonly<Record<string, string>>;
  readonly viewOriginalText: string;
  readonly viewExpandedText: string;
  readonly storageDescriptor: {
    readonly columns: readonly { readonly name: string; readonly type: string }[];
    readonly serdeInfo: Record<string, never>;
  };
}

/** The Presto view definition Athena reads back when the view is queried. */
export interface PrestoViewDefinition {
  readonly originalSql: string;
  readonly catalog: string;
  readonly schema: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

const PREFIX = '/* Presto View: ';
const SUFFIX = ' */';

export function viewTableInput(view: DescribedView, database: string, mesh: string): ViewTableInput {
  const definition: PrestoViewDefinition = {
    // Athena stores the SQL without a trailing semicolon or newline.
    originalSql: view.view.sql.trim().replace(/;\s*$/, ''),
    catalog: 'awsdatacatalog',
    schema: database,
    columns: view.columns.map((c) => ({ name: c.name, type: c.trinoType })),
  };
  return {
    name: view.view.name,
    description: view.view.description,
    tableType: 'VIRTUAL_VIEW',
    parameters: {
      presto_view: 'true',
      comment: 'Presto View',
      'tessera.mesh': mesh,
      'tessera.view.audience': view.view.audience.join(','),
      'tessera.view.sources': view.sources.map((s) => `${s.database}.${s.table.physicalName}`).join(','),
    },
    viewOriginalText: `${PREFIX}${Buffer.from(JSON.stringify(definition), 'utf8').toString('base64')}${SUFFIX}`,
    viewExpandedText: '/* Presto View */',
    storageDescriptor: { columns: view.columns.map((c) => ({ name: c.name, type: c.hiveType })), serdeInfo: {} },
  };
}

/** Reads the definition back out of `ViewOriginalText` (for tests and `tessera` diagnostics). */
export function decodePrestoView(text: string): PrestoViewDefinition {
  if (!text.startsWith(PREFIX) || !text.endsWith(SUFFIX)) throw new Error('not a Presto view definition');
  return JSON.parse(Buffer.from(text.slice(PREFIX.length, -SUFFIX.length), 'base64').toString('utf8')) as PrestoViewDefinition;
}
