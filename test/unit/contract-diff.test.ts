/**
 * Contract evolution rules, on real contracts: each case edits the example mesh's orders contract
 * (as text, like a producer would), loads both versions and checks the rule, severity and subject
 * of what the diff reports. The CLI cases use the fixture pairs in test/fixtures/contracts/evolution.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTessera } from '../support/cli.js';
import { compareScalarTypes, DIFF_RULES, diffContracts, versionBump, type Change, type ContractDiff } from '../../lib/contract/diff.js';
import { parseGlueType } from '../../lib/contract/glue-types.js';
import { loadContract, type LoadOptions } from '../../lib/contract/load.js';
import type { DataContract } from '../../lib/contract/model.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';

const root = join(import.meta.dirname, '../..');
const ordersText = readFileSync(join(root, 'mesh/orders/orders.odcs.yaml'), 'utf8');
const evolution = 'test/fixtures/contracts/evolution';

type Edit = readonly [from: string, to: string];

/** Rules the cases below produced; the last case checks that every documented rule is among them. */
const exercised = new Set<string>();

/** The orders contract with each `from` (which must occur) replaced by `to`. */
function edited(edits: readonly Edit[], base = ordersText): string {
  let text = base;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`test setup: '${from}' is not in the contract`);
    text = text.replace(from, () => to);
  }
  return text;
}

