/**
 * Builds the web catalog (`web/` -> `dist/web/`) with Vite and checks its JavaScript budget: every
 * script the pages load, gzipped as a CDN serves it, must stay under 200 KB together. The build
 * prints the figure and fails when the budget is exceeded.
 *
 *   tsx build/web-catalog.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
export const JS_BUDGET_BYTES = 200 * 1024;

export interface BudgetReport {
  readonly files: readonly { readonly file: string; readonly bytes: number; readonly gzipBytes: number }[];
  readonly gzipBytes: number;
  readonly withinBudget: boolean;
}

/** The gzipped size of every `.js` file under `dir`, against a budget. */
export function javascriptBudget(dir: string, budgetBytes = JS_BUDGET_BYTES): BudgetReport {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js') || f.endsWith('.mjs'))
    .sort()
    .map((f) => {
      const content = readFileSync(join(dir, f));
      return { file: f, bytes: content.length, gzipBytes: gzipSync(content).length };
    });
  const gzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  return { files, gzipBytes, withinBudget: gzipBytes <= budgetBytes };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts') });
  const out = join(ROOT, 'dist', 'web');
  const report = javascriptBudget(out);
  for (const f of report.files) console.log(`web catalog: ${relative(ROOT, join(out, f.file))} ${kb(f.bytes)}, ${kb(f.gzipBytes)} gzipped`);
  console.log(`web catalog: JavaScript ${kb(report.gzipBytes)} gzipped of a ${kb(JS_BUDGET_BYTES)} budget`);
  if (!report.withinBudget) {
    console.error(`web catalog: the JavaScript budget is exceeded by ${kb(report.gzipBytes - JS_BUDGET_BYTES)}: drop a dependency or load it lazily`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
