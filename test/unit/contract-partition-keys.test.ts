/**
 * Glue partitions a table by top-level columns only: a field inside a struct cannot be a partition
 * key (https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html, `PartitionKeys` is a
 * list of columns). The loader must refuse one, naming the field and its YAML path.
 */
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../lib/contract/load.js';
import { readRepoFile } from './constructs/helpers.js';

const orderLines = readRepoFile('mesh/orders/order-lines.odcs.yaml');
const lineAmount = '      - name: line_amount\n';

function withColumn(yaml: string): string {
  if (!orderLines.includes(lineAmount)) throw new Error('the order-lines contract no longer has line_amount');
  return orderLines.replace(lineAmount, `${yaml}${lineAmount}`);
}

describe('partition keys', () => {
  it('refuses a nested field marked as a partition key', () => {
    const text = withColumn(
      [
        '      - name: delivery',
        '        logicalType: object',
        '        physicalType: struct<day:date>',
        '        classification: public',
        '        properties:',
        '          - name: day',
        '            logicalType: date',
        '            physicalType: date',
        '            partitioned: true',
        '            partitionKeyPosition: 2',
        '',
      ].join('\n'),
    );
    const { contract, diagnostics } = loadContract(text, 'order-lines.odcs.yaml');
    expect(contract).toBeUndefined();
    const finding = diagnostics.find((d) => d.code === 'bad-partition-key');
    // line_amount is the 7th column (index 6): the new struct took its place.
    expect(finding).toMatchObject({ severity: 'error', message: "nested field 'order_lines.day' cannot be a partition key", fix: 'partition by a top-level column', path: 'schema[0].properties[6].properties[0].partitioned' });
  });

  it('accepts the top-level partition key the contract declares', () => {
    const { contract, diagnostics } = loadContract(orderLines, 'order-lines.odcs.yaml');
    expect(diagnostics.filter((d) => d.code === 'bad-partition-key')).toEqual([]);
    expect(contract!.tables[0]!.partitionKeys.map((c) => c.name)).toEqual(['order_date']);
  });
});
