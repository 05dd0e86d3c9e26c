/** Schema drift judged without an engine: declared columns against the files' columns, and Athena's refusals. */
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../lib/contract/load.js';
import { driftFromEngineErrors, schemaDrift } from '../../lib/quality/drift.js';
import { contractHeader } from '../support/contract-text.js';

const table = loadContract(
  `${contractHeader('parcels', 'post')}schema:
  - name: parcels
    physicalType: table
    properties:
      - {name: id, logicalType: string, classification: public}
      - {name: weight, logicalType: integer, physicalType: int, classification: public}
      - {name: total, logicalType: number, physicalType: 'decimal(10,2)', classification: public}
      - {name: sent, logicalType: timestamp, classification: public}
      - {name: day, logicalType: date, partitioned: true, partitionKeyPosition: 1, classification: public}
`,
  'p.odcs.yaml',
).contract!.tables[0]!;

describe('schemaDrift', () => {
  it('accepts widening reads and the same types, ignoring partition keys', () => {
    expect(schemaDrift(table, [{ name: 'id', type: 'VARCHAR' }, { name: 'weight', type: 'SMALLINT' }, { name: 'total', type: 'DECIMAL(9,2)' }, { name: 'sent', type: 'TIMESTAMP WITH TIME ZONE' }])).toEqual([]);
  });

  it('names each missing, mistyped and undeclared column', () => {
    const findings = schemaDrift(table, [{ name: 'ID', type: 'VARCHAR' }, { name: 'weight', type: 'VARCHAR' }, { name: 'total', type: 'DECIMAL(10,3)' }, { name: 'secret', type: 'VARCHAR' }]);
    expect(findings.map((f) => [f.column, f.kind, f.severity])).toEqual([
      ['weight', 'type', 'error'],
      ['total', 'type', 'error'],
      ['sent', 'missing', 'error'],
      ['secret', 'extra', 'warning'],
    ]);
    expect(findings[0]!.message).toBe('column weight is VARCHAR in the data files, but the contract declares int; Athena fails every query that reads it');
    // BIGINT does not narrow into int
    expect(schemaDrift(table, [{ name: 'id', type: 'VARCHAR' }, { name: 'weight', type: 'BIGINT' }, { name: 'total', type: 'DECIMAL(10,2)' }, { name: 'sent', type: 'TIMESTAMP' }]).map((f) => f.column)).toEqual(['weight']);
  });
});

describe('driftFromEngineErrors', () => {
  it("turns Athena's refusal to read a column into a finding naming it", () => {
    const error = "HIVE_BAD_DATA: Field weight's type BINARY in parquet file s3://bucket/post/parcels/day=2026-11-24/data.parquet is incompatible with type integer defined in table schema";
    const findings = driftFromEngineErrors([table], [{ table: 'parcels', error }]);
    expect(findings.map((f) => [f.table, f.column, f.declared])).toEqual([['parcels', 'weight', 'int']]);
    expect(findings[0]!.message).toContain('Athena could not read column weight as declared (int)');
  });

  it('ignores failures that are not about the schema', () => {
    expect(driftFromEngineErrors([table], [{ table: 'parcels', error: 'TOO_MANY_REQUESTS_FOR_WEIGHT: rate exceeded' }, { table: 'parcels', error: "SYNTAX_ERROR: line 1:8: Column 'weight' cannot be resolved" }])).toEqual([]);
  });
});
