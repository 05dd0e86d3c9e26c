import { describe, expect, it } from 'vitest';
import { glueTableInput } from '../../lib/glue/table-input.js';
import { groupByClassification, mostSensitive } from '../../lib/glue/classification.js';
import { contractFrom, readRepoFile } from './constructs/helpers.js';

const ontology = ['public', 'internal', 'confidential', 'restricted'];
const widgets = readRepoFile('test/fixtures/contracts/valid/widgets.odcs.yaml');

function input(text: string) {
  const contract = contractFrom(text);
  return glueTableInput(contract, contract.tables[0]!, { locationRoot: 's3://bucket/prefix/', classifications: ontology });
}

describe('glueTableInput', () => {
  it('puts partition columns in partitionKeys only, and everything else in order', () => {
    const { input: table } = input(widgets);
    expect(table.partitionKeys.map((c) => c.name)).toEqual(['created_date']);
    expect(table.storageDescriptor.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'widget_id:string',
      'colour:string',
      'price:decimal(10,2)',
      'tags:array<string>',
      'created_at:timestamp',
    ]);
    expect(table.storageDescriptor.location).toBe('s3://bucket/prefix/widgets/');
  });

  it('projects a date partition ten years back, past its one-year retention SLA', () => {
    const { input: table, projection } = input(widgets);
    expect(projection).toEqual({ enabled: true, reasons: [] });
    // Partitions older than the retention must stay visible, or the retention check cannot see them.
    expect(table.parameters['projection.created_date.range']).toBe('NOW-3650DAYS,NOW');
    expect(table.parameters['storage.location.template']).toBe('s3://bucket/prefix/widgets/created_date=${created_date}/');
  });

  it('projects a string partition as an enum of its valid values', () => {
    const text = widgets.replace('        partitioned: true\n        partitionKeyPosition: 1\n', '').replace(
      '      - name: colour\n        logicalType: string\n',
      '      - name: colour\n        logicalType: string\n        partitioned: true\n        partitionKeyPosition: 1\n',
    );
    const { input: table } = input(text);
    expect(table.parameters).toMatchObject({ 'projection.colour.type': 'enum', 'projection.colour.values': 'red,green,blue' });
  });

  it('projects an integer partition between its bounds', () => {
    const text = widgets.replace(
      '      - name: created_date\n        logicalType: date\n',
      '      - name: created_date\n        logicalType: integer\n        logicalTypeOptions: {minimum: 2020, maximum: 2030}\n',
    );
    expect(input(text).input.parameters).toMatchObject({ 'projection.created_date.type': 'integer', 'projection.created_date.range': '2020,2030' });
  });

  it('turns projection off for the whole table when one partition column cannot be projected', () => {
    const text = widgets.replace(
      '      - name: created_date\n        logicalType: date\n',
      '      - name: created_date\n        logicalType: timestamp\n',
    );
    const { input: table, projection } = input(text);
    expect(projection.enabled).toBe(false);
    expect(projection.reasons).toEqual(['widgets.created_date: Athena cannot project a timestamp partition']);
    expect(Object.keys(table.parameters).filter((k) => k.startsWith('projection.'))).toEqual([]);
  });

  it('keeps column comments within Glue’s 255 characters and adds the classification', () => {
    const long = 'x'.repeat(400);
    const text = widgets.replace('      - name: colour\n', `      - name: colour\n        description: ${long}\n`);
    const colour = input(text).input.storageDescriptor.columns.find((c) => c.name === 'colour')!;
    expect(colour.comment).toHaveLength(255);
    expect(colour.comment!.endsWith('…')).toBe(true);
    const plain = input(widgets).input.storageDescriptor.columns.find((c) => c.name === 'colour')!;
    expect(plain.comment).toBe('[public]');
  });

  it('refuses a location root without a trailing slash', () => {
    const contract = contractFrom(widgets);
    expect(() => glueTableInput(contract, contract.tables[0]!, { locationRoot: 's3://b/p', classifications: ontology })).toThrow(/must end with '\/'/);
  });
});

describe('classification ordering', () => {
  it('finds the most sensitive value by the ontology order', () => {
    expect(mostSensitive(['internal', undefined, 'restricted', 'public'], ontology)).toBe('restricted');
    expect(mostSensitive([undefined, 'unknown'], ontology)).toBeUndefined();
  });

  it('groups columns per value in ontology order', () => {
    const groups = groupByClassification([{ classification: 'restricted' }, { classification: 'public' }, { classification: 'restricted' }], ontology);
    expect([...groups.keys()]).toEqual(['public', 'restricted']);
    expect(groups.get('restricted')).toHaveLength(2);
  });
});
