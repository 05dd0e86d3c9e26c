import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTessera } from '../support/cli.js';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-access-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (...argv: string[]): ReturnType<typeof runTessera> => runTessera(root, ...argv);

let counter = 0;
/** A copy of the example mesh with its config edited; returns the folder. */
function meshVariant(from: string, to: string): { dir: string; text: string } {
  const dir = join(scratch, String(counter++));
  cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
  const original = readFileSync(join(dir, 'mesh.yaml'), 'utf8');
  if (!original.includes(from)) throw new Error(`test setup: '${from}' is not in mesh.yaml`);
  // Without the views: narrowing a grant would (rightly) make a view's audience invalid, which the views' own tests cover.
  const text = original.replace(from, to).replace(/\n# Cross-product views[\s\S]*$/, '\n');
  writeFileSync(join(dir, 'mesh.yaml'), text);
  return { dir, text };
}

function lineOf(text: string, needle: string): number {
  return positionOf(text, needle).line;
}

function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`test setup: '${needle}' is not in the text`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe('tessera access explain', () => {
  it('explains a consumer table by table and column by column, naming the grant or the reason', async () => {
    const { code, out, err } = await run('access', 'explain', 'mesh/', '--principal', 'analysts');
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('consumer analysts: arn:aws:iam::111111111111:role/TesseraAnalyst (account 111111111111)');
    expect(out).toContain('  analysts#1  domains: *; classifications: public, internal\n');
    expect(out).toContain('      SELECT, DESCRIBE on tables where domain in (customer, orders, inventory, shipping) AND classification in (public, internal)\n');
    expect(lines).toContain('product customer-profiles (domain customer)');
    expect(lines).toContain('  table customer_profiles (customer.customer_profiles, tagged restricted): readable, 6 of 10 columns (analysts#1)');
    expect(lines).toContain('    yes  customer_id       internal      analysts#1');
    expect(lines).toContain("    no   email             restricted    classification 'restricted' is not granted for domain 'customer'; grants give public, internal");
    expect(lines).toContain('  table orders (orders.orders, tagged internal): readable, all 11 columns (analysts#1)');
    expect(lines).toContain('  yes  inventory  domain inventory  analysts#1');
    expect(out).not.toContain('access findings');
  });

  it('takes the role ARN instead of the name, and narrows to one product', async () => {
    const { code, out } = await run('access', 'explain', 'mesh', '--principal', 'arn:aws:iam::111111111111:role/TesseraCustomerService', '--product', 'stock-levels');
    expect(code).toBe(0);
    expect(out).toContain('consumer customer-service:');
    expect(out).toContain('  table stock_levels (inventory.stock_levels, tagged confidential): not readable: no column is, so the table is not even listed');
    expect(out).toContain("    no   unit_cost      confidential  domain 'inventory' is not in any grant; grants give customer, orders, shipping");
    expect(out).not.toContain('product orders');
    expect(out).toContain("  no   inventory  domain inventory  domain 'inventory' is not in any grant; grants give customer, orders, shipping");
  });

  it('defaults to the mesh/ folder', async () => {
    const { code, out } = await run('access', 'explain', '--principal', 'supply-chain');
    expect(code).toBe(0);
    expect(out).toContain('consumer supply-chain:');
  });

  it('prints the structure with --json', async () => {
    const { code, out } = await run('access', 'explain', 'mesh/', '--principal', 'analysts', '--product', 'customer-profiles', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      ok: boolean;
      mesh: string;
      principal: { name: string; role: string; kind: string; account: string };
      grants: { id: string; tables: { expression: unknown; permissions: string[] } }[];
      databases: { domain: string; describable: boolean }[];
      products: { product: string; domain: string; tables: { id: string; readableColumns: number; totalColumns: number; columns: { name: string; readable: boolean; allowedBy: string[]; reason?: string }[] }[] }[];
      diagnostics: unknown[];
    };
    expect(report).toMatchObject({ ok: true, mesh: 'mesh/mesh.yaml', principal: { name: 'analysts', kind: 'role', account: '111111111111' }, diagnostics: [] });
    expect(report.grants[0]).toMatchObject({ id: 'analysts#1', tables: { permissions: ['SELECT', 'DESCRIBE'] } });
    expect(report.databases).toEqual([expect.objectContaining({ domain: 'customer', describable: true })]);
    expect(report.products).toHaveLength(1);
    const table = report.products[0]!.tables[0]!;
    expect(table).toMatchObject({ id: 'customer-profiles.customer_profiles', readableColumns: 6, totalColumns: 10 });
    expect(table.columns.find((c) => c.name === 'email')).toMatchObject({ readable: false, allowedBy: [], reason: expect.stringContaining("classification 'restricted'") as unknown });
    expect(table.columns.find((c) => c.name === 'customer_id')).toMatchObject({ readable: true, allowedBy: ['analysts#1'] });
  });

  it('refuses an unknown principal as misuse, listing the known ones', async () => {
    const { code, out, err } = await run('access', 'explain', 'mesh/', '--principal', 'interns');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain("error: unknown principal 'interns': name a consumer of mesh/mesh.yaml or its role ARN; the consumers are: analysts (arn:aws:iam::111111111111:role/TesseraAnalyst), customer-service");
  });

  it('refuses an unknown product and a missing --principal as misuse', async () => {
    const product = await run('access', 'explain', 'mesh/', '--principal', 'analysts', '--product', 'invoices');
    expect(product.code).toBe(2);
    expect(product.err).toContain("unknown product 'invoices'; the mesh's products are: customer-profiles, orders, order-lines, stock-levels, shipments");
    const missing = await run('access', 'explain', 'mesh/');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option '--principal <consumer>' not specified");
  });

  it('fails with the loader\'s findings when the mesh is invalid', async () => {
    const { dir, text } = meshVariant('classifications: [public, internal]\n', 'classifications: [public, secret]\n');
    const { code, out } = await run('access', 'explain', dir, '--principal', 'analysts');
    expect(code).toBe(1);
    expect(out).toContain(`mesh.yaml:${lineOf(text, 'secret')}:`);
    expect(out).toContain('error [unknown-classification]');
    expect(out).toMatch(/cannot explain access: the mesh .*mesh\.yaml is invalid/);
  });

  it('fails with the access findings, at their mesh.yaml line, and still explains', async () => {
    const { dir, text } = meshVariant('      - domains: ["*"]\n        classifications: [public, internal]', '      - domains: ["*"]\n        classifications: [public, internal, restricted]');
    const { code, out } = await run('access', 'explain', dir, '--principal', 'analysts');
    expect(code).toBe(1);
    expect(out).toContain('    yes  email             restricted    analysts#1');
    expect(out).toContain('access findings (1 error, 0 warnings):');
    const star = positionOf(text, '"*"');
    expect(out).toContain(
      `mesh.yaml:${star.line}:${star.column} error [restricted-wildcard] consumers[0].grants[0].domains[0]: grant analysts#1 gives 'restricted', the most sensitive classification, on every domain (*): it exposes customer-profiles.customer_profiles.email, customer-profiles.customer_profiles.phone`,
    );
    const json = await run('access', 'explain', dir, '--principal', 'analysts', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, diagnostics: [{ code: 'restricted-wildcard', position: star }] });
  });
});

