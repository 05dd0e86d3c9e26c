/**
 * The CLI as a new user meets it: mistakes a person makes on the first day (a typo in a metric, an
 * unclosed quote, a path that is not there, a mesh config where a contract belongs) each get one
 * clear answer. Expected positions are counted in the texts written here, not taken from the code.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTessera } from '../support/cli.js';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-behaves-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (...argv: string[]): ReturnType<typeof runTessera> => runTessera(scratch, ...argv);
const orderLines = readFileSync(join(root, 'mesh/orders/order-lines.odcs.yaml'), 'utf8');

/** Writes `text` to a scratch file and returns its name (relative to the scratch folder). */
function write(name: string, text: string): string {
  writeFileSync(join(scratch, name), text);
  return name;
}

/** Replaces the one occurrence of `from`; returns the text and the 1-based line of the change. */
function edit(text: string, from: string, to: string): { text: string; line: number } {
  const at = text.indexOf(from);
  expect(at, `'${from}' is in the text`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(from, at + 1), `'${from}' occurs once`).toBe(-1);
  return { text: text.slice(0, at) + to + text.slice(at + from.length), line: text.slice(0, at).split('\n').length };
}

/** A copy of the example mesh (without its generator) under `name`. */
function meshCopy(name: string): string {
  cpSync(join(root, 'mesh'), join(scratch, name), { recursive: true, filter: (src) => !src.includes('generator') });
  return name;
}

