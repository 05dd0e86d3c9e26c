/** `tessera catalog search|show|serve`: the catalog API, or a local catalog. */
import type { Command } from 'commander';
import type { CatalogOptions, CatalogSearchOptions } from '../catalog.js';
import type { CatalogServeOptions } from '../catalog-serve.js';
import { wholeNumber } from '../options.js';
import type { CliIo, ExitCode } from '../io.js';

export function registerCatalog(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const catalog = program
    .command('catalog')
    .summary('search the catalog of data products and show one: the deployed catalog API, or the example mesh with --local')
    .description(
      'Find data products and see whether you can trust them and how to query them. By default the deployed ' +
        "catalog API answers (requests signed with SigV4 and your AWS credentials; the endpoint from --endpoint or " +
        "the CatalogApiUrl output of the stack tessera-<mesh>-governance). With --local, Tessera's own catalog " +
        'handlers run over a local moto server: the mesh is published into it, and when local sample data exists ' +
        'its quality is measured on DuckDB and reported, so the trust signals are real.',
    );
  const remoteOptions = (command: Command): Command =>
    command
      .option('--local', 'the example mesh in a local catalog (no AWS account)')
      .option('--endpoint <url>', 'the catalog API base URL (default: the CatalogApiUrl stack output)')
      .option('--region <region>', "the API's region (default: from the endpoint, else the mesh's)")
      .option('--mesh <dir>', 'the folder holding mesh.yaml', 'mesh')
      .option('--data <path>', 'sample data to measure quality on (with --local)', '.tessera/sample-data')
      .option('--json', 'the API response as JSON');
  remoteOptions(
    catalog
      .command('search')
      .summary('search products by name, tag, table, column, owner or description; small typos are fine')
      .argument('[words...]', 'what to look for; leave out to list every product')
      .option('--domain <domain>', 'only products of this domain')
      .option('--tag <tag>', 'only products with this tag')
      .option('--classification <class>', 'only products with a column of this classification')
      .option('--owner <owner>', 'only products of this team or owner')
      .option('--limit <n>', 'products per page (1-100)', wholeNumber(1, 100))
      .option('--cursor <cursor>', 'the next page, as the previous page printed it')
      .addHelpText('after', '\nExamples:\n  tessera catalog search --local shipmnts\n  tessera catalog search --local stock --domain inventory\n  tessera catalog search "order lines" --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com/v1/'),
  ).action(async (words: string[], options: CatalogSearchOptions) => {
    const { catalogSearchCommand } = await import('../catalog.js');
    setExit(await catalogSearchCommand(words, options, io));
  });
  remoteOptions(
    catalog
      .command('show')
      .summary('one product: schema and classifications, owners, SLAs, trust, quality and freshness, how to query it and who can read it, versions')
      .argument('<product>', 'the product id, e.g. order-lines')
      .addHelpText('after', '\nExamples:\n  tessera catalog show --local stock-levels\n  tessera catalog show order-lines --json'),
  ).action(async (product: string, options: CatalogOptions) => {
    const { catalogShowCommand } = await import('../catalog.js');
    setExit(await catalogShowCommand(product, options, io));
  });
  catalog
    .command('serve')
    .summary('the web catalog in a browser: pages and API over the local catalog of the example mesh')
    .description(
      'Builds the same local catalog as search --local (moto plus the real catalog handlers, quality measured on the ' +
        'local sample data when it exists) and serves the web catalog (npm run build puts it in dist/web) and the API ' +
        'at /api/ on one local HTTP server. Stops on Ctrl+C (SIGINT) or SIGTERM.',
    )
    .option('--local', 'the example mesh in a local catalog (required: the deployed pages are served by CloudFront)')
    .option('--port <n>', 'the port to listen on (default: a free one)', wholeNumber(0, 65535))
    .option('--mesh <dir>', 'the folder holding mesh.yaml', 'mesh')
    .option('--data <path>', 'sample data to measure quality on', '.tessera/sample-data')
    .addHelpText('after', '\nExamples:\n  tessera catalog serve --local\n  tessera catalog serve --local --port 8080')
    .action(async (options: CatalogServeOptions) => {
      const { catalogServeCommand } = await import('../catalog-serve.js');
      setExit(await catalogServeCommand(options, io));
    });
}
