/**
 * `npm run demo`: the example mesh end to end on this machine, with no AWS account.
 *   1. writes deterministic sample data (Parquet, Hive partitions) for every product;
 *   2. validates the mesh config and every contract, exactly as `tessera validate mesh/` does;
 *   3. runs every product's quality checks on that data with DuckDB (`tessera test`);
 *   4. runs a cross-product query locally (`tessera query --local`);
 *   5. prints who can read what (`tessera access matrix`), one view column's lineage (`tessera lineage`)
 *      and who a column removal would break (`tessera diff --mesh`);
 *   6. publishes every product into a local catalog (the catalog handlers over moto) and shows a
 *      search and a product page (`tessera catalog search|show --local`);
 *   7. asks for access, approves it as the product's owner and revokes it, on the local catalog's
 *      Lake Formation (`tessera access request|approve|drift|revoke --local`), then lets a one-hour
 *      request expire with the clock moved on;
 *   8. synthesizes the CDK app (a stack per domain and the governance stack) through the gates.
 */
import './local/stdout-pipe.js';
import './local/node-warnings.js';
import './local/handler-logs.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildMeshApp } from '../constructs/mesh-app.js';
import { loadMeshFile } from '../lib/mesh/load.js';
import { generateSampleData } from '../mesh/generator/generate.js';
import { runCli } from './cli/program.js';
import { CROSS_PRODUCT_QUERY, VIEW_QUERY } from './demo-queries.js';
import { compatibilityProblems } from './synth-gate.js';
import { renderProduct, renderSearch } from './cli/catalog.js';
import { renderReport } from './cli/quality-test.js';
import type { QualityReport } from '../lib/quality/run.js';
import { openLocalCatalog } from './local/catalog.js';
import { LOCAL_STATE } from './cli/access-requests.js';
import { demoAccessExpiry } from './local/access-expiry-demo.js';
import type { ProductDetail, SearchResponse, VersionList } from '../lib/catalog/api-schema.js';

const root = join(import.meta.dirname, '..');
const outDir = join(root, '.tessera', 'sample-data');
const asOf = process.env.TESSERA_AS_OF ?? new Date().toISOString().slice(0, 10);

console.log(`== 1. Sample data for the example mesh (as of ${asOf})`);
const started = Date.now();
const manifest = await generateSampleData({ meshDir: join(root, 'mesh'), outDir, asOf });
const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
const files = manifest.tables.reduce((n, t) => n + t.files.length, 0);
for (const t of manifest.tables) {
  const partitions = t.partitionKeys.length > 0 ? `partitioned by ${t.partitionKeys.join(', ')}` : 'unpartitioned';
  console.log(`   ${`${t.domain}.${t.table}`.padEnd(28)} ${String(t.rows).padStart(7)} rows  ${String(t.files.length).padStart(3)} files  ${partitions}`);
}
console.log(`   ${rows} rows in ${files} Parquet files under ${relative(process.cwd(), outDir) || outDir} (${Date.now() - started} ms), window ${manifest.window.from} .. ${manifest.window.to}`);
console.log('   Deliberate defects, for the quality checks to find:');
for (const d of manifest.defects) {
  console.log(`   - ${d.kind.padEnd(16)} ${`${d.table}${d.column ? `.${d.column}` : ''}`.padEnd(30)} ${String(d.count).padStart(3)}  ${d.description}`);
}

console.log('\n== 2. Validate the mesh config and every contract (tessera validate mesh/)');
const code = await runCli(['validate', join(root, 'mesh')]);
process.exitCode = code;
if (code !== 0) process.exit(code);

console.log('\n== 3. Quality checks on the sample data (tessera test <contract> --data .tessera/sample-data)');
const { mesh: loaded } = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
// The reports also go to the local catalog in step 6, as the quality service's events would.
const qualityReports: QualityReport[] = [];
for (const product of loaded!.products) {
  let json = '';
  let err = '';
  const testCode = await runCli(['test', product.file, '--data', outDir, '--json'], { out: (t) => (json += t), err: (t) => (err += t), cwd: process.cwd() });
  if (err !== '') {
    console.log(err);
    process.exit(1);
  }
  const report = JSON.parse(json) as QualityReport;
  qualityReports.push(report);
  const out = renderReport(report, false);
  const failing = out.split('\n').filter((l) => / (FAIL|ERROR)$/.test(l));
  const summary = out.split('\n').filter((l) => /passed, .* failed|rows scanned/.test(l));
  console.log(`   ${product.contract.id.padEnd(18)} exit ${testCode}  ${summary.join('; ')}`);
  for (const l of failing) console.log(`      ${l.replace(/\s{2,}/g, '  ')}`);
}
console.log('   Every failure above is one of the deliberate defects listed in step 1.');

