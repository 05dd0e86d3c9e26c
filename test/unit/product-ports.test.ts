/**
 * The input-port checks on plain data: versions (a semantic version, satisfied by the caret range),
 * and "can read" as every column of the consumed contract, for one consumer serving the domain.
 */
import { describe, expect, it } from 'vitest';
import { analyzeAccess } from '../../lib/access/index.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadDescriptor } from '../../lib/product/descriptor.js';
import { checkInputPorts } from '../../lib/product/ports.js';

const column = (name: string, classification: string) => ({ name, physicalName: name, classification });
const orders = (version: string) => ({
  domain: 'sales',
  contract: { id: 'orders', version, tables: [{ name: 'orders', physicalName: 'orders', columns: [column('order_id', 'public'), column('buyer', 'confidential')] }] },
});
const parcels = { domain: 'ship', contract: { id: 'parcels', version: '1.0.0', tables: [{ name: 'parcels', physicalName: 'parcels', columns: [column('parcel_id', 'public')] }] } };

type Consumer = { name: string; role: string; servesDomain?: string; grants: { domains: string[]; classifications: string[] }[] };
const reader = (name: string, classifications: string[]): Consumer => ({ name, role: `arn:aws:iam::111111111111:role/${name}`, servesDomain: 'ship', grants: [{ domains: ['sales'], classifications }] });

function check(portVersion: string, ordersVersion: string, consumers: Consumer[]): string[] {
  const config = {
    name: 'm',
    governance: { account: '111111111111', admins: [] },
    classifications: ['public', 'internal', 'confidential'],
    domains: [{ name: 'sales', account: '222222222222' }, { name: 'ship', account: '333333333333' }],
    consumers,
  };
  const products = [orders(ordersVersion), parcels];
  const text = `apiVersion: v1.1.0\nkind: DataProduct\nid: p\ninputPorts:\n  - name: in\n    contractId: orders\n    version: "${portVersion}"\noutputPorts:\n  - name: out\n    contractId: parcels\n`;
  const { descriptor } = loadDescriptor(text, 'p.odps.yaml');
  const { matrix } = analyzeAccess({ config, products });
  return checkInputPorts(config, products, [{ domain: 'ship', descriptor: descriptor! }], matrix).map(formatDiagnostic);
}

const ALL = [reader('r', ['public', 'confidential'])];

describe('an input port version', () => {
  it('is satisfied by the same version and by a later minor or patch', () => {
    expect(check('1.2.0', '1.2.0', ALL)).toEqual([]);
    expect(check('1.2.0', '1.3.1', ALL)).toEqual([]);
  });

  it('is not satisfied by an older version', () => {
    expect(check('1.2.0', '1.1.9', ALL)).toEqual([
      "p.odps.yaml:7:14 error [odps-port-version] inputPorts[0].version: input port 'in' asks for version 1.2.0 of 'orders', but the mesh publishes version 1.1.9, which does not satisfy ^1.2.0\n    fix: build the product against version 1.1.9 and write version: 1.1.9",
    ]);
  });

  it('before 1.0.0, is satisfied only within its minor version', () => {
    expect(check('0.2.0', '0.2.5', ALL)).toEqual([]);
    expect(check('0.2.0', '0.3.0', ALL)).toHaveLength(1);
  });

  it('must be a semantic version', () => {
    expect(check('latest', '1.0.0', ALL)).toEqual([
      "p.odps.yaml:7:14 error [odps-port-version] inputPorts[0].version: input port 'in' asks for version 'latest' of 'orders', which is not a semantic version\n    fix: write the contract version it was built against, e.g. version: 1.0.0",
    ]);
  });
});

describe('reading what a port consumes', () => {
  it('needs every column: one unreadable column fails the port', () => {
    expect(check('1.0.0', '1.0.0', [reader('r', ['public'])])).toEqual([
      "p.odps.yaml:5:5 error [odps-port-grant] inputPorts[0]: input port 'in' consumes 'orders', but consumer 'r' (serving domain 'ship') cannot read 1 of its columns: orders.buyer (classification 'confidential' is not granted for domain 'sales'; grants give public)\n    fix: grant consumer 'r' domain 'sales' with the classifications confidential",
    ]);
  });

  it('is enough through one of the consumers serving the domain', () => {
    expect(check('1.0.0', '1.0.0', [reader('partial', ['public']), reader('full', ['public', 'confidential'])])).toEqual([]);
  });

  it('does not count a consumer that serves another domain', () => {
    const other = { ...reader('other', ['public', 'confidential']), servesDomain: 'sales' };
    expect(check('1.0.0', '1.0.0', [other])).toEqual([
      "p.odps.yaml:5:5 error [odps-port-grant] inputPorts[0]: input port 'in' consumes 'orders' of domain 'sales', but no consumer of the mesh serves domain 'ship'\n    fix: add a consumer with `servesDomain: ship` and a grant on domain 'sales' for the classifications of 'orders'",
    ]);
  });
});
