import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glueTypeToString } from '../../lib/contract/glue-types.js';
import { loadContract, loadContractFile } from '../../lib/contract/load.js';
import { allColumns, allQualityRules } from '../../lib/contract/model.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';

const officialDir = join(import.meta.dirname, '../fixtures/odcs-examples');
const widgetsFile = join(import.meta.dirname, '../fixtures/contracts/valid/widgets.odcs.yaml');
const widgets = readFileSync(widgetsFile, 'utf8');

describe('official ODCS v3.1.0 examples', () => {
  const files = readdirSync(officialDir).filter((f) => f.endsWith('.yaml'));

  it('are all there (18)', () => {
    expect(files).toHaveLength(18);
  });

  it.each(files)('%s loads and validates as a plain ODCS contract', async (file) => {
    const result = await loadContractFile(join(officialDir, file), { profile: 'odcs' });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map(formatDiagnostic)).toEqual([]);
    expect(result.contract).toBeDefined();
    expect(result.contract!.apiVersion).toMatch(/^v3\./);
  });

  it('reports Tessera product requirements on them as warnings under the odcs profile', async () => {
    const result = await loadContractFile(join(officialDir, 'schema__table-column.odcs.yaml'), { profile: 'odcs' });
    expect(result.diagnostics.some((d) => d.code === 'missing-domain' && d.severity === 'warning')).toBe(true);
  });

  it('are not all deployable data products under the product profile', async () => {
    const result = await loadContractFile(join(officialDir, 'all__postgresql-adventureworks-contract.odcs.yaml'));
    expect(result.contract).toBeUndefined();
    expect(result.diagnostics.some((d) => d.code === 'missing-domain' && d.severity === 'error')).toBe(true);
  });

  it('models the full example: tables, keys, partitions, rules, SLAs, team and support', async () => {
    const { contract } = await loadContractFile(join(officialDir, 'all__full-example.odcs.yaml'), { profile: 'odcs' });
    expect(contract).toBeDefined();
    const [tbl, receivers] = contract!.tables;
    expect(tbl!.name).toBe('tbl');
    expect(tbl!.physicalName).toBe('tbl_1');
    expect(tbl!.columns.map((c) => c.physicalName)).toEqual(['txn_ref_dt', 'rcvr_id', 'rcvr_cntry_code']);
    expect(tbl!.partitionKeys.map((c) => c.name)).toEqual(['transaction_reference_date']);
    expect(tbl!.primaryKey.map((c) => c.name)).toEqual(['rcvr_id']);
    expect(receivers!.primaryKey.map((c) => c.name)).toEqual(['id', 'country_code']);
    expect(glueTypeToString(tbl!.columns[1]!.glueType!)).toBe('varchar(18)');
    expect(tbl!.columns[1]!.classification).toBe('restricted');
    expect(tbl!.quality[0]).toMatchObject({ metric: 'rowCount', threshold: { operator: 'mustBeGreaterThan', value: 1000000 }, severity: 'error' });
    expect(tbl!.columns[2]!.quality[0]).toMatchObject({ metric: 'nullValues', target: { table: 'tbl', column: 'rcvr_cntry_code' } });
    const retention = contract!.sla.find((s) => s.property === 'retention')!;
    expect(retention.durationMs).toBe(3 * 365 * 24 * 3600 * 1000);
    expect(retention.elements).toEqual([{ table: 'tab1', column: 'txn_ref_dt' }]);
    expect(contract!.owners.map((o) => o.username)).toEqual(['daustin']);
    expect(contract!.support.map((s) => s.channel)).toContain('#product-help');
    expect(contract!.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('loadContract on a valid product contract', () => {
  const { contract, diagnostics } = loadContract(widgets, 'widgets.odcs.yaml');

  it('has no findings', () => {
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it('maps every column to a Glue type, from physicalType or logicalType', () => {
    const table = contract!.tables[0]!;
    expect(Object.fromEntries(table.columns.map((c) => [c.name, glueTypeToString(c.glueType!)]))).toEqual({
      widget_id: 'string',
      colour: 'string',
      price: 'decimal(10,2)',
      tags: 'array<string>',
      created_at: 'timestamp',
      created_date: 'date',
    });
    expect(table.partitionKeys.map((c) => c.name)).toEqual(['created_date']);
    expect(table.primaryKey.map((c) => c.name)).toEqual(['widget_id']);
  });

  it('remembers where every element came from', () => {
    const colour = contract!.tables[0]!.columns[1]!;
    expect(colour.origin).toMatchObject({ file: 'widgets.odcs.yaml', path: ['schema', 0, 'properties', 1], position: { line: 29, column: 9 } });
    expect(colour.quality[0]!.origin.position?.line).toBe(33);
  });

  it('lists every quality rule and every column, nested ones included', () => {
    expect(allQualityRules(contract!).map((r) => r.metric)).toEqual(['rowCount', 'invalidValues']);
    expect([...allColumns(contract!.tables[0]!)].map((c) => c.name)).toContain('items');
  });

  it('derives int rather than bigint for an integer whose bounds fit 32 bits', () => {
    const text = widgets.replace(
      '      - name: created_at\n',
      '      - name: stock\n        logicalType: integer\n        logicalTypeOptions: {minimum: 0, maximum: 100000}\n        classification: internal\n      - name: created_at\n',
    );
    const stock = loadContract(text, 'w.yaml').contract!.tables[0]!.columns.find((c) => c.name === 'stock')!;
    expect(glueTypeToString(stock.glueType!)).toBe('int');
  });

  it('accepts a mesh-specific classification ontology', () => {
    const text = widgets.replaceAll('classification: internal', 'classification: pii');
    expect(loadContract(text, 'w.yaml').contract).toBeUndefined();
    expect(loadContract(text, 'w.yaml', { classifications: ['public', 'pii'] }).contract).toBeDefined();
  });

  it('reports several independent errors at once', () => {
    const text = widgets.replace('domain: catalog\n', '').replace('unit: d', 'unit: m').replace('classification: public', 'classification: secret');
    const codes = loadContract(text, 'w.yaml').diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['missing-domain', 'bad-sla-duration', 'unknown-classification']));
  });

  it('reports a missing file as a finding, not an exception', async () => {
    const result = await loadContractFile('no/such/contract.odcs.yaml');
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'file-read', message: 'file not found' })]);
  });
});
