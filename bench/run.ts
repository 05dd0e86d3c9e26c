/**
 * Runs the benchmarks and prints their figures: `npm run bench` (all) or `npm run bench -- <name>`
 * with name contract | quality | search | catalog-api | catalog-scale | lambda-bundles | cli | web | synth | governance-template.
 */
import { benchCatalogApi } from './catalog-api.js';
import { benchCli } from './cli.js';
import { benchCatalogScale } from './catalog-scale.js';
import { benchCatalogSearch } from './catalog-search.js';
import { benchContractValidation } from './contract-validation.js';
import { benchGovernanceTemplate } from './governance-template.js';
import { benchLambdaBundles } from './lambda-bundles.js';
import { benchQuality } from './quality.js';
import { benchSynth } from './synth.js';
import { benchWebCatalog } from './web-catalog.js';

const benches: Record<string, () => Promise<void>> = {
  contract: benchContractValidation,
  quality: benchQuality,
  search: benchCatalogSearch,
  'catalog-api': benchCatalogApi,
  'catalog-scale': benchCatalogScale,
  'lambda-bundles': benchLambdaBundles,
  cli: benchCli,
  web: benchWebCatalog,
  synth: benchSynth,
  'governance-template': benchGovernanceTemplate,
};
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
console.log(`tessera benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) await benches[name]!();