function load(text: string, file: string, options: LoadOptions = {}): DataContract {
  const result = loadContract(text, file, options);
  if (!result.contract) throw new Error(`test setup: ${file} is invalid:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  return result.contract;
}

/**
 * Diff of two versions of the orders contract: the old one is the contract with `options.before`
 * applied (the contract itself by default), the new one is the contract with `after` applied.
 */
function diffOf(after: readonly Edit[], options: { before?: readonly Edit[]; load?: LoadOptions } = {}): ContractDiff {
  const before = load(edited(options.before ?? []), 'old.odcs.yaml', options.load);
  const after_ = load(edited(after), 'new.odcs.yaml', options.load);
  const diff = diffContracts(before, after_, { classifications: options.load?.classifications });
  for (const change of diff.changes) exercised.add(change.rule);
  // Every change carries a severity its rule documents (DIFF_RULES feeds --help and the README).
  for (const change of diff.changes) expect(DIFF_RULES[change.rule].severity as readonly string[], change.rule).toContain(change.severity);
  return diff;
}

function find(diff: ContractDiff, rule: string, subject: string): Change | undefined {
  return diff.changes.find((c) => c.rule === rule && c.subject === subject);
}

/** Asserts the diff reports `rule` on `subject` with `severity`, and returns that change. */
function expectChange(diff: ContractDiff, rule: string, subject: string, severity: Change['severity']): Change {
  const change = find(diff, rule, subject);
  expect(change, `expected ${rule} on ${subject}; got:\n${diff.changes.map((c) => `${c.severity} ${c.rule} ${c.subject}`).join('\n')}`).toBeDefined();
  expect(change!.severity).toBe(severity);
  return change!;
}

function rulesOf(diff: ContractDiff): string[] {
  return diff.changes.map((c) => c.rule);
}

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`test setup: '${needle}' not found`);
  return text.slice(0, index).split('\n').length;
}

const CHANNEL_COLUMN = `      - name: channel
        logicalType: string
        physicalType: string
        description: Where the order was placed.
        classification: public
        required: true
        quality:
          - type: library
            name: order_channel_known
            metric: invalidValues
            arguments:
              validValues: [web, ios, android, marketplace]
            mustBe: 0
            unit: rows
            dimension: conformity
            severity: error
            description: Orders come from the four sales channels.
`;

const NOTES_TABLE = `  - name: order_notes
    physicalType: table
    description: Free-text notes agents attach to orders.
    properties:
      - name: order_id
        logicalType: string
        physicalType: string
        classification: internal
        required: true
      - name: note
        logicalType: string
        physicalType: string
        classification: confidential
        required: false
slaProperties:`;

const ADDRESS_COLUMN = `      - name: delivery_address
        logicalType: object
        description: Where the parcel goes.
        classification: confidential
        required: false
        properties:
          - name: street
            logicalType: string
            classification: confidential
          - name: city
            logicalType: string
            classification: confidential
      - name: order_date
`;

const SERVERS = `servers:
  - server: production
    type: s3
    environment: prod
    location: s3://orders-prod/orders/
    format: parquet
  - server: archive
    type: s3
    location: s3://orders-archive/orders/
    format: parquet
schema:`;

describe('diffContracts on the example contracts', () => {
  it('finds nothing between a contract and itself, for every contract of the mesh', () => {
    for (const file of ['orders/orders', 'orders/order-lines', 'customer/customer-profiles', 'inventory/stock-levels', 'shipping/shipments']) {
      const text = readFileSync(join(root, `mesh/${file}.odcs.yaml`), 'utf8');
      const diff = diffContracts(load(text, 'a.yaml'), load(text, 'b.yaml'));
      expect(diff).toMatchObject({ changes: [], breaking: false, versionBump: 'none', ok: true });
    }
  });

});

describe('tables', () => {
  it('table removed is breaking, table added compatible', () => {
    const removed = diffOf([], { before: [['slaProperties:', NOTES_TABLE]] });
    expectChange(removed, 'table-removed', 'order_notes', 'breaking');
    expect(removed.changes.filter((c) => c.subject.startsWith('order_notes.'))).toEqual([]);

    const added = diffOf([['slaProperties:', NOTES_TABLE]]);
    expectChange(added, 'table-added', 'order_notes', 'compatible');
    expect(added.changes).toHaveLength(2); // and the version did not move
    expectChange(added, 'version-unchanged', 'version', 'warning');
  });

  it('matches a table by physicalName when only its logical name changed (warning)', () => {
    const diff = diffOf([
      ['  - name: orders\n', '  - name: order_headers\n    physicalName: orders\n'],
      ['element: orders.order_date', 'element: order_headers.order_date'],
      ['element: orders.order_date', 'element: order_headers.order_date'],
      ['element: orders.order_date', 'element: order_headers.order_date'],
    ]);
    expectChange(diff, 'table-renamed', 'order_headers', 'warning');
    expect(rulesOf(diff)).not.toContain('table-removed');
    expect(rulesOf(diff)).not.toContain('column-removed');
  });

  it('a new physicalName of a table is breaking; a new physicalType a warning', () => {
    const diff = diffOf([['  - name: orders\n    physicalType: table\n', '  - name: orders\n    physicalName: orders_v2\n    physicalType: view\n']]);
    const change = expectChange(diff, 'table-physical-name-changed', 'orders', 'breaking');
    expect(change).toMatchObject({ before: 'orders', after: 'orders_v2' });
    expectChange(diff, 'table-physical-type-changed', 'orders', 'warning');
  });

  it('matches tables and columns by name ignoring case', () => {
    const diff = diffOf([['      - name: status\n', '      - name: STATUS\n']], { load: { profile: 'odcs' } });
    expect(rulesOf(diff).filter((r) => r !== 'version-unchanged')).toEqual([]);
  });

  it('primary key columns or order changed is breaking', () => {
    const diff = diffOf([['        description: When the order was placed (UTC).\n', '        description: When the order was placed (UTC).\n        primaryKey: true\n        primaryKeyPosition: 2\n']]);
    expect(expectChange(diff, 'primary-key-changed', 'orders', 'breaking')).toMatchObject({ before: 'order_id', after: 'order_id, order_ts' });
  });

  it('partition keys changed is breaking', () => {
    const diff = diffOf([['        description: Where the order was placed.\n', '        description: Where the order was placed.\n        partitioned: true\n        partitionKeyPosition: 2\n']]);
    expect(expectChange(diff, 'partition-keys-changed', 'orders', 'breaking')).toMatchObject({ before: 'order_date', after: 'order_date, channel' });
  });

  it('a changed granularity is a warning; columns in another order are compatible', () => {
    const diff = diffOf([
      ['dataGranularityDescription: One row per order.', 'dataGranularityDescription: One row per order and day.'],
      [CHANNEL_COLUMN, ''],
      ['      - name: status\n', `${CHANNEL_COLUMN}      - name: status\n`],
    ]);
    expectChange(diff, 'granularity-changed', 'orders', 'warning');
    expectChange(diff, 'columns-reordered', 'orders', 'compatible');
  });
});

describe('columns', () => {
  it('column removed is breaking, and its quality rules are not reported again', () => {
    const diff = diffOf([[CHANNEL_COLUMN, '']]);
    expectChange(diff, 'column-removed', 'orders.channel', 'breaking');
    expect(rulesOf(diff)).not.toContain('quality-rule-removed');
    expect(diff).toMatchObject({ breaking: true, ok: false, versionBump: 'none', versions: { suggested: '2.0.0' } });
  });

  it('optional column added is compatible; required column added is breaking', () => {
    const column = (required: boolean): Edit => [
      '      - name: order_date\n',
      `      - name: gift_wrap\n        logicalType: boolean\n        classification: public\n        required: ${required}\n      - name: order_date\n`,
    ];
    expect(expectChange(diffOf([column(false)]), 'column-added', 'orders.gift_wrap', 'compatible').after).toBe('boolean');
    expectChange(diffOf([column(true)]), 'required-column-added', 'orders.gift_wrap', 'breaking');
  });

  it('a removed and an added column with the same type and position are one rename (breaking)', () => {
    const diff = diffOf([['      - name: line_count\n', '      - name: item_count\n']]);
    expect(expectChange(diff, 'column-renamed', 'orders.item_count', 'breaking')).toMatchObject({ before: 'line_count', after: 'item_count' });
    expect(rulesOf(diff)).not.toContain('column-removed');
    expect(rulesOf(diff)).not.toContain('column-added');
    expect(rulesOf(diff)).not.toContain('required-column-added');
  });

  it('a column whose logical name changes but keeps its physicalName is a warning', () => {
    const diff = diffOf([['      - name: line_count\n', '      - name: item_count\n        physicalName: line_count\n']]);
    expectChange(diff, 'column-logical-name-changed', 'orders.item_count', 'warning');
    expect(diff.breaking).toBe(false);
  });

  it('a new physicalName of a column is breaking', () => {
    const diff = diffOf([['      - name: line_count\n', '      - name: line_count\n        physicalName: n_lines\n']]);
    expect(expectChange(diff, 'column-physical-name-changed', 'orders.line_count', 'breaking')).toMatchObject({ before: 'line_count', after: 'n_lines' });
  });

  it('required false → true is breaking, true → false a warning', () => {
    const diff = diffOf([
      ['        description: Promotion codes redeemed at checkout, empty when none.\n        classification: internal\n        required: false', '        description: Promotion codes redeemed at checkout, empty when none.\n        classification: internal\n        required: true'],
      ['        description: When the order was placed (UTC).\n        classification: internal\n        required: true', '        description: When the order was placed (UTC).\n        classification: internal\n        required: false'],
    ]);
    expectChange(diff, 'became-required', 'orders.promo_codes', 'breaking');
    expectChange(diff, 'became-optional', 'orders.order_ts', 'warning');
  });

  it('unique becoming true is a warning, and so is losing it', () => {
    const diff = diffOf([
      ['        description: Latest status of the order.\n', '        description: Latest status of the order.\n        unique: true\n'],
      ['        unique: true\n        primaryKey: true', '        primaryKey: true'],
    ]);
    expectChange(diff, 'became-unique', 'orders.status', 'warning');
    expectChange(diff, 'unique-removed', 'orders.order_id', 'warning');
  });

  it('relationships added or removed are compatible', () => {
    const diff = diffOf([['        description: The customer who placed the order (customer_profiles.customer_id).\n', '        description: The customer who placed the order (customer_profiles.customer_id).\n        relationships:\n          - type: foreignKey\n            to: customer_profiles.customer_id\n']]);
    expect(expectChange(diff, 'relationships-changed', 'orders.customer_id', 'compatible').after).toBe('foreignKey: orders.customer_id -> customer_profiles.customer_id');
  });

  it('descriptions, tags, business names and critical-data-element flags are compatible', () => {
    const diff = diffOf([
      ['description: Latest status of the order.', 'description: Latest status of the order, from the order service.'],
      ['    tags: [orders]\n', '    tags: [orders, sales]\n'],
      ['    businessName: Orders\n', '    businessName: Customer orders\n'],
      ['        criticalDataElement: true\n', ''],
    ]);
    expectChange(diff, 'description-changed', 'orders.status', 'compatible');
    expectChange(diff, 'tags-changed', 'orders', 'compatible');
    expectChange(diff, 'business-name-changed', 'orders', 'compatible');
    expectChange(diff, 'critical-data-element-changed', 'orders.order_id', 'compatible');
    expect(diff.breaking).toBe(false);
  });
});

describe('types', () => {
  it('int → bigint is a compatible widening', () => {
    const change = expectChange(diffOf([['physicalType: int\n', 'physicalType: bigint\n']]), 'type-widened', 'orders.line_count', 'compatible');
    expect(change).toMatchObject({ before: 'int', after: 'bigint' });
  });

  it('int → smallint is narrowed (breaking)', () => {
    expectChange(diffOf([['physicalType: int\n', 'physicalType: smallint\n']]), 'type-narrowed', 'orders.line_count', 'breaking');
  });

  it('decimal(p,s) widened when it keeps every integer and fraction digit (a warning: old files need rewriting)', () => {
    expectChange(diffOf([['decimal(12,2)', 'decimal(14,2)']]), 'type-widened', 'orders.total_amount', 'warning');
    expectChange(diffOf([['decimal(12,2)', 'decimal(13,3)']]), 'type-widened', 'orders.total_amount', 'warning');
    expectChange(diffOf([['decimal(12,2)', 'decimal(12,3)']]), 'type-narrowed', 'orders.total_amount', 'breaking');
    expectChange(diffOf([['decimal(12,2)', 'decimal(10,2)']]), 'type-narrowed', 'orders.total_amount', 'breaking');
  });

  it('float → double is compatible, double → float narrowed', () => {
    expectChange(diffOf([['decimal(12,2)', 'double']], { before: [['decimal(12,2)', 'float']] }), 'type-widened', 'orders.total_amount', 'compatible');
    expectChange(diffOf([['decimal(12,2)', 'float']], { before: [['decimal(12,2)', 'double']] }), 'type-narrowed', 'orders.total_amount', 'breaking');
  });

  it('int → decimal that holds every int is a widening across families (warning)', () => {
    expectChange(diffOf([['physicalType: int\n', 'physicalType: decimal(12,0)\n']]), 'type-widened', 'orders.line_count', 'warning');
  });

  it('varchar(n) → varchar(m ≥ n) or string is compatible; shorter is narrowed', () => {
    const currency = (type: string): Edit => ['        physicalType: string\n        description: ISO 4217', `        physicalType: ${type}\n        description: ISO 4217`];
    expectChange(diffOf([currency('varchar(8)')], { before: [currency('varchar(3)')] }), 'type-widened', 'orders.currency', 'compatible');
    expectChange(diffOf([], { before: [currency('varchar(3)')] }), 'type-widened', 'orders.currency', 'compatible');
    expectChange(diffOf([currency('varchar(2)')]), 'type-narrowed', 'orders.currency', 'breaking');
  });

  it('date → timestamp is an incompatible change (breaking)', () => {
    const change = expectChange(diffOf([['        physicalType: date\n', '        physicalType: timestamp\n']]), 'type-changed', 'orders.order_date', 'breaking');
    expect(change).toMatchObject({ before: 'date', after: 'timestamp' });
  });

  it('a changed logicalType is breaking', () => {
    const diff = diffOf([['        logicalType: timestamp\n        physicalType: timestamp\n', '        logicalType: date\n        physicalType: timestamp\n']]);
    expectChange(diff, 'logical-type-changed', 'orders.order_ts', 'breaking');
  });

  it('array items are compared as their own column', () => {
    const diff = diffOf([['          physicalType: string\n          description: A promotion code', '          physicalType: varchar(20)\n          description: A promotion code']]);
    expectChange(diff, 'type-narrowed', 'orders.promo_codes[]', 'breaking');
  });

  it('nested object fields: removed is breaking, added compatible', () => {
    const before: Edit[] = [['      - name: order_date\n', ADDRESS_COLUMN]];
    const city = '          - name: city\n            logicalType: string\n            classification: confidential\n';
    const removed = diffOf([['      - name: order_date\n', ADDRESS_COLUMN.replace(city, '')]], { before });
    expectChange(removed, 'field-removed', 'orders.delivery_address.city', 'breaking');
    const zip = '          - name: zip\n            logicalType: string\n            classification: confidential\n';
    const added = diffOf([['      - name: order_date\n', ADDRESS_COLUMN.replace(city, city + zip)]], { before });
    expectChange(added, 'field-added', 'orders.delivery_address.zip', 'compatible');
    const requiredZip = diffOf([['      - name: order_date\n', ADDRESS_COLUMN.replace(city, `${city + zip}            required: true\n`)]], { before });
    expectChange(requiredZip, 'required-field-added', 'orders.delivery_address.zip', 'breaking');
  });

  it('struct types written as physicalType: fields removed are breaking, added compatible, nested types compared', () => {
    const column = (type: string): Edit => ['      - name: order_date\n', `      - name: parcel\n        logicalType: object\n        physicalType: struct<${type}>\n        classification: internal\n      - name: order_date\n`];
    const diff = diffOf([column('weight:bigint,carrier:string')], { before: [column('weight:int,size:string')] });
    expectChange(diff, 'field-removed', 'orders.parcel.size', 'breaking');
    expectChange(diff, 'field-added', 'orders.parcel.carrier', 'compatible');
    expectChange(diff, 'type-widened', 'orders.parcel.weight', 'compatible');
  });

  it('classifies scalar type changes', () => {
    const verdict = (b: string, a: string): string => compareScalarTypes(parseGlueType(b), parseGlueType(a)).kind;
    expect(verdict('tinyint', 'int')).toBe('widened');
    expect(verdict('int', 'double')).toBe('widened-with-rewrite');
    expect(verdict('bigint', 'double')).toBe('changed'); // 64-bit values lose precision
    expect(verdict('int', 'decimal(5,0)')).toBe('narrowed');
    expect(verdict('int', 'string')).toBe('changed');
    expect(verdict('char(3)', 'varchar(3)')).toBe('widened-with-rewrite');
    expect(verdict('string', 'varchar(10)')).toBe('narrowed');
    expect(verdict('timestamp', 'date')).toBe('changed');
  });
});

describe('classification', () => {
  const status = (to: string): Edit => ['        description: Latest status of the order.\n        classification: public', `        description: Latest status of the order.\n        classification: ${to}`];

  it('raised is a warning (consumers may lose access), lowered is breaking', () => {
    expect(expectChange(diffOf([status('confidential')]), 'classification-raised', 'orders.status', 'warning')).toMatchObject({ before: 'public', after: 'confidential' });
    expectChange(diffOf([['        description: When the order was placed (UTC).\n        classification: internal', '        description: When the order was placed (UTC).\n        classification: public']]), 'classification-lowered', 'orders.order_ts', 'breaking');
  });

  it('removed is breaking', () => {
    const diff = diffOf([['        description: Latest status of the order.\n        classification: public\n', '        description: Latest status of the order.\n']], { load: { profile: 'odcs' } });
    expectChange(diff, 'classification-removed', 'orders.status', 'breaking');
  });

  it('added is a warning; a value outside the ontology is breaking, since its direction is unknown', () => {
    const unclassified: Edit = ['        description: Latest status of the order.\n        classification: public\n', '        description: Latest status of the order.\n'];
    expectChange(diffOf([], { before: [unclassified], load: { profile: 'odcs' } }), 'classification-added', 'orders.status', 'warning');
    expectChange(diffOf([status('secret')], { load: { profile: 'odcs' } }), 'classification-changed', 'orders.status', 'breaking');
  });

  it("follows the mesh's ontology when given one", () => {
    // In an ontology where 'internal' is the least sensitive, public → internal lowers it.
    const load = { classifications: ['internal', 'public', 'confidential', 'restricted'] };
    expectChange(diffOf([status('internal')], { load }), 'classification-lowered', 'orders.status', 'breaking');
    expectChange(diffOf([status('internal')]), 'classification-raised', 'orders.status', 'warning');
  });
});

describe('servers', () => {
  const before: Edit[] = [['schema:', SERVERS]];

  it('location or format changed, or a server removed, is breaking; a new environment compatible', () => {
    const servers = edited(
      [
        ['location: s3://orders-prod/orders/', 'location: s3://orders-prod-v2/orders/'],
        ['    format: parquet\n  - server: archive', '    format: csv\n  - server: archive'],
        ['environment: prod', 'environment: production'],
        ['  - server: archive\n    type: s3\n    location: s3://orders-archive/orders/\n    format: parquet\n', ''],
      ],
      SERVERS,
    );
    const diff = diffOf([['schema:', servers]], { before });
    expect(expectChange(diff, 'server-location-changed', 'servers.production', 'breaking')).toMatchObject({ before: 's3://orders-prod/orders/', after: 's3://orders-prod-v2/orders/' });
    expectChange(diff, 'server-format-changed', 'servers.production', 'breaking');
    expectChange(diff, 'server-details-changed', 'servers.production', 'compatible');
    expectChange(diff, 'server-removed', 'servers.archive', 'breaking');
  });
});

describe('servers (added, type)', () => {
  it('a server added is compatible; its type changed is breaking', () => {
    expectChange(diffOf([['schema:', SERVERS]]), 'server-added', 'servers.production', 'compatible');
    const custom = SERVERS.replace('    type: s3\n    environment: prod', '    type: custom\n    environment: prod');
    expectChange(diffOf([['schema:', custom]], { before: [['schema:', SERVERS]] }), 'server-type-changed', 'servers.production', 'breaking');
  });
});

describe('SLAs', () => {
  const latency = (value: number, unit = 'd'): Edit => ['    value: 2\n    unit: d\n    element: orders.order_date\n    description: A day', `    value: ${value}\n    unit: ${unit}\n    element: orders.order_date\n    description: A day`];

  it('latency up is weakened (breaking), down is strengthened (compatible); units are converted', () => {
    expect(expectChange(diffOf([latency(3)]), 'sla-weakened', 'sla.latency', 'breaking')).toMatchObject({ before: '2 d', after: '3 d' });
    expectChange(diffOf([latency(36, 'h')]), 'sla-strengthened', 'sla.latency', 'compatible');
    expect(diffOf([latency(48, 'h')]).changes.filter((c) => c.subject === 'sla.latency')).toEqual([]);
  });

  it('retention down and frequency up are weakened', () => {
    expectChange(diffOf([['    value: 7\n    unit: y', '    value: 5\n    unit: y']]), 'sla-weakened', 'sla.retention', 'breaking');
    expectChange(diffOf([['    value: 1\n    unit: d\n    element: orders.order_date\n    description: One load per day.', '    value: 1\n    unit: w\n    element: orders.order_date\n    description: One load per day.']]), 'sla-weakened', 'sla.frequency', 'breaking');
  });

  it('availability down is weakened, up strengthened', () => {
    const availability = (value: string): Edit => ['slaProperties:\n', `slaProperties:\n  - property: availability\n    value: ${value}\n    unit: percent\n`];
    const before = [availability('99.9')];
    expectChange(diffOf([availability('99.5')], { before }), 'sla-weakened', 'sla.availability', 'breaking');
    expectChange(diffOf([availability('"99.95%"')], { before }), 'sla-strengthened', 'sla.availability', 'compatible');
  });

  it('an SLA measured on another element, or changed in no known direction, is a warning', () => {
    expectChange(diffOf([['    unit: d\n    element: orders.order_date\n    description: A day', '    unit: d\n    element: orders.order_ts\n    description: A day']]), 'sla-changed', 'sla.latency', 'warning');
    const custom = (value: string): Edit => ['slaProperties:\n', `slaProperties:\n  - property: supportHours\n    value: ${value}\n`];
    expectChange(diffOf([custom('business-hours')], { before: [custom('24x7')] }), 'sla-changed', 'sla.supportHours', 'warning');
  });

  it('an SLA removed is breaking, one added compatible', () => {
    const retention = '  - property: retention\n    value: 7\n    unit: y\n    element: orders.order_date\n    description: Orders are kept 7 years (bookkeeping).\n';
    expectChange(diffOf([[retention, '']]), 'sla-removed', 'sla.retention', 'breaking');
    expectChange(diffOf([], { before: [[retention, '']] }), 'sla-added', 'sla.retention', 'compatible');
  });
});

describe('quality rules', () => {
  it('a removed rule is a warning', () => {
    const rule = `        quality:
          - type: library
            name: total_amount_not_null
            metric: nullValues
            mustBe: 0
            unit: rows
            dimension: completeness
            severity: error
            description: Every order has a total.
`;
    expectChange(diffOf([[rule, '']]), 'quality-rule-removed', 'orders.total_amount/quality/total_amount_not_null', 'warning');
  });

  it('a loosened threshold is a warning, a tightened one compatible, an equivalent one nothing', () => {
    const notNull = (threshold: string): Edit => ['            name: total_amount_not_null\n            metric: nullValues\n            mustBe: 0', `            name: total_amount_not_null\n            metric: nullValues\n            ${threshold}`];
    const subject = 'orders.total_amount/quality/total_amount_not_null';
    expect(expectChange(diffOf([notNull('mustBeLessThan: 10')]), 'quality-rule-loosened', subject, 'warning')).toMatchObject({ before: 'mustBe 0', after: 'mustBeLessThan 10' });
    expectChange(diffOf([notNull('mustBe: 0')], { before: [notNull('mustBeLessOrEqualTo: 5')] }), 'quality-rule-tightened', subject, 'compatible');
    // On a row count, < 1 and = 0 are the same promise.
    expect(diffOf([notNull('mustBeLessThan: 1')]).changes.filter((c) => c.subject === subject)).toEqual([]);
    expectChange(diffOf([['mustBeGreaterThan: 0', 'mustBeGreaterThan: 1000']]), 'quality-rule-tightened', 'orders/quality/orders_not_empty', 'compatible');
  });

  it('more valid values loosen a rule, fewer tighten it', () => {
    const subject = 'orders.channel/quality/order_channel_known';
    expectChange(diffOf([['[web, ios, android, marketplace]', '[web, ios, android, marketplace, phone]']]), 'quality-rule-loosened', subject, 'warning');
    expectChange(diffOf([['[web, ios, android, marketplace]', '[web, ios, android]']]), 'quality-rule-tightened', subject, 'compatible');
  });

  it('a severity lowered from error is loosened', () => {
    const diff = diffOf([['            description: Orders come from the four sales channels.', '            description: Orders come from the four sales channels.\n            severity: warning'], ['            dimension: conformity\n            severity: error\n            description: Orders come', '            dimension: conformity\n            description: Orders come']]);
    expectChange(diff, 'quality-rule-loosened', 'orders.channel/quality/order_channel_known', 'warning');
  });

  it('a rule whose unit, metric or query changed is a warning', () => {
    const diff = diffOf([
      ['            mustBe: 0\n            unit: rows\n            dimension: completeness\n            severity: error\n            description: Every order has a total.', '            mustBe: 0\n            unit: percent\n            dimension: completeness\n            severity: error\n            description: Every order has a total.'],
      ['WHERE total_amount < 0', 'WHERE total_amount < 0 AND status <> \'cancelled\''],
    ]);
    expect(expectChange(diff, 'quality-rule-changed', 'orders.total_amount/quality/total_amount_not_null', 'warning').message).toContain('unit');
    expect(expectChange(diff, 'quality-rule-changed', 'orders/quality/total_amount_not_negative', 'warning').message).toContain('query');
  });

  it('an added rule is compatible', () => {
    const diff = diffOf([['        logicalTypeOptions:\n          minimum: 1\n          maximum: 100\n', '        logicalTypeOptions:\n          minimum: 1\n          maximum: 100\n        quality:\n          - type: library\n            name: line_count_not_null\n            metric: nullValues\n            mustBe: 0\n            unit: rows\n']]);
    expectChange(diff, 'quality-rule-added', 'orders.line_count/quality/line_count_not_null', 'compatible');
  });

  it('matches rules by id first, then name, then metric and target', () => {
    // Same id, new name: one rule whose name changed.
    const byId = diffOf([['name: order_id_unique', 'id: q1\n            name: order_id_no_duplicates']], { before: [['name: order_id_unique', 'id: q1\n            name: order_id_unique']] });
    expectChange(byId, 'quality-rule-metadata-changed', 'orders.order_id/quality/q1', 'compatible');
    expect(rulesOf(byId)).not.toContain('quality-rule-removed');
    // No id, new name, same metric on the same column: still the same rule.
    const byMetric = diffOf([['name: order_id_unique', 'name: order_id_no_duplicates']]);
    expectChange(byMetric, 'quality-rule-metadata-changed', 'orders.order_id/quality/order_id_no_duplicates', 'compatible');
    expect(rulesOf(byMetric)).not.toContain('quality-rule-removed');
    expect(rulesOf(byMetric)).not.toContain('quality-rule-added');
  });
});

describe('validation (logicalTypeOptions)', () => {
  it('a bound tightened is breaking, loosened compatible', () => {
    expect(expectChange(diffOf([['          maximum: 100', '          maximum: 50']]), 'validation-tightened', 'orders.line_count', 'breaking')).toMatchObject({ before: '<= 100', after: '<= 50' });
    expectChange(diffOf([['          minimum: 1\n', '          minimum: 0\n']]), 'validation-loosened', 'orders.line_count', 'compatible');
    expectChange(diffOf([['          minimum: 1\n', '          exclusiveMinimum: 1\n']]), 'validation-tightened', 'orders.line_count', 'breaking');
    expectChange(diffOf([['          minimum: 1\n', '']]), 'validation-loosened', 'orders.line_count', 'compatible');
  });

  it('lengths: a lower maxLength or a higher minLength is breaking', () => {
    expectChange(diffOf([['          maxLength: 9', '          maxLength: 8']]), 'validation-tightened', 'orders.order_id', 'breaking');
    expectChange(diffOf([['          minLength: 2\n', '          minLength: 1\n']]), 'validation-loosened', 'orders.shipping_country', 'compatible');
  });

  it('a pattern added is breaking, removed compatible, changed a warning', () => {
    const pattern = (p: string): Edit => ["          pattern: '^O[0-9]{8}$'", `          pattern: '${p}'`];
    expectChange(diffOf([pattern('^O[0-9]{9}$')]), 'validation-changed', 'orders.order_id', 'warning');
    const noPattern: Edit = ["        logicalTypeOptions:\n          pattern: '^C[0-9]{7}$'\n", ''];
    expectChange(diffOf([noPattern]), 'validation-loosened', 'orders.customer_id', 'compatible');
    expectChange(diffOf([], { before: [noPattern] }), 'validation-tightened', 'orders.customer_id', 'breaking');
  });
});

describe('the contract', () => {
  it('a new id or domain is breaking', () => {
    expectChange(diffOf([['id: orders\n', 'id: order-headers\n']]), 'contract-id-changed', 'id', 'breaking');
    expectChange(diffOf([['domain: orders\n', 'domain: sales\n']]), 'domain-changed', 'domain', 'breaking');
  });

  it('status: deprecated is a warning, retired breaking, anything else compatible', () => {
    expectChange(diffOf([['status: active', 'status: deprecated']]), 'status-deprecated', 'status', 'warning');
    expectChange(diffOf([['status: active', 'status: retired']]), 'status-retired', 'status', 'breaking');
    expectChange(diffOf([], { before: [['status: active', 'status: draft']] }), 'status-changed', 'status', 'compatible');
  });

  it('descriptions, tags, owners and support are compatible, and reported', () => {
    const diff = diffOf([
      ['One row per customer order placed', 'One row per order placed'],
      ['tags: [orders, sales]', 'tags: [orders, sales, revenue]'],
      ['      name: Lena Schmidt\n      role: Owner', '      name: Lena Schmidt\n      role: Data Engineer'],
      ['      name: Rahul Mehta\n      role: Data Engineer', '      name: Rahul Mehta\n      role: Owner'],
      ['    url: mailto:orders-data-team@example.com', '    url: mailto:orders@example.com'],
    ]);
    expectChange(diff, 'description-changed', 'description.purpose', 'compatible');
    expect(expectChange(diff, 'tags-changed', 'tags', 'compatible').after).toBe('orders, revenue, sales');
    expect(expectChange(diff, 'owners-changed', 'team', 'compatible')).toMatchObject({ before: 'orders-data-team (owners: lena.schmidt)', after: 'orders-data-team (owners: rahul.mehta)' });
    expectChange(diff, 'support-changed', 'support', 'compatible');
    expect(diff.breaking).toBe(false);
  });

  it('name, roles and custom properties are compatible', () => {
    const extras = (reader: string, costCenter: string): Edit => ['schema:', `roles:\n  - role: ${reader}\n    access: read\ncustomProperties:\n  - property: costCenter\n    value: ${costCenter}\nschema:`];
    const diff = diffOf([['name: Orders\n', 'name: Order headers\n'], extras('orders_analyst', 'cc-2')], { before: [extras('orders_reader', 'cc-1')] });
    expectChange(diff, 'metadata-changed', 'name', 'compatible');
    expectChange(diff, 'roles-changed', 'roles', 'compatible');
    expectChange(diff, 'custom-properties-changed', 'customProperties', 'compatible');
    expect(diff.breaking).toBe(false);
  });

  it('says where: the line in the new file, or in the old one for what was removed', () => {
    const afterText = edited([['physicalType: int\n', 'physicalType: bigint\n'], [CHANNEL_COLUMN, '']]);
    const diff = diffContracts(load(ordersText, 'old.odcs.yaml'), load(afterText, 'new.odcs.yaml'));
    expect(find(diff, 'type-widened', 'orders.line_count')!.origin).toMatchObject({ file: 'new.odcs.yaml', position: { line: lineOf(afterText, 'physicalType: bigint') } });
    expect(find(diff, 'column-removed', 'orders.channel')!.origin).toMatchObject({ file: 'old.odcs.yaml', position: { line: lineOf(ordersText, '      - name: channel') } });
  });
});

describe('versions', () => {
  it('reads the bump from semver', () => {
    expect(versionBump('1.4.0', '2.0.0')).toBe('major');
    expect(versionBump('1.4.0', '2.0.0-rc.1')).toBe('major');
    expect(versionBump('1.4.0', '1.5.0')).toBe('minor');
    expect(versionBump('1.4.0', '1.4.1')).toBe('patch');
    expect(versionBump('1.4.0', '1.4.0')).toBe('none');
    expect(versionBump('1.4.0', '1.3.9')).toBe('downgrade');
    expect(versionBump('1.4', '1.5.0')).toBe('invalid');
  });

  it('a breaking change with a major bump is ok, but still breaking', () => {
    const diff = diffOf([['version: 1.0.0', 'version: 2.0.0'], [CHANNEL_COLUMN, '']]);
    expect(diff).toMatchObject({ breaking: true, versionBump: 'major', ok: true });
    expect(diff.versions.suggested).toBeUndefined();
  });

  it('a breaking change with a minor bump is not ok, and says which version to use', () => {
    const diff = diffOf([['version: 1.0.0', 'version: 1.1.0'], [CHANNEL_COLUMN, '']]);
    expect(diff).toMatchObject({ breaking: true, versionBump: 'minor', ok: false, versions: { before: '1.0.0', after: '1.1.0', suggested: '2.0.0' } });
  });

  it('a lower version is never ok, even without changes', () => {
    const diff = diffOf([['version: 1.0.0', 'version: 0.9.0']]);
    expect(diff).toMatchObject({ changes: [], versionBump: 'downgrade', ok: false });
  });

  it('warns when the content changed but the version did not', () => {
    const diff = diffOf([['One row per customer order placed', 'One row per order placed']]);
    expectChange(diff, 'version-unchanged', 'version', 'warning');
    expect(diff.ok).toBe(true);
  });
});

describe('tessera diff', () => {
  const run = (...argv: string[]): ReturnType<typeof runTessera> => runTessera(root, ...argv);
  const base = `${evolution}/orders-1.0.0.odcs.yaml`;

  it('exits 0 for a compatible change and says so', async () => {
    const { code, out } = await run('diff', base, `${evolution}/orders-1.0.1-compatible.odcs.yaml`);
    expect(code).toBe(0);
    expect(out).toContain('compatible (3):');
    expect(out).toMatch(/orders-1\.0\.1-compatible\.odcs\.yaml:\d+:\d+ orders\.coupon_amount \[column-added\]: optional column/);
    expect(out).toContain('    2 d → 1 d');
    expect(out.trimEnd().split('\n').at(-1)).toBe('verdict: compatible (1.0.0 → 1.0.1)');
  });

  it('exits 1 for breaking changes without a major bump, with the line of each and the version to use', async () => {
    const { code, out } = await run('diff', base, `${evolution}/orders-1.1.0-breaking.odcs.yaml`);
    expect(code).toBe(1);
    const oldText = readFileSync(join(root, base), 'utf8');
    const newText = readFileSync(join(root, evolution, 'orders-1.1.0-breaking.odcs.yaml'), 'utf8');
    expect(out).toContain('breaking (2):');
    // The removed column is located in the old file; the weakened SLA in the new one.
    expect(out).toContain(`${base}:${lineOf(oldText, '      - name: line_count')}:9 orders.line_count [column-removed]`);
    expect(out).toContain(`${evolution}/orders-1.1.0-breaking.odcs.yaml:${lineOf(newText, '    value: 3')}:12 sla.latency [sla-weakened]`);
    expect(out).toContain('    2 d → 3 d');
    expect(out).toContain('verdict: breaking changes without a major version bump: 1.0.0 → 1.1.0; bump to 2.0.0');
  });

  it('exits 0 for the same breaking changes with a major bump', async () => {
    const { code, out } = await run('diff', base, `${evolution}/orders-2.0.0-major.odcs.yaml`);
    expect(code).toBe(0);
    expect(out).toContain('breaking (2):');
    expect(out).toContain('verdict: breaking, with a major version bump: 1.0.0 → 2.0.0');
  });

  it('exits 1 when the version goes down', async () => {
    const { code, out } = await run('diff', base, `${evolution}/orders-0.9.0-downgrade.odcs.yaml`);
    expect(code).toBe(1);
    expect(out).toContain('verdict: the version went down: 1.0.0 → 0.9.0');
  });

  it('prints the diff as JSON with --json', async () => {
    const { code, out } = await run('diff', '--json', base, `${evolution}/orders-1.1.0-breaking.odcs.yaml`);
    expect(code).toBe(1);
    const report = JSON.parse(out) as ContractDiff & { files: { before: string; after: string } };
    expect(report).toMatchObject({ breaking: true, versionBump: 'minor', ok: false, files: { before: base, after: `${evolution}/orders-1.1.0-breaking.odcs.yaml` } });
    expect(report.changes.map((c) => [c.severity, c.rule, c.subject])).toEqual([
      ['breaking', 'column-removed', 'orders.line_count'],
      ['breaking', 'sla-weakened', 'sla.latency'],
    ]);
  });

  it('prints the diagnostics and exits 1 when a contract is invalid', async () => {
    const { code, out } = await run('diff', base, 'test/fixtures/contracts/broken/misspelt-field.odcs.yaml');
    expect(code).toBe(1);
    expect(out).toContain("test/fixtures/contracts/broken/misspelt-field.odcs.yaml:40:9 error [odcs-schema] schema[0].properties[2].logicaltype: unknown field 'logicaltype'");
    expect(out).toContain('cannot compare: test/fixtures/contracts/broken/misspelt-field.odcs.yaml is not a valid contract');
  });

  it('explains what counts as breaking in --help; a missing argument is misuse', async () => {
    const help = await run('diff', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Breaking:\n {2}contract-id-changed/);
    expect(help.out).toMatch(/column-removed +a column was removed/);
    expect((await run('diff', base)).code).toBe(2);
  });
});

describe('the rule catalogue', () => {
  // Runs last (vitest runs a file's tests in order): the cases above must have produced every rule.
  it('has a case above for every rule it documents', () => {
    expect(Object.keys(DIFF_RULES).filter((rule) => !exercised.has(rule))).toEqual([]);
  });
});