describe('tessera access matrix', () => {
  it('prints every consumer against every table', async () => {
    const { code, out } = await run('access', 'matrix', 'mesh/');
    expect(code).toBe(0);
    expect(out.split('\n').slice(0, 6)).toEqual([
      'table                                analysts  customer-service  supply-chain  shipping-pipelines',
      'customer-profiles.customer_profiles  6 of 10   all               none          none',
      'orders.orders                        all       all               all           all',
      'order-lines.order_lines              all       all               all           all',
      'stock-levels.stock_levels            7 of 8    none              all           none',
      'shipments.shipments                  9 of 10   9 of 10           all           none',
    ]);
  });

  it('prints the matrix as JSON', async () => {
    const { code, out } = await run('access', 'matrix', 'mesh/mesh.yaml', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as { ok: boolean; principals: { name: string }[]; tables: { id: string; cells: Record<string, { summary: string; readableColumns: number; totalColumns: number }> }[] };
    expect(report.ok).toBe(true);
    expect(report.principals.map((p) => p.name)).toEqual(['analysts', 'customer-service', 'supply-chain', 'shipping-pipelines']);
    expect(report.tables.find((t) => t.id === 'stock-levels.stock_levels')!.cells).toEqual({
      analysts: { summary: '7 of 8', readableColumns: 7, totalColumns: 8 },
      'customer-service': { summary: 'none', readableColumns: 0, totalColumns: 8 },
      'supply-chain': { summary: 'all', readableColumns: 8, totalColumns: 8 },
      'shipping-pipelines': { summary: 'none', readableColumns: 0, totalColumns: 8 },
    });
  });

  it('fails on access findings', async () => {
    const { dir } = meshVariant('      - domains: ["*"]\n        classifications: [public, internal]', '      - domains: ["*"]\n        classifications: [restricted]');
    const { code, out } = await run('access', 'matrix', dir);
    expect(code).toBe(1);
    expect(out).toContain('error [restricted-wildcard]');
  });

  it('reports a mesh file that does not exist', async () => {
    const { code, err } = await run('access', 'matrix', 'nowhere/');
    expect(code).toBe(1);
    expect(err).toContain('error: file not found: nowhere/');
  });
});
