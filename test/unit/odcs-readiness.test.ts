/**
 * Any valid ODCS v3.1 contract is accepted: validity as ODCS and readiness as a Tessera data product
 * are two verdicts. The 18 official examples (test/fixtures/odcs-examples, from the ODCS
 * repository) are valid ODCS; none is a deployable data product as written (none names a domain,
 * an owner, a support channel and a classification on every column), and that is listed apart,
 * as warnings, unless the product profile is asked for.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTessera } from '../support/cli.js';
import { root } from './constructs/helpers.js';

const EXAMPLES = 'test/fixtures/odcs-examples';
const files = readdirSync(join(root, EXAMPLES)).filter((f) => f.endsWith('.odcs.yaml')).sort();
const run = (...argv: string[]) => runTessera(root, ...argv);

describe('tessera validate on plain ODCS contracts', () => {
  it('finds the 18 official examples', () => {
    expect(files).toHaveLength(18);
  });

  it.each(files)('%s is valid ODCS v3.1.0, and its readiness is reported apart', async (file) => {
    const { code, out } = await run('validate', join(EXAMPLES, file));
    expect(out).toMatch(new RegExp(`^ok   ${EXAMPLES}/${file} — .*: valid ODCS v3\\.1\\.0`, 'm'));
    expect(out).toMatch(/^ {2}not deployable as a data product yet: \d+ findings?$/m);
    expect(code).toBe(0);
  });

  it('lists exactly the readiness findings of an example under the readiness line', async () => {
    // schema__table-column has no domain, team or support, and one unclassified column (line 12).
    const { out } = await run('validate', join(EXAMPLES, 'schema__table-column.odcs.yaml'));
    const after = out.split('not deployable as a data product yet: 4 findings\n')[1]!;
    const codes = [...after.matchAll(/^ {4}\S+ warning \[([a-z-]+)\]/gm)].map((m) => m[1]);
    expect(codes).toEqual(['missing-domain', 'missing-owner', 'missing-support', 'missing-classification']);
    expect(after).toContain('schema__table-column.odcs.yaml:12:7 warning [missing-classification]');
  });

  it('fails a plain contract under --profile product, with the readiness findings as errors', async () => {
    const { code, out } = await run('validate', '--profile', 'product', join(EXAMPLES, 'schema__table-column.odcs.yaml'));
    expect(code).toBe(1);
    expect(out).toMatch(/error \[missing-domain\]/);
  });

  it('says a ready product is deployable', async () => {
    const { code, out } = await run('validate', 'mesh/orders/order-lines.odcs.yaml');
    expect(code).toBe(0);
    expect(out).toContain('valid ODCS v3.1.0');
    expect(out).toContain('  deployable as a data product\n');
  });

  it('reports a contract that breaks the standard as not valid ODCS', async () => {
    const { code, out } = await run('validate', 'test/fixtures/contracts/broken/misspelt-field.odcs.yaml');
    expect(code).toBe(1);
    expect(out).toContain('not valid ODCS v3.1.0');
    expect(out).not.toContain('deployable');
  });

  it('gives both verdicts in JSON', async () => {
    const { out } = await run('validate', '--json', join(EXAMPLES, 'schema__table-column.odcs.yaml'));
    const file = (JSON.parse(out) as { files: { odcsValid: boolean; deployable: boolean; readiness: unknown[] }[] }).files[0]!;
    expect(file).toMatchObject({ odcsValid: true, deployable: false });
    expect(file.readiness).toHaveLength(4);
  });
});

describe('tessera diff on plain ODCS contracts', () => {
  it('compares two official examples without asking for a domain or owners', async () => {
    const same = join(EXAMPLES, 'schema__table-column.odcs.yaml');
    const { code, out, err } = await run('diff', same, same);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).not.toContain('cannot compare');
  });
});
