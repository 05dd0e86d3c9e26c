/**
 * How long loading and validating contracts takes, against the floor of parsing the same YAML.
 * Figures are printed; nothing is asserted. Run: npm run bench
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadContract } from '../lib/contract/load.js';
import { loadMeshFile } from '../lib/mesh/load.js';
import { measure, printTable } from './stats.js';

const root = join(import.meta.dirname, '..');

export async function benchContractValidation(): Promise<void> {
  const exampleDir = join(root, 'test/fixtures/odcs-examples');
  const contracts = readdirSync(exampleDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ file: f, text: readFileSync(join(exampleDir, f), 'utf8') }));
  // A large product: the widgets fixture with 400 columns (a wide fact table).
  const widgets = readFileSync(join(root, 'test/fixtures/contracts/valid/widgets.odcs.yaml'), 'utf8');
  const extra = Array.from({ length: 400 }, (_, i) => `      - name: metric_${i}\n        logicalType: number\n        physicalType: decimal(18,4)\n        classification: internal\n        quality:\n          - metric: nullValues\n            mustBe: 0\n`).join('');
  const wide = widgets.replace('      - name: created_at\n', `${extra}      - name: created_at\n`);

  const parseOnly = await measure('YAML parse only (18 official examples)', () => {
    for (const c of contracts) parseDocument(c.text);
  });
  const full = await measure('load + validate (18 official examples)', () => {
    for (const c of contracts) loadContract(c.text, c.file, { profile: 'odcs' });
  });
  printTable('Contract validation: 18 official ODCS examples per run', [parseOnly, full], parseOnly, { per: contracts.length, label: 'contract' });

  const wideParse = await measure('YAML parse only (406-column contract)', () => parseDocument(wide));
  const wideFull = await measure('load + validate (406-column contract)', () => loadContract(wide, 'wide.odcs.yaml'));
  printTable('A wide contract: 406 columns, 401 quality rules', [wideParse, wideFull], wideParse);

  const mesh = await measure('load the example mesh (config + 5 contracts)', () => loadMeshFile(join(root, 'mesh/mesh.yaml')), { runs: 11 });
  printTable('The example mesh, from disk', [mesh]);
}
