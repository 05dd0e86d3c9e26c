/**
 * Generates the example mesh's sample data.
 *
 *   npx tsx mesh/generator/cli.ts --out .tessera/sample-data --as-of 2026-11-25
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_DAYS, DEFAULT_SCALE, DEFAULT_SEED, generateSampleData } from './generate.js';
import { tryParseIsoDate } from './calendar.js';

const USAGE = `usage: tsx mesh/generator/cli.ts [options]

  --out <dir>      output folder                      (default: .tessera/sample-data)
  --as-of <date>   YYYY-MM-DD the data is as of       (default: today, UTC)
  --seed <n>       random seed                        (default: ${DEFAULT_SEED})
  --scale <x>      row-count multiplier               (default: ${DEFAULT_SCALE})
  --days <n>       days of orders, stock, shipments   (default: ${DEFAULT_DAYS})
  --mesh <dir>     folder holding mesh.yaml           (default: this example mesh)
  -h, --help       show this help`;

async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string', default: '.tessera/sample-data' },
        'as-of': { type: 'string' },
        seed: { type: 'string' },
        scale: { type: 'string' },
        days: { type: 'string' },
        mesh: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }

  // The only clock read of the generator: the default as-of day.
  const asOf = values['as-of'] ?? new Date().toISOString().slice(0, 10);
  if (tryParseIsoDate(asOf) === undefined) {
    console.error(`error: --as-of '${asOf}' is not a date; expected YYYY-MM-DD, e.g. --as-of 2026-11-25`);
    return 2;
  }
  const seed = parseNumber('--seed', values.seed);
  const scale = parseNumber('--scale', values.scale);
  const days = parseNumber('--days', values.days);
  if (seed === null || scale === null || days === null) return 2;

  const meshDir = path.resolve(values.mesh ?? path.dirname(path.dirname(fileURLToPath(import.meta.url))));
  const outDir = path.resolve(values.out);
  const started = performance.now();
  const manifest = await generateSampleData({ meshDir, outDir, asOf, seed, scale, days });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const o = manifest.options;
  console.log(
    `sample data for mesh '${manifest.mesh}' as of ${o.asOf} (${manifest.window.from} .. ${manifest.window.to}, ` +
      `seed ${o.seed}, scale ${o.scale}) in ${outDir}`,
  );
  const width = Math.max(...manifest.tables.map((t) => `${t.domain}/${t.table}`.length));
  for (const t of manifest.tables) {
    console.log(`  ${`${t.domain}/${t.table}`.padEnd(width)}  ${String(t.rows).padStart(8)} rows  ${String(t.files.length).padStart(4)} files`);
  }
  const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
  const files = manifest.tables.reduce((sum, t) => sum + t.files.length, 0);
  console.log(`  ${manifest.tables.length} tables, ${rows} rows, ${files} files in ${seconds} s`);
  console.log(`deliberate defects (${manifest.defects.length}):`);
  for (const d of manifest.defects) {
    console.log(`  ${d.kind.padEnd(15)} ${d.product} ${d.table}${d.column ? `.${d.column}` : ''}: ${d.count}`);
  }
  console.log(`manifest: ${path.join(outDir, 'manifest.json')}`);
  return 0;
}

/** undefined when absent, null (after printing why) when not a number. */
function parseNumber(flag: string, text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    console.error(`error: ${flag} '${text}' is not a number`);
    return null;
  }
  return value;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
