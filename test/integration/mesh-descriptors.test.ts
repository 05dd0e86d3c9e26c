/**
 * A mesh that lists an ODPS product descriptor instead of a contract file (the example mesh's
 * shipping domain does): it loads, `tessera validate` passes, and a port that names the wrong
 * contract or version, a port on the product itself, or a consumer that cannot read what the port
 * consumes fails with the finding at the descriptor's line. Expected lines are written by hand.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { runTessera } from '../support/cli.js';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-odps-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const DESCRIPTOR = 'shipping/shipments.odps.yaml';
let counter = 0;

/** A copy of the example mesh with files edited (each edit must change its file). */
function meshCopy(edits: Record<string, [from: string, to: string][]>): string {
  const dir = join(scratch, `mesh-${counter++}`);
  cpSync(join(root, 'mesh'), dir, { recursive: true, filter: (src) => !src.includes('generator') });
  for (const [file, replacements] of Object.entries(edits)) {
    let text = readFileSync(join(dir, file), 'utf8');
    for (const [from, to] of replacements) {
      if (!text.includes(from)) throw new Error(`test setup: '${from}' is not in ${file}`);
      text = text.replace(from, to);
    }
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

async function validate(dir: string): Promise<{ code: number; lines: string[] }> {
  const { code, out } = await runTessera(dir, 'validate', '.');
  return { code, lines: out.split('\n') };
}

describe('the example mesh with its shipments descriptor', () => {
  it('validates, and says what the descriptor publishes and consumes', async () => {
    const { code, out } = await runTessera(root, 'validate', 'mesh/');
    expect(code).toBe(0);
    expect(out).toContain('ok   mesh/shipping/shipments.odps.yaml — product shipments-product (domain shipping): publishes shipments; consumes orders 1.0.0\n');
    expect(out).toContain('ok   mesh/shipping/shipments.odcs.yaml — shipments 1.0.0 (domain shipping)\n');
  });

  it('gives the descriptor\'s contract its input ports', async () => {
    const { mesh } = await loadMeshFile(join(root, 'mesh', 'mesh.yaml'));
    const shipments = mesh!.products.find((p) => p.contract.id === 'shipments')!;
    expect(shipments.inputPorts).toEqual([{ name: 'orders', contractId: 'orders', version: '1.0.0' }]);
    expect(shipments.descriptor).toBe(join(root, 'mesh', DESCRIPTOR));
    expect(shipments.file).toBe(join(root, 'mesh', 'shipping', 'shipments.odcs.yaml'));
    expect(mesh!.products.find((p) => p.contract.id === 'orders')!.inputPorts).toBeUndefined();
  });

  it('accepts a later compatible version of the consumed contract (^1.0.0 takes 1.1.0)', async () => {
    const dir = meshCopy({ 'orders/orders.odcs.yaml': [['version: 1.0.0', 'version: 1.1.0']] });
    const { mesh, diagnostics } = await loadMeshFile(join(dir, 'mesh.yaml'));
    expect(diagnostics).toEqual([]);
    expect(mesh!.products.find((p) => p.contract.id === 'orders')!.contract.version).toBe('1.1.0');
  });
});

describe('tessera validate refuses', () => {
  it('an input port on a contract the mesh does not have, with the id it resembles', async () => {
    const { code, lines } = await validate(meshCopy({ [DESCRIPTOR]: [['    contractId: orders\n', '    contractId: order\n']] }));
    expect(code).toBe(1);
    expect(lines).toContain(`  ${DESCRIPTOR}:20:17 error [odps-unknown-port] inputPorts[0].contractId: input port 'orders' consumes contract 'order', which no product of the mesh publishes`);
    expect(lines).toContain("      fix: did you mean 'orders'?");
  });

  it('an input port on a version the mesh does not satisfy', async () => {
    const { code, lines } = await validate(meshCopy({ [DESCRIPTOR]: [['    contractId: orders\n    version: 1.0.0\n', '    contractId: orders\n    version: 2.0.0\n']] }));
    expect(code).toBe(1);
    expect(lines).toContain(`  ${DESCRIPTOR}:21:14 error [odps-port-version] inputPorts[0].version: input port 'orders' asks for version 2.0.0 of 'orders', but the mesh publishes version 1.0.0, which does not satisfy ^2.0.0`);
  });

  it('an input port on the product\'s own contract', async () => {
    const { code, lines } = await validate(meshCopy({ [DESCRIPTOR]: [['    contractId: orders\n', '    contractId: shipments\n']] }));
    expect(code).toBe(1);
    expect(lines).toContain(`  ${DESCRIPTOR}:20:17 error [odps-self-port] inputPorts[0].contractId: input port 'orders' consumes 'shipments', which this product publishes itself (an output port names it)`);
  });

  it('a port whose domain\'s consumer cannot read every column it consumes', async () => {
    const grant = '    servesDomain: shipping\n    grants:\n      - domains: [orders]\n        classifications: [public, internal]\n';
    const { code, lines } = await validate(meshCopy({ 'mesh.yaml': [[grant, grant.replace('[public, internal]', '[public]')]] }));
    expect(code).toBe(1);
    expect(lines).toContain(
      `  ${DESCRIPTOR}:19:5 error [odps-port-grant] inputPorts[0]: input port 'orders' consumes 'orders', but consumer 'shipping-pipelines' (serving domain 'shipping') cannot read 7 of its columns: ` +
        "orders.order_id (classification 'internal' is not granted for domain 'orders'; grants give public); orders.customer_id (classification 'internal' is not granted for domain 'orders'; grants give public); orders.order_ts (classification 'internal' is not granted for domain 'orders'; grants give public) and 4 more",
    );
    expect(lines).toContain("      fix: grant consumer 'shipping-pipelines' domain 'orders' with the classifications internal");
  });

  it('a port of a domain that no consumer serves', async () => {
    const { code, lines } = await validate(meshCopy({ 'mesh.yaml': [['    servesDomain: shipping\n', '']] }));
    expect(code).toBe(1);
    expect(lines).toContain(`  ${DESCRIPTOR}:19:5 error [odps-port-grant] inputPorts[0]: input port 'orders' consumes 'orders' of domain 'orders', but no consumer of the mesh serves domain 'shipping'`);
  });

  it('a consumer serving a domain the mesh does not declare', async () => {
    const dir = meshCopy({ 'mesh.yaml': [['    servesDomain: shipping\n', '    servesDomain: shiping\n']] });
    const line = readFileSync(join(dir, 'mesh.yaml'), 'utf8').split('\n').indexOf('    servesDomain: shiping') + 1;
    const { code, lines } = await validate(dir);
    expect(code).toBe(1);
    expect(lines).toContain(`  mesh.yaml:${line}:19 error [unknown-domain] consumers[3].servesDomain: consumer 'shipping-pipelines' serves domain 'shiping', which the mesh does not declare`);
    expect(lines).toContain("      fix: did you mean 'shipping'?");
  });

  it('an output port naming no contract beside the descriptor', async () => {
    const { code, lines } = await validate(meshCopy({ [DESCRIPTOR]: [['    contractId: shipments\n', '    contractId: shipment\n']] }));
    expect(code).toBe(1);
    expect(lines).toContain(`  ${DESCRIPTOR}:26:17 error [odps-port-contract] outputPorts[0].contractId: output port 'shipments' names contract 'shipment', but no ODCS file (*.odcs.yaml) beside the descriptor has that id`);
    expect(lines).toContain("      fix: did you mean 'shipments'?");
  });

  it('a contract listed both directly and through the descriptor', async () => {
    const dir = meshCopy({ 'mesh.yaml': [['      - shipping/shipments.odps.yaml\n', '      - shipping/shipments.odcs.yaml\n      - shipping/shipments.odps.yaml\n']] });
    const line = readFileSync(join(dir, 'mesh.yaml'), 'utf8').split('\n').indexOf('      - shipping/shipments.odps.yaml') + 1;
    const { code, lines } = await validate(dir);
    expect(code).toBe(1);
    expect(lines).toContain(`  mesh.yaml:${line}:9 error [duplicate-product] domains[3].products[1]: contract 'shipping/shipments.odcs.yaml' is listed twice (directly and through a descriptor, or by two descriptors)`);
  });
});

describe('a descriptor in a mesh', () => {
  it('may consume a contract of its own domain without a consumer serving it', async () => {
    const dir = meshCopy({ 'mesh.yaml': [['      - orders/order-lines.odcs.yaml\n', '      - orders/order-lines.odps.yaml\n']] });
    const lines = 'apiVersion: v1.1.0\nkind: DataProduct\nid: order-lines-product\ninputPorts:\n  - name: orders\n    contractId: orders\n    version: 1.0.0\noutputPorts:\n  - name: lines\n    contractId: order-lines\n';
    writeFileSync(join(dir, 'orders/order-lines.odps.yaml'), lines);
    const { mesh, diagnostics } = await loadMeshFile(join(dir, 'mesh.yaml'));
    expect(diagnostics).toEqual([]);
    expect(mesh!.products.find((p) => p.contract.id === 'order-lines')!.inputPorts).toEqual([{ name: 'orders', contractId: 'orders', version: '1.0.0' }]);
  });

  it('is refused under another domain than the one it names', async () => {
    const dir = meshCopy({ [DESCRIPTOR]: [['domain: shipping\n', 'domain: orders\n']] });
    const { code, lines } = await validate(dir);
    expect(code).toBe(1);
    expect(lines).toContain(`  ${DESCRIPTOR}:12:9 error [domain-mismatch] domain: the descriptor says domain 'orders' but the mesh lists it under domain 'shipping' (${join(dir, 'mesh.yaml')})`);
  });

  it('is refused when an output port gives another version than its contract\'s', async () => {
    const { code, lines } = await validate(meshCopy({ [DESCRIPTOR]: [['    contractId: shipments\n    version: 1.0.0\n', '    contractId: shipments\n    version: 1.1.0\n']] }));
    expect(code).toBe(1);
    expect(lines).toContain(`  ${DESCRIPTOR}:27:14 error [odps-port-version] outputPorts[0].version: output port 'shipments' publishes version 1.1.0 of 'shipments', but its contract is version 1.0.0`);
  });

  it('is refused when two contracts beside it have the id an output port names', async () => {
    const dir = meshCopy({});
    writeFileSync(join(dir, 'shipping/shipments-copy.odcs.yaml'), readFileSync(join(dir, 'shipping/shipments.odcs.yaml'), 'utf8'));
    const { code, lines } = await validate(dir);
    expect(code).toBe(1);
    expect(lines).toContain(`  ${DESCRIPTOR}:26:17 error [odps-port-contract] outputPorts[0].contractId: output port 'shipments' names contract 'shipments', which 2 files beside the descriptor declare: shipments-copy.odcs.yaml, shipments.odcs.yaml`);
  });
});

describe('tessera validate on descriptors alone', () => {
  it('checks them against the ODPS v1.1.0 schema', async () => {
    const { code, out } = await runTessera(root, 'validate', 'test/fixtures/odps-examples/');
    expect(code).toBe(0);
    expect(out).toContain('ok   test/fixtures/odps-examples/simple-data-product.odps.yaml — product 064c4630-8aad-4dc0-ba95-0f69940e6b18: publishes 87654321-4321-4321-4321-cba987654321; consumes 12345678-1234-1234-1234-123456789abc 1.0.0\n');
  });
});