const findingLines = (out: string): string[] => out.split('\n').filter((l) => / (error|warning) \[/.test(l));

describe('contract findings a user can act on', () => {
  it("a misspelt metric gets one finding with a did-you-mean, not the rule's valid operator flagged too", async () => {
    const { text, line } = edit(orderLines, 'metric: rowCount', 'metric: rowcount');
    const { code, out } = await run('validate', write('metric.odcs.yaml', text));
    expect(code).toBe(1);
    expect(findingLines(out)).toEqual([`  metric.odcs.yaml:${line}:17 error [odcs-schema] schema[0].quality[0].metric: 'rowcount' is not an allowed value`]);
    expect(out).toContain("did you mean 'rowCount'?");
  });

  it('a misspelt operator gets one finding with a did-you-mean, not also "needs exactly one of"', async () => {
    const { text, line } = edit(orderLines, 'mustBeGreaterThan: 0\n', 'mustbe: 0\n');
    const { code, out } = await run('validate', write('operator.odcs.yaml', text));
    expect(code).toBe(1);
    expect(findingLines(out)).toEqual([`  operator.odcs.yaml:${line}:9 error [odcs-schema] schema[0].quality[0].mustbe: unknown field 'mustbe'`]);
    expect(out).toContain("fix: did you mean 'mustBe'?");
  });

  it("reports a file's schema errors and Tessera's rule findings in one run", async () => {
    const typo = edit(orderLines, 'metric: rowCount', 'metric: rowcount');
    // The first column loses its classification: a product rule, not a schema error.
    const unclassified = edit(typo.text, '(orders.order_id).\n        classification: internal\n', '(orders.order_id).\n');
    const { code, out } = await run('validate', write('both.odcs.yaml', unclassified.text));
    expect(code).toBe(1);
    const findings = findingLines(out);
    expect(findings).toHaveLength(2);
    expect(findings.some((f) => f.includes('[missing-classification]') && f.includes("column 'order_lines.order_id' has no classification"))).toBe(true);
    expect(findings.some((f) => f.includes("[odcs-schema] schema[0].quality[0].metric: 'rowcount'"))).toBe(true);
  });

  it('an unclosed quote is one finding where the quote opens, not at the end of the file', async () => {
    const { text, line } = edit(orderLines, 'tags: [orders, sales, products]', 'tags: [orders, "sales, products]');
    const { code, out } = await run('validate', write('quote.odcs.yaml', text));
    expect(code).toBe(1);
    // `tags: [orders, "sales]`: the quote is the 16th character of its line.
    expect(findingLines(out)).toEqual([`  quote.odcs.yaml:${line}:16 error [yaml-syntax] (document): invalid YAML: the double quote opened here is never closed`]);
  });
});

describe('mesh findings', () => {
  it('a missing product file is the mesh\'s error and is not also listed "ok"', async () => {
    const mesh = meshCopy('missing-product');
    const meshFile = join(scratch, mesh, 'mesh.yaml');
    writeFileSync(meshFile, readFileSync(meshFile, 'utf8').replace('orders/order-lines.odcs.yaml', 'orders/order-line.odcs.yaml'));
    const { code, out } = await run('validate', mesh);
    expect(code).toBe(1);
    expect(out).toContain("error [missing-product] domains[1].products[1]: product 'orders/order-line.odcs.yaml' of domain 'orders': file not found");
    expect(out).not.toMatch(/^ok +missing-product\/orders\/order-line\.odcs\.yaml/m);
  });

  it('flags a contract in the mesh folder that no domain lists', async () => {
    const mesh = meshCopy('unlisted');
    writeFileSync(join(scratch, mesh, 'orders', 'draft.odcs.yaml'), orderLines.replace('id: order-lines', 'id: order-lines-draft'));
    const { code, out } = await run('validate', mesh);
    expect(code).toBe(0);
    expect(out).toContain('unlisted/orders/draft.odcs.yaml:1:1 warning [unlisted-contract] (document): no domain of the mesh unlisted/mesh.yaml lists this contract, so it is not deployed');
    expect(out.match(/\[unlisted-contract\]/g)).toHaveLength(1);
  });

  it("checks the region against AWS's regions, with a did-you-mean", async () => {
    const mesh = meshCopy('region');
    const meshFile = join(scratch, mesh, 'mesh.yaml');
    const { text, line } = edit(readFileSync(meshFile, 'utf8'), 'region: eu-west-1', 'region: eu-wset-1');
    writeFileSync(meshFile, text);
    const { code, out } = await run('validate', join(mesh, 'mesh.yaml'));
    expect(code).toBe(1);
    expect(out).toContain(`region/mesh.yaml:${line}:9 error [mesh-schema] region: 'eu-wset-1' is not an AWS region; did you mean eu-west-1?`);
    // The shape was right: `[a-z]{2}-[a-z]+-\d` passes what AWS does not have.
    writeFileSync(meshFile, text.replace('region: eu-wset-1', 'region: eu-north-9'));
    expect((await run('validate', join(mesh, 'mesh.yaml'))).out).toContain("region: 'eu-north-9' is not an AWS region");
  });
});

describe('paths a user gets wrong', () => {
  it('a mesh config given to tessera test is named as such, with a contract to use instead', async () => {
    const mesh = meshCopy('as-contract');
    const { code, err } = await run('test', join(mesh, 'mesh.yaml'), '--data', 'nowhere');
    expect(code).toBe(2);
    expect(err).toContain(`error: ${join(mesh, 'mesh.yaml')} is a mesh config (kind: Mesh), not a data contract; name one of the contracts it lists, e.g. tessera test as-contract/customer/customer-profiles.odcs.yaml`);
  });

  it.each([
    ['validate', ['validate', 'nowhere.odcs.yaml'], 'nowhere.odcs.yaml error [file-read] (document): file not found'],
    ['test', ['test', 'nowhere.odcs.yaml', '--data', '.'], 'error: file not found: nowhere.odcs.yaml'],
    ['diff', ['diff', 'nowhere.odcs.yaml', 'nowhere-either.odcs.yaml'], 'error: file not found: nowhere.odcs.yaml'],
    ['lock', ['lock', 'nowhere'], 'error: file not found: nowhere'],
    ['access', ['access', 'matrix', 'nowhere'], 'error: file not found: nowhere'],
    ['query', ['query', '--local', '--mesh', 'nowhere', 'SELECT 1'], 'error: file not found: nowhere'],
  ])('%s says "file not found" for a path with nothing there', async (_command, argv, expected) => {
    const { code, out, err } = await run(...argv);
    expect(code).toBe(1);
    expect(`${out}${err}`).toContain(expected);
    expect(`${out}${err}`).not.toMatch(/--profile odcs|is invalid|internal error/);
  });

  it('a folder without mesh.yaml is "file not found" for its mesh.yaml', async () => {
    const { code, err } = await run('lock', '.');
    expect(code).toBe(1);
    expect(err).toContain('error: file not found: mesh.yaml');
    expect(err).toContain('. holds no mesh.yaml');
  });
});

describe('option values', () => {
  it('catalog search --limit abc is a usage error before anything starts', async () => {
    // No --local and no endpoint: had the command started, it would look for AWS credentials.
    const { code, err } = await run('catalog', 'search', '--limit', 'abc');
    expect(code).toBe(2);
    expect(err).toContain("error: option '--limit <n>' argument 'abc' is invalid. must be a whole number from 1 to 100.");
  });

  it('catalog search --limit 0 and 101 are refused the same way', async () => {
    for (const value of ['0', '101', '1.5']) {
      const { code, err } = await run('catalog', 'search', '--limit', value);
      expect(code).toBe(2);
      expect(err).toContain(`argument '${value}' is invalid`);
    }
  });
});
