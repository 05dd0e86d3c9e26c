import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTessera } from '../support/cli.js';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (...argv: string[]): ReturnType<typeof runTessera> => runTessera(root, ...argv);

describe('tessera validate', () => {
  it('accepts the example mesh: the config and every contract it lists, once each', async () => {
    const { code, out } = await run('validate', 'mesh/');
    expect(code).toBe(0);
    expect(out).toContain("ok   mesh/mesh.yaml — mesh 'ecommerce': 4 domains");
    expect(out.match(/mesh\/orders\/orders\.odcs\.yaml/g)).toHaveLength(1);
    expect(out).toMatch(/files checked: all valid; 0 errors/);
  });

  it('fails a broken contract with file:line:column, path, message and fix', async () => {
    const { code, out } = await run('validate', 'test/fixtures/contracts/broken/misspelt-field.odcs.yaml');
    expect(code).toBe(1);
    expect(out).toContain(
      "test/fixtures/contracts/broken/misspelt-field.odcs.yaml:40:9 error [odcs-schema] schema[0].properties[2].logicaltype: unknown field 'logicaltype'",
    );
    expect(out).toContain("fix: did you mean 'logicalType'?");
  });

  it('validates several paths and fails when any is invalid (as a data product, with --profile product)', async () => {
    const { code, out } = await run('validate', '--profile', 'product', 'test/fixtures/contracts/valid', 'test/fixtures/contracts/broken/no-owner.odcs.yaml');
    expect(code).toBe(1);
    expect(out).toContain('ok   test/fixtures/contracts/valid/widgets.odcs.yaml');
    expect(out).toContain('FAIL test/fixtures/contracts/broken/no-owner.odcs.yaml');
  });

  it('prints machine-readable findings with --json', async () => {
    const { code, out } = await run('validate', '--json', '--profile', 'product', 'test/fixtures/contracts/broken/sla-ambiguous-unit.odcs.yaml');
    expect(code).toBe(1);
    const report = JSON.parse(out) as { valid: boolean; files: { valid: boolean; diagnostics: { code: string; position: { line: number } }[] }[] };
    expect(report.valid).toBe(false);
    expect(report.files[0]!.diagnostics[0]).toMatchObject({ code: 'bad-sla-duration', position: { line: 62, column: 11 }, path: 'slaProperties[0].unit' });
  });

  it('validates the official examples under --profile odcs', async () => {
    const { code, out } = await run('validate', '--profile', 'odcs', '--no-warnings', 'test/fixtures/odcs-examples');
    expect(code).toBe(0);
    expect(out).toContain('18 files checked: all valid; 0 errors');
    expect(out).not.toContain(' warning [');
  });

  it('rejects an unknown profile as misuse', async () => {
    const { code, err } = await run('validate', '--profile', 'strict', 'mesh');
    expect(code).toBe(2);
    expect(err).toContain("Allowed choices are product, odcs");
  });

  it('reports a path that does not exist', async () => {
    const { code, out } = await run('validate', 'nowhere/contract.odcs.yaml');
    expect(code).toBe(1);
    expect(out).toContain('nowhere/contract.odcs.yaml error [file-read] (document): file not found');
  });

  it('refuses a named YAML file that is neither a contract nor a mesh', async () => {
    const file = join(scratch, 'ci.yaml');
    writeFileSync(file, 'on: push\njobs: {}\n');
    const { code, out } = await run('validate', file);
    expect(code).toBe(1);
    expect(out).toContain('neither an ODCS contract (kind: DataContract) nor a mesh config');
  });

  it('skips, and says so, unrelated YAML inside a folder', async () => {
    const dir = mkdtempSync(join(scratch, 'mixed-'));
    writeFileSync(join(dir, 'ci.yaml'), 'on: push\n');
    writeFileSync(join(dir, 'a.odcs.yaml'), 'apiVersion: v3.1.0\nkind: DataContract\nid: a\nversion: 1.0.0\nstatus: active\n');
    const { code, out } = await run('validate', dir);
    // a.odcs.yaml is valid ODCS (not yet a deployable product: that is reported, not failed).
    expect(code).toBe(0);
    expect(out).toMatch(/skipped 1 YAML file that is neither a contract nor a mesh config: .*ci\.yaml/);
  });

  it('says when a folder holds nothing to validate', async () => {
    const dir = mkdtempSync(join(scratch, 'empty-'));
    const { code, err } = await run('validate', dir);
    expect(code).toBe(2);
    expect(err).toContain('no contracts or mesh configs found');
  });
});

describe('tessera (program)', () => {
  it('prints help and exits 2 without arguments', async () => {
    const { code, out } = await run();
    expect(code).toBe(2);
    expect(out).toContain('Usage: tessera');
    expect(out).toContain('validate');
  });

  it('prints help with --help and exits 0', async () => {
    const { code, out } = await run('validate', '--help');
    expect(code).toBe(0);
    expect(out).toContain('--profile <profile>');
    expect(out).toContain('official ODCS v3.1.0 JSON Schema');
  });

  it('treats an unknown command as misuse', async () => {
    const { code, err } = await run('valdate', 'mesh');
    expect(code).toBe(2);
    expect(err).toContain("unknown command 'valdate'");
  });

  it('prints the version of the package', async () => {
    const { code, out } = await run('--version');
    expect(code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(out.trim()).toBe(pkg.version);
  });
});

describe('paths', () => {
  it('resolves paths against the io working folder, not the process one', async () => {
    const { code, out } = await runTessera(join(root, 'mesh'), 'validate', 'orders/orders.odcs.yaml');
    expect(out).toContain('ok   orders/orders.odcs.yaml');
    expect(code).toBe(0);
  });
});
