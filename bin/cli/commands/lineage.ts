/** `tessera lineage`: where a product, table, column or view comes from and what reads it, offline. */
import type { Command } from 'commander';
import type { CatalogLineageOptions } from '../catalog-lineage.js';
import type { LineageOptions } from '../lineage.js';
import { wholeNumber } from '../options.js';
import { UsageError, type CliIo, type ExitCode } from '../io.js';

/** How many edges a walk follows without --depth (the command's code is loaded only when it runs). */
export const DEFAULT_LINEAGE_DEPTH = 5;

export function registerLineage(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('lineage')
    .summary('where a product, table, column or view comes from, and what reads it (offline, from the mesh)')
    .description(
      'Show the lineage of one element of the mesh, offline from mesh.yaml, the contracts and the views\' SQL. ' +
        "A view column's inputs are derived from the view's SQL, as OpenLineage's column lineage facet names them: " +
        'DIRECT IDENTITY, TRANSFORMATION or AGGREGATION for what its value is computed from, INDIRECT CONDITIONAL for ' +
        'the conditions of CASE, IF and COALESCE, and at dataset level INDIRECT JOIN, FILTER, GROUP_BY, SORT and ' +
        'WINDOW for what decides the rows of the view. Products are linked by their input ports.\n\n' +
        'A target is <product>[.<table>[.<column>]] (the contract id, then physical or logical names), ' +
        '<domain database>.<table>[.<column>] as Athena names it, or <views database>.<view>[.<column>]. ' +
        'The walk stays at the grain of the target: products with products and views, tables with views, ' +
        'columns with view columns.',
    )
    .argument('<target>', 'e.g. ecommerce_views.stock_cover.stock_value, order-lines.order_lines.quantity, stock-levels')
    .option('--up', 'only upstream: what the target is derived from')
    .option('--down', 'only downstream: what reads the target')
    .option('--depth <n>', 'follow at most this many edges from the target (1 to 100)', wholeNumber(1, 100), DEFAULT_LINEAGE_DEPTH)
    .option('--json', 'print JSON: target, depth, upstream, dataset, downstream (see docs/lineage.md)')
    .option('--dot', 'print a Graphviz digraph of the edges walked (render with: dot -Tsvg)')
    .option('--mesh <path>', 'the mesh config, or the folder holding mesh.yaml', 'mesh')
    .option('--catalog', "the lineage the deployed catalog holds (GET /products/{id}/lineage), from its OpenLineage events")
    .option('--local', 'with --catalog: the local catalog of the example mesh (no AWS account); implies --catalog')
    .option('--endpoint <url>', 'with --catalog: the catalog API base URL (default: the CatalogApiUrl stack output); implies --catalog')
    .option('--region <region>', "with --catalog: the API's region (default: from the endpoint, else the mesh's)")
    .addHelpText(
      'after',
      `
Examples:
  $ tessera lineage ecommerce_views.stock_cover.stock_value      a view column's inputs and how
  $ tessera lineage order-lines.order_lines.quantity --down      the views that read a column
  $ tessera lineage stock-levels --json                           a product's lineage as JSON
  $ tessera lineage ecommerce_views.stock_cover --dot | dot -Tsvg > lineage.svg
  $ tessera lineage orders --catalog --local                      what the catalog holds (deployed: drop --local)
  $ tessera lineage order-lines.order_lines.quantity --local      a column's downstream view columns, from the catalog

Exit codes: 0 printed, 1 the mesh is invalid, 2 misuse (e.g. an unknown product, table or column).`,
    )
    .action(async (target: string, options: LineageOptions & CatalogLineageOptions & { catalog?: boolean }) => {
      if (options.catalog || options.local || options.endpoint !== undefined) {
        if (options.dot) throw new UsageError('--dot is for the offline lineage; with the catalog use --json');
        const { catalogLineageCommand } = await import('../catalog-lineage.js');
        setExit(await catalogLineageCommand(target, options, io));
        return;
      }
      const { lineageCommand } = await import('../lineage.js');
      setExit(await lineageCommand(target, options, io));
    });
}
