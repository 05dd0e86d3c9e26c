/**
 * `tessera import --glue <database>.<table>`: reads an existing table through the Glue API
 * (GetTable) and writes the contract skeleton lib/contract/glue-skeleton.ts makes from it. The SDK
 * is loaded only when the command runs. What can go wrong on the way (no such database or table,
 * no endpoint, no credentials, no permission) is a plain error with exit code 1.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { glueContractSkeleton, type GlueApiTable } from '../../lib/contract/glue-skeleton.js';
import { ALL_AWS_REGIONS } from '../../lib/aws-regions.js';
import { UsageError, type CliIo, type ExitCode } from './io.js';

export interface GlueImportOptions {
  readonly glue: string;
  readonly id?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly out?: string;
  readonly force?: boolean;
}

/** A failure the user can act on; the message says what and where. */
export class GlueReadError extends Error {}

/** `<database>.<table>`: Glue names hold no dots, so there is exactly one. */
export function parseGlueTableName(text: string): { database: string; table: string } {
  const match = /^([^.\s]+)\.([^.\s]+)$/.exec(text.trim());
  if (!match) throw new UsageError(`--glue takes <database>.<table>, e.g. --glue sales.orders; got '${text}'`);
  return { database: match[1]!, table: match[2]! };
}

export async function importGlueCommand(options: GlueImportOptions, io: CliIo): Promise<ExitCode> {
  const { database, table } = parseGlueTableName(options.glue);
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (region !== undefined && !ALL_AWS_REGIONS.has(region)) throw new UsageError(`'${region}' is not an AWS region, such as eu-west-1`);
  const out = options.out === undefined ? undefined : resolve(io.cwd, options.out);
  if (out && existsSync(out) && !options.force) throw new UsageError(`${options.out} exists; pass --force to overwrite it`);
  let described: GlueApiTable;
  try {
    described = await readGlueTable(database, table, { region, endpoint: options.endpointUrl });
  } catch (error) {
    if (!(error instanceof GlueReadError)) throw error;
    io.err(`error: ${error.message}\n`);
    return 1;
  }
  const skeleton = glueContractSkeleton({ database, table: described, id: options.id });
  for (const problem of skeleton.unmapped) io.err(`warning: ${problem}\n`);
  if (!out) {
    io.out(skeleton.text);
    return 0;
  }
  writeFileSync(out, skeleton.text);
  const shown = relative(io.cwd, out);
  io.out(`wrote ${shown}: ${skeleton.columns} columns, ${skeleton.partitionKeys} partition keys, from Glue table ${database}.${table}\nnext: fill in the # TODO fields, then tessera validate ${shown}\n`);
  return 0;
}

interface Connection {
  readonly region?: string;
  readonly endpoint?: string;
}

/** GetTable, with its failures turned into GlueReadError. */
async function readGlueTable(database: string, table: string, connection: Connection): Promise<GlueApiTable> {
  const { GlueClient, GetTableCommand } = await import('@aws-sdk/client-glue');
  const endpoint = connection.endpoint ?? process.env.AWS_ENDPOINT_URL;
  // Two attempts: a wrong endpoint should fail in seconds, not after the SDK's default backoff.
  const client = new GlueClient({ region: connection.region, maxAttempts: 2, ...(connection.endpoint ? { endpoint: connection.endpoint } : {}) });
  try {
    const answer = await client.send(new GetTableCommand({ DatabaseName: database, Name: table }));
    if (!answer.Table) throw new GlueReadError(`Glue answered GetTable for ${database}.${table} without a table`);
    return answer.Table;
  } catch (error) {
    throw glueReadError(error, `${database}.${table}`, endpoint);
  } finally {
    client.destroy();
  }
}

type SdkError = Error & { code?: string; $metadata?: { httpStatusCode?: number } };

/**
 * GetTable's documented errors name the missing entity ("Database x not found", "Table y not found"):
 * https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-catalog-tables.html#aws-glue-api-catalog-tables-GetTable
 */
function glueReadError(error: unknown, name: string, endpoint: string | undefined): Error {
  if (error instanceof GlueReadError) return error;
  const e = error as SdkError;
  const where = endpoint ? ` at ${endpoint}` : '';
  if (e.name === 'EntityNotFoundException') return new GlueReadError(`no Glue table ${name}${where}: ${e.message}`);
  if (e.name === 'AccessDeniedException') return new GlueReadError(`not allowed to read Glue table ${name}: ${e.message} (the caller needs glue:GetTable)`);
  if (e.name === 'CredentialsProviderError') return new GlueReadError(`no AWS credentials to read Glue table ${name}: ${e.message}`);
  if (/region is missing/i.test(e.message ?? '')) return new UsageError('--region is needed: neither it nor AWS_REGION is set');
  if (e.$metadata?.httpStatusCode === undefined) {
    // No HTTP answer: a network failure (ECONNREFUSED, ENOTFOUND, a timeout), or a bug of ours.
    if (e.code === undefined && e.name !== 'TimeoutError') return e;
    return new GlueReadError(`cannot reach the Glue API${where || ' of the region'} to read ${name}: ${e.code ?? e.name}: ${e.message}`);
  }
  return new GlueReadError(`Glue refused GetTable for ${name}${where}: ${e.name}: ${e.message}`);
}