console.log('\n== 4. A cross-product query, locally: stock per warehouse (inventory) next to parcels shipped (shipping), no copies');
const crossProduct = CROSS_PRODUCT_QUERY;
console.log(`   tessera query --local "${crossProduct.slice(0, 90)}..."`);
{
  let out = '';
  await runCli(['query', '--local', crossProduct, '--data', outDir, '--mesh', join(root, 'mesh')], { out: (t) => (out += t), err: (t) => (out += t), cwd: process.cwd() });
  for (const line of out.trimEnd().split('\n')) console.log(`   ${line}`);
}
const viewQuery = VIEW_QUERY;
console.log(`\n   The same through a mesh view (mesh.yaml \`views:\`, an Athena view when deployed):\n   tessera query --local "${viewQuery}"`);
{
  let out = '';
  await runCli(['query', '--local', viewQuery, '--data', outDir, '--mesh', join(root, 'mesh')], { out: (t) => (out += t), err: (t) => (out += t), cwd: process.cwd() });
  for (const line of out.trimEnd().split('\n')) console.log(`   ${line}`);
}

console.log('\n== 5. Who can read what (tessera access matrix mesh/) and lineage (tessera lineage), computed offline from mesh.yaml, the contracts and the views\' SQL');
{
  let out = '';
  await runCli(['access', 'matrix', join(root, 'mesh')], { out: (t) => (out += t), err: (t) => (out += t), cwd: process.cwd() });
  for (const line of out.trimEnd().split('\n')) console.log(`   ${line}`);
}
{
  // Lineage, from the views' SQL: one view column's inputs, then who a column removal would break.
  const show = async (argv: string[], only?: (line: string) => boolean): Promise<void> => {
    let out = '';
    await runCli(argv, { out: (t) => (out += t), err: (t) => (out += t), cwd: root });
    for (const line of out.trimEnd().split('\n').filter(only ?? (() => true))) console.log(`   ${line}`);
  };
  console.log('\n   Column lineage of a view column (tessera lineage ecommerce_views.stock_cover.stock_value --up)');
  await show(['lineage', 'ecommerce_views.stock_cover.stock_value', '--up']);
  const scratch = mkdtempSync(join(tmpdir(), 'tessera-demo-'));
  try {
    const original = readFileSync(join(root, 'mesh', 'orders', 'order-lines.odcs.yaml'), 'utf8');
    const removed = original.replace(/ {6}- name: quantity\n( {8}.*\n)+?(?= {6}- name: )/, '');
    writeFileSync(join(scratch, 'order-lines.odcs.yaml'), removed);
    console.log('\n   Impact of removing order_lines.quantity (tessera diff --mesh mesh/ mesh/orders/order-lines.odcs.yaml <copy without quantity>)');
    let inBreaking = false;
    await show(['diff', '--mesh', 'mesh', 'mesh/orders/order-lines.odcs.yaml', join(scratch, 'order-lines.odcs.yaml')], (line) => {
      if (/^(breaking|warning|compatible) \(/.test(line)) inBreaking = line.startsWith('breaking');
      return inBreaking || line.startsWith('verdict');
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

console.log('\n== 6. The catalog: every product published into a local catalog (the catalog\'s own Lambda handlers over a local moto server)');
{
  const run = await openLocalCatalog(loaded!, { qualityReports });
  try {
    console.log(`   ${run.published} ContractPublished events ingested (contracts read from S3 by location and sha256), ${run.qualityRuns} quality runs reported; ${Math.round(run.elapsedMs)} ms`);
    const search = await run.catalog.get<SearchResponse>('/products?q=shipmnts');
    console.log('   tessera catalog search --local shipmnts      (a typo on purpose)');
    for (const line of renderSearch('shipmnts', search.body).trimEnd().split('\n')) console.log(`   ${line}`);
    const detail = await run.catalog.get<ProductDetail>('/products/stock-levels');
    const versions = await run.catalog.get<VersionList>('/products/stock-levels/versions');
    console.log('\n   tessera catalog show --local stock-levels');
    for (const line of renderProduct(detail.body, versions.body).trimEnd().split('\n')) console.log(`   ${line}`);
    console.log('\n   To browse the same catalog in a web browser: npm run tessera -- catalog serve --local   (prints its URL; Ctrl+C stops it)');
  } finally {
    await run.close();
  }
}

console.log('\n== 7. Access requests: ask, approve as the owner, the grant in Lake Formation, revoke (tessera access ... --local)');
{
  // Each command is a run of its own over a fresh moto server, the state carried between runs in
  // .tessera/access-requests.moto.jsonl; the demo starts it afresh.
  rmSync(join(root, LOCAL_STATE), { force: true });
  const analyst = 'arn:aws:sts::111111111111:assumed-role/TesseraAnalyst/bob';
  const owner = 'arn:aws:sts::555555555555:assumed-role/AWSReservedSSO_DataOwner_0123456789abcdef/kwame.mensah';
  const admin = 'arn:aws:sts::111111111111:assumed-role/TesseraDataLakeAdmin/ops';
  const access = async (as: string, ...argv: string[]): Promise<string> => {
    let out = '';
    console.log(`   tessera access ${argv.join(' ')} --local --as ${as.replace(/^.*\//, '…/')}`);
    const exit = await runCli(['access', ...argv, '--local', '--as', as, '--mesh', join(root, 'mesh')], { out: (t) => (out += t), err: (t) => (out += t), cwd: root });
    for (const line of out.trimEnd().split('\n')) console.log(`      ${line}`);
    if (exit !== 0) process.exit(exit);
    return out;
  };
  const asked = await access(analyst, 'request', 'shipments', '--columns', 'shipment_id,carrier', '--reason', 'carrier performance review', '--duration', '14d');
  const id = /^(ar-[0-9a-f]+) /m.exec(asked)?.[1];
  if (!id) throw new Error(`the demo's access request printed no id:\n${asked}`);
  await access(owner, 'approve', id);
  await access(admin, 'drift');
  await access(admin, 'revoke', id);
  console.log('   At the end of its duration a one-time EventBridge Scheduler schedule revokes a grant the same way;');
  console.log('   here with the clock moved on past a one-hour request:');
  await demoAccessExpiry(loaded!, 'shipments', ['shipment_id', 'carrier'], { requester: analyst, owner, role: 'arn:aws:iam::111111111111:role/TesseraAnalyst' }, (line) => console.log(`      ${line}`));
}

console.log('\n== 8. Synthesize the mesh: a foundation stack, one stack per domain, the governance stack (cdk synth, no AWS credentials)');
const synthStarted = Date.now();
const mesh = loaded;
const problems = await compatibilityProblems(mesh!);
if (problems.length > 0) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log('   every contract is compatible with its locked version (mesh/contracts.lock.json)');
const context = (JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const app = new App({ outdir: join(root, '.tessera', 'cdk.out'), context });
const { foundation, domains, governance } = buildMeshApp(app, mesh!);
const assembly = app.synth();
const synthMs = Date.now() - synthStarted;
{
  const resources = Object.keys((assembly.getStackByName(foundation.stackName).template as { Resources: Record<string, unknown> }).Resources).length;
  console.log(`   ${foundation.stackName.padEnd(30)} account ${foundation.account}  ${String(resources).padStart(3)} resources  central bus, catalog inbox, Lake Formation settings (deploys first)`);
}
{
  const template = assembly.getStackByName(governance.stackName).template as { Resources: Record<string, { Type: string }> };
  const links = governance.resourceLinks.size;
  const views = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Glue::Table').length;
  const federated = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Athena::DataCatalog').length;
  console.log(`   ${governance.stackName.padEnd(30)} account ${governance.account}  ${String(Object.keys(template.Resources).length).padStart(3)} resources  ${links} resource links, ${views} views, ${federated} federated catalog, catalog API, analyst workgroup (deploys last)`);
}
for (const stack of domains.values()) {
  const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string }> };
  const resources = Object.values(template.Resources);
  const tables = resources.filter((r) => r.Type === 'AWS::Glue::Table').length;
  const products = [...stack.products.keys()].join(', ');
  console.log(`   ${stack.stackName.padEnd(30)} account ${stack.account}  ${String(resources.length).padStart(3)} resources  ${tables} tables  products: ${products}`);
}
console.log(`   cdk-nag (AwsSolutions, NIST 800-53 r5, HIPAA, PCI DSS 3.2.1): no unacknowledged findings; synthesized in ${synthMs} ms to ${relative(process.cwd(), assembly.directory)}`);
