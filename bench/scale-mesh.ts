/**
 * A generated mesh for scale benchmarks and tests: `domains` domains, each in its own account, with
 * `products` products each (copies of the example mesh's shipments contract, renamed), three
 * consumers granted on every domain (`domains: ["*"]`), one view per domain and the lock, written
 * into `dir`; `productsPerStack`, when given, is set on every domain. Returns the mesh.yaml path.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLock, writeLock } from '../lib/mesh/lock.js';
import { loadMeshFile } from '../lib/mesh/load.js';
import { formatDiagnostic } from '../lib/diagnostics.js';

const TEMPLATE = join(import.meta.dirname, '..', 'mesh', 'shipping', 'shipments.odcs.yaml');
const GOVERNANCE = '100000000000';

export const scaleDomain = (i: number): string => `d${String(i + 1).padStart(3, '0')}`;

export async function writeScaleMesh(dir: string, domains: number, products: number, name = `scale${domains}`, productsPerStack?: number): Promise<string> {
  const template = readFileSync(TEMPLATE, 'utf8');
  const lines = [
    'apiVersion: tessera/v1',
    'kind: Mesh',
    `name: ${name}`,
    'description: A generated mesh for scale benchmarks.',
    'region: eu-west-1',
    'governance:',
    `  account: "${GOVERNANCE}"`,
    '  admins: []',
    'classifications: [public, internal, confidential, restricted]',
    'domains:',
  ];
  for (let i = 0; i < domains; i++) {
    const domain = scaleDomain(i);
    mkdirSync(join(dir, domain), { recursive: true });
    lines.push(`  - name: ${domain}`, `    account: "${String(200000000000 + i)}"`, `    description: Generated domain ${domain}.`, "    owner: shipping-data-team");
    if (productsPerStack !== undefined) lines.push(`    productsPerStack: ${productsPerStack}`);
    lines.push('    products:');
    for (let p = 1; p <= products; p++) {
      const id = `${domain}-p${p}`;
      const text = template.replace(/^id: shipments$/m, `id: ${id}`).replace(/^domain: shipping$/m, `domain: ${domain}`).replaceAll(/\bshipments\b/g, `p${p}`);
      writeFileSync(join(dir, domain, `${id}.odcs.yaml`), text);
      lines.push(`      - ${domain}/${id}.odcs.yaml`);
    }
  }
  lines.push('consumers:');
  const consumers: [string, string][] = [['analysts', 'public, internal'], ['planners', 'public, internal'], ['auditors', 'public, internal, confidential']];
  for (const [name, classes] of consumers) {
    lines.push(`  - name: ${name}`, `    role: arn:aws:iam::${GOVERNANCE}:role/Tessera${name}`, '    createRole: true', '    grants:', '      - domains: ["*"]', `        classifications: [${classes}]`);
  }
  lines.push('views:');
  for (let i = 0; i < domains; i++) {
    const domain = scaleDomain(i);
    lines.push(`  - name: ${domain}_daily`, `    description: Parcels per day in ${domain}.`, '    audience: [analysts]', '    sql: |', `      SELECT s.ship_date, count(*) AS parcels FROM ${domain}.p1 AS s GROUP BY s.ship_date`);
  }
  const file = join(dir, 'mesh.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const loaded = await loadMeshFile(file);
  if (!loaded.mesh) throw new Error(`the generated mesh is invalid:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  await writeLock(file, buildLock(loaded.mesh));
  return file;
}
