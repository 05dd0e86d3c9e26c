/**
 * Loading ODPS v1.1.0 product descriptors: the official examples validate against the vendored
 * schema, and every broken descriptor gets findings with their line, written out here by hand.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadDescriptor, loadDescriptorFile } from '../../lib/product/descriptor.js';

const officialDir = join(import.meta.dirname, '../fixtures/odps-examples');

describe('official ODPS v1.1.0 examples', () => {
  const files = readdirSync(officialDir).filter((f) => f.endsWith('.odps.yaml'));

  it('are both there', () => {
    expect(files.sort()).toEqual(['deprecated-data-product.odps.yaml', 'simple-data-product.odps.yaml']);
  });

  it.each(files)('%s validates against the ODPS v1.1.0 schema', async (file) => {
    const result = await loadDescriptorFile(join(officialDir, file));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.descriptor).toBeDefined();
  });

  it('gives the ports of the simple example as the file writes them', async () => {
    const { descriptor } = await loadDescriptorFile(join(officialDir, 'simple-data-product.odps.yaml'));
    expect(descriptor).toMatchObject({ id: '064c4630-8aad-4dc0-ba95-0f69940e6b18', name: 'Simple Data Product', version: 'v1.0.0' });
    expect(descriptor!.inputPorts).toEqual([{ name: 'source-data', contractId: '12345678-1234-1234-1234-123456789abc', version: '1.0.0', path: ['inputPorts', 0] }]);
    expect(descriptor!.outputPorts).toEqual([{ name: 'processed-data', contractId: '87654321-4321-4321-4321-cba987654321', version: '1.0.0', path: ['outputPorts', 0] }]);
  });

  it('gives every port of the deprecated example, deprecated ones included', async () => {
    const { descriptor } = await loadDescriptorFile(join(officialDir, 'deprecated-data-product.odps.yaml'));
    expect(descriptor!.outputPorts.map((p) => `${p.name} ${p.contractId} ${p.version}`)).toEqual(['legacy-export 87654321-4321-4321-4321-cba987654321 1.0.0', 'tables 11112222-3333-4444-5555-666677778888 2.0.0']);
  });
});

const HEAD = 'apiVersion: v1.1.0\nkind: DataProduct\nid: p\n';
const OUT = 'outputPorts:\n  - name: out\n    contractId: c\n';

function findings(text: string): string[] {
  return loadDescriptor(text, 'p.odps.yaml').diagnostics.map(formatDiagnostic);
}

describe('a broken descriptor', () => {
  it('is refused at the line of an unknown field, with the field it resembles', () => {
    expect(findings(`${HEAD}inputPort:\n  - name: x\n${OUT}`)).toEqual([
      "p.odps.yaml:4:1 error [odps-schema] inputPort: unknown field 'inputPort' at the top level\n    fix: did you mean 'inputPorts'?",
    ]);
  });

  it('is refused without an id', () => {
    expect(findings(`apiVersion: v1.1.0\nkind: DataProduct\n${OUT}`)).toEqual([
      "p.odps.yaml:1:1 error [odps-schema] (document): missing required field 'id' at the top level\n    fix: add `id:` (A unique identifier used to reduce the risk of dataset name collisions, such as a UUID)",
    ]);
  });

  it('is refused with an apiVersion the v1.1.0 schema does not list', () => {
    expect(findings(`apiVersion: v1.2.0\nkind: DataProduct\nid: p\n${OUT}`)).toEqual([
      "p.odps.yaml:1:13 error [odps-schema] apiVersion: 'v1.2.0' is not an allowed value\n    fix: did you mean 'v1.1.0'? allowed: v1.1.0, v1.0.0, v0.9.0",
    ]);
  });

  it('is refused with a version YAML reads as a number', () => {
    expect(findings(`${HEAD}version: 1.0\n${OUT}`)).toEqual(['p.odps.yaml:4:10 error [odps-schema] version: must be a string, found the number 1.0\n    fix: quote it: version: "1.0"']);
  });

  it('is refused when an input port names no contract or version (ODPS allows it; Tessera needs both)', () => {
    expect(findings(`${HEAD}inputPorts:\n  - name: orders\n${OUT}`)).toEqual([
      'p.odps.yaml:5:5 error [odps-port] inputPorts[0]: input port \'orders\' names no contractId and no version\n    fix: add `contractId:` and `version:`: the contract the product consumes and the version it was built against',
    ]);
    expect(findings(`${HEAD}inputPorts:\n  - name: orders\n    contractId: orders\n${OUT}`)).toEqual([
      "p.odps.yaml:5:5 error [odps-port] inputPorts[0]: input port 'orders' names no version\n    fix: add `version:`: the contract the product consumes and the version it was built against",
    ]);
  });

  it('is refused when an output port names no contract', () => {
    expect(findings(`${HEAD}outputPorts:\n  - name: out\n    type: tables\n`)).toEqual([
      "p.odps.yaml:5:5 error [odps-port] outputPorts[0]: output port 'out' names no contractId\n    fix: add `contractId:` with the id of the ODCS contract whose tables the port publishes",
    ]);
  });

  it('is refused without an output port', () => {
    expect(findings(HEAD)).toEqual([
      'p.odps.yaml:1:1 error [odps-port] (document): the descriptor has no output port\n    fix: add an output port per contract the product publishes: `outputPorts: [{name: ..., contractId: ..., version: ...}]`',
    ]);
  });
});
