import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadMeshFile } from '../../lib/mesh/load.js';

const meshDir = join(import.meta.dirname, '../../mesh');
const original = readFileSync(join(meshDir, 'mesh.yaml'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-mesh-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A copy of the example mesh whose config (and optionally one contract) is changed. */
function variant(edit: (text: string) => string, contractEdit?: { file: string; edit: (text: string) => string }): string {
  const dir = join(scratch, String(counter++));
  cpSync(meshDir, dir, { recursive: true, filter: (src) => !src.includes('generator') });
  const text = edit(original);
  if (!contractEdit) expect(text, 'the edit must change the config').not.toBe(original);
  writeFileSync(join(dir, 'mesh.yaml'), text);
  if (contractEdit) {
    const path = join(dir, contractEdit.file);
    writeFileSync(path, contractEdit.edit(readFileSync(path, 'utf8')));
  }
  return join(dir, 'mesh.yaml');
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test setup: '${from}' is not in the mesh config`);
  return text.replace(from, to);
}

function lineOf(text: string, needle: string, occurrence = 1): number {
  let index = -1;
  for (let i = 0; i < occurrence; i++) index = text.indexOf(needle, index + 1);
  return text.slice(0, index).split('\n').length;
}

describe('the example mesh', () => {
  it('loads with every product and no findings', async () => {
    const result = await loadMeshFile(join(meshDir, 'mesh.yaml'));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    const mesh = result.mesh!;
    expect(mesh.config.domains.map((d) => d.name)).toEqual(['customer', 'orders', 'inventory', 'shipping']);
    expect(mesh.products.length).toBeGreaterThanOrEqual(5);
    for (const product of mesh.products) expect(product.contract.domain).toBe(product.domain);
    const accounts = new Set([mesh.config.governance.account, ...mesh.config.domains.map((d) => d.account)]);
    expect(accounts.size).toBe(5);
  });

  it('marks customer e-mail and phone as restricted', async () => {
    const { mesh } = await loadMeshFile(join(meshDir, 'mesh.yaml'));
    const profiles = mesh!.products.find((p) => p.domain === 'customer')!.contract.tables[0]!;
    for (const name of ['email', 'phone']) {
      expect(profiles.columns.find((c) => c.name === name)?.classification).toBe('restricted');
    }
  });

  it('gives every product quality rules, a latency and a retention SLA, owners and support', async () => {
    const { mesh } = await loadMeshFile(join(meshDir, 'mesh.yaml'));
    for (const { contract } of mesh!.products) {
      const rules = contract.tables.flatMap((t) => [...t.quality, ...t.columns.flatMap((c) => c.quality)]);
      expect(rules.length, contract.id).toBeGreaterThan(0);
      expect(contract.sla.map((s) => s.property), contract.id).toEqual(expect.arrayContaining(['latency', 'retention']));
      expect(contract.owners.length, contract.id).toBeGreaterThan(0);
      expect(contract.support.length, contract.id).toBeGreaterThan(0);
    }
  });
});

describe('mesh config errors', () => {
  it.each([
    {
      name: 'an account YAML reads as a number',
      edit: (t: string) => replaceOnce(t, 'account: "222222222222"', 'account: 022222222222'),
      line: (t: string) => lineOf(t, '022222222222'),
      code: 'mesh-schema',
      text: 'quote it',
    },
    {
      name: 'a role Tessera should create in another account than the governance account',
      edit: (t: string) => replaceOnce(t, 'role: arn:aws:iam::111111111111:role/TesseraSupplyChain\n    createRole: true', 'role: arn:aws:iam::444444444444:role/TesseraSupplyChain\n    createRole: true'),
      line: (t: string) => lineOf(t, 'createRole: true', 3),
      code: 'created-role-account',
      text: 'only in the governance account 111111111111',
    },
    {
      name: 'two consumers asking Tessera to create one role',
      edit: (t: string) => replaceOnce(t, 'role: arn:aws:iam::111111111111:role/TesseraSupplyChain', 'role: arn:aws:iam::111111111111:role/TesseraCustomerService'),
      line: (t: string) => lineOf(t, 'createRole: true', 3),
      code: 'created-role-twice',
      text: "consumers 'customer-service' and 'supply-chain' both ask Tessera to create",
    },
    {
      name: 'a data lake admin that Tessera should create',
      edit: (t: string) => replaceOnce(t, 'role: arn:aws:iam::111111111111:role/TesseraAnalyst', 'role: arn:aws:iam::111111111111:role/TesseraDataLakeAdmin'),
      line: (t: string) => lineOf(t, 'createRole: true', 1),
      code: 'created-role-is-admin',
      text: 'the foundation stack sets before the governance stack could create it',
    },
    {
      name: 'an account with 11 digits',
      edit: (t: string) => replaceOnce(t, 'account: "333333333333"', 'account: "33333333333"'),
      line: (t: string) => lineOf(t, '"33333333333"'),
      code: 'mesh-schema',
      text: '12-digit AWS account id',
    },
    {
      name: 'a misspelt field',
      edit: (t: string) => replaceOnce(t, 'region: eu-west-1', 'regoin: eu-west-1'),
      line: (t: string) => lineOf(t, 'regoin'),
      code: 'mesh-schema',
      text: "unknown field 'regoin'",
    },
    {
      name: 'a bad region',
      edit: (t: string) => replaceOnce(t, 'region: eu-west-1', 'region: europe'),
      line: (t: string) => lineOf(t, 'europe'),
      code: 'mesh-schema',
      text: 'AWS region',
    },
    {
      name: 'a consumer role that is a user ARN',
      edit: (t: string) => replaceOnce(t, 'role/TesseraAnalyst', 'user/alice'),
      line: (t: string) => lineOf(t, 'user/alice'),
      code: 'mesh-schema',
      text: 'IAM role ARN',
    },
    {
      name: 'a grant to an undeclared domain',
      edit: (t: string) => replaceOnce(t, 'domains: [customer]', 'domains: [customers]'),
      line: (t: string) => lineOf(t, '[customers]'),
      code: 'unknown-domain',
      text: "domain 'customers'",
    },
    {
      name: 'a grant of an unknown classification',
      edit: (t: string) => replaceOnce(t, 'classifications: [public, internal]', 'classifications: [public, secret]'),
      line: (t: string) => lineOf(t, '[public, secret]'),
      code: 'unknown-classification',
      text: "classification 'secret'",
    },
    {
      name: 'a federated source classified outside the ontology',
      edit: (t: string) => replaceOnce(t, 'classification: internal', 'classification: secret'),
      line: (t: string) => lineOf(t, 'classification: secret'),
      code: 'unknown-classification',
      text: "federated source 'live_stock' is classified 'secret'",
    },
    {
      name: 'a product file that does not exist',
      edit: (t: string) => replaceOnce(t, 'customer/customer-profiles.odcs.yaml', 'customer/customers.odcs.yaml'),
      line: (t: string) => lineOf(t, 'customer/customers.odcs.yaml'),
      code: 'missing-product',
      text: 'file not found',
    },
    {
      name: 'a domain declared twice',
      edit: (t: string) => replaceOnce(t, '  - name: shipping\n', '  - name: orders\n'),
      line: (t: string) => lineOf(t, '  - name: orders\n', 2),
      code: 'duplicate-domain',
      text: "domain 'orders' is declared twice",
    },
    {
      name: 'a data lake admin outside the governance account',
      edit: (t: string) => replaceOnce(t, 'arn:aws:iam::111111111111:role/TesseraDataLakeAdmin', 'arn:aws:iam::999999999999:role/TesseraDataLakeAdmin'),
      line: (t: string) => lineOf(t, '999999999999'),
      code: 'foreign-admin',
      text: 'not the governance account',
    },
  ])('$name', async ({ edit, line, code, text }) => {
    const file = variant(edit);
    const config = readFileSync(file, 'utf8');
    const result = await loadMeshFile(file);
    expect(result.mesh).toBeUndefined();
    const found = result.diagnostics.find((d) => d.code === code && d.file === file && `${d.message} ${d.fix ?? ''}`.includes(text));
    expect(found, result.diagnostics.map(formatDiagnostic).join('\n')).toBeDefined();
    expect(found!.position?.line).toBe(line(config));
  });

  it('rejects a contract listed under another domain than its own', async () => {
    const file = variant((t) => t.replace('      - orders/order-lines.odcs.yaml\n', '').replace('      - shipping/shipments.odps.yaml\n', '      - shipping/shipments.odps.yaml\n      - orders/order-lines.odcs.yaml\n'));
    const result = await loadMeshFile(file);
    const found = result.diagnostics.find((d) => d.code === 'domain-mismatch');
    expect(found?.file).toMatch(/order-lines\.odcs\.yaml$/);
    expect(found?.message).toContain("mesh lists it under domain 'shipping'");
  });

  it('rejects two contracts with the same id', async () => {
    const file = variant((t) => t, { file: 'orders/order-lines.odcs.yaml', edit: (t) => t.replace(/^id: .*$/m, 'id: orders') });
    const result = await loadMeshFile(file);
    expect(result.diagnostics.find((d) => d.code === 'duplicate-product')?.message).toContain("product id 'orders'");
  });

  it('rejects two products of a domain with the same table name (one Glue database per domain)', async () => {
    const file = variant((t) => t, {
      file: 'orders/order-lines.odcs.yaml',
      edit: (t) => t.replace(/^(\s+- name: )order_lines$/m, '$1orders').replaceAll('order_lines.', 'orders.'),
    });
    const result = await loadMeshFile(file);
    const found = result.diagnostics.find((d) => d.code === 'duplicate-table-in-domain');
    expect(found?.message).toContain("table 'orders' of product 'order-lines' is also a table of product 'orders'");
  });

  it("validates contracts with the mesh's own ontology", async () => {
    const file = variant((t) => t.replace('classifications: [public, internal, confidential, restricted]', 'classifications: [public, internal, confidential]'));
    const result = await loadMeshFile(file);
    const codes = new Set(result.diagnostics.map((d) => d.code));
    expect(codes.has('unknown-classification')).toBe(true);
  });

  it('reports contract errors with the contract file and line', async () => {
    const file = variant((t) => t, { file: 'inventory/stock-levels.odcs.yaml', edit: (t) => t.replace(/^version: .*$/m, 'version: banana') });
    const result = await loadMeshFile(file);
    const found = result.diagnostics.find((d) => d.code === 'version-not-semver');
    expect(found?.file).toMatch(/stock-levels\.odcs\.yaml$/);
    expect(found?.position?.line).toBe(lineOf(readFileSync(found!.file, 'utf8'), 'version: banana'));
  });
});
